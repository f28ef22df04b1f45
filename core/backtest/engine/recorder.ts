/**
 * What a run records for its result: every order with its final state, every fill (the exchange's
 * truth, at exchange time on the receive clock), and the equity curve. Prices and sizes stay integer
 * units until the result is assembled; then they become quote/base doubles (units / 10^scale, the
 * correctly rounded decimal).
 */
import type { Micros, Side } from '../../market/events.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { OrderType } from '../../strategy/order-types.ts';
import type { RejectReason } from '../../strategy/reject-reason.ts';
import type { EquityPoint, FillRecord, OrderFinalState, OrderRecord } from '../result.ts';
import type { RawFill } from './round-trips.ts';

class OrderRec {
  filled = 0;
  finalTs: Micros;
  state: OrderFinalState = 'open';
  rejectReason: RejectReason | undefined;
  constructor(
    readonly id: number,
    readonly inst: number,
    readonly side: Side,
    readonly type: OrderType,
    public price: number,
    public size: number,
    readonly submittedTs: Micros,
  ) {
    this.finalTs = submittedTs;
  }
}

export class Recorder {
  private readonly orders = new Map<number, OrderRec>();
  readonly fills: RawFill[] = [];
  private readonly liquidity: boolean[] = [];
  private readonly fillOrderIds: number[] = [];
  readonly equity: EquityPoint[] = [];

  constructor(private readonly instruments: readonly Instrument[]) {}

  submitted(
    id: number,
    inst: number,
    side: Side,
    type: OrderType,
    price: number,
    size: number,
    ts: Micros,
  ): void {
    this.orders.set(id, new OrderRec(id, inst, side, type, price, size, ts));
  }

  rejected(id: number, reason: RejectReason, ts: Micros): void {
    const o = this.orders.get(id);
    if (!o) return;
    o.state = 'rejected';
    o.rejectReason = reason;
    o.finalTs = ts;
  }

  canceled(id: number, ts: Micros): void {
    const o = this.orders.get(id);
    if (o?.state !== 'open') return;
    o.state = 'canceled';
    o.finalTs = ts;
  }

  amended(id: number, price: number, size: number): void {
    const o = this.orders.get(id);
    if (!o) return;
    o.price = price;
    o.size = size;
  }

  fill(
    id: number,
    inst: number,
    isBuy: boolean,
    price: number,
    size: number,
    fee: number,
    maker: boolean,
    ts: Micros,
    done: boolean,
  ): void {
    this.fills.push({ inst, isBuy, price, size, fee, ts });
    this.liquidity.push(maker);
    this.fillOrderIds.push(id);
    const o = this.orders.get(id);
    if (!o) return;
    o.filled += size;
    if (done) {
      o.state = 'filled';
      o.finalTs = ts;
    }
  }

  orderRecords(endTs: Micros): OrderRecord[] {
    const out: OrderRecord[] = [];
    for (const o of this.orders.values()) {
      const inst = this.instruments[o.inst]!;
      const pDiv = 10 ** inst.priceScale;
      const sDiv = 10 ** inst.sizeScale;
      out.push({
        orderId: String(o.id),
        exchange: inst.exchange,
        symbol: inst.symbol,
        side: o.side,
        type: o.type,
        price: o.type === 'market' ? null : o.price / pDiv,
        size: o.size / sDiv,
        filledSize: o.filled / sDiv,
        submittedTs: o.submittedTs,
        finalTs: o.state === 'open' ? endTs : o.finalTs,
        state: o.state,
        ...(o.rejectReason !== undefined ? { rejectReason: o.rejectReason } : {}),
      });
    }
    return out;
  }

  fillRecords(): FillRecord[] {
    return this.fills.map((f, k) => {
      const inst = this.instruments[f.inst]!;
      return {
        ts: f.ts,
        exchange: inst.exchange,
        symbol: inst.symbol,
        orderId: String(this.fillOrderIds[k]),
        side: f.isBuy ? 'buy' : 'sell',
        price: f.price / 10 ** inst.priceScale,
        size: f.size / 10 ** inst.sizeScale,
        fee: f.fee,
        liquidity: this.liquidity[k] ? 'maker' : 'taker',
      };
    });
  }

  /** Counts for quick checks (no allocation of records). */
  get orderCount(): number {
    return this.orders.size;
  }
}
