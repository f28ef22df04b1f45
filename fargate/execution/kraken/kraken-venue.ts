/**
 * The Kraken spot execution adapter: the execution-venue port over signed private REST, fills from
 * the WS v2 `executions` stream (REST TradesHistory as fallback and after a reconnect), and the
 * account queries the reconciler uses.
 *
 * Reports: `accepted` when AddOrder answers with a txid (or the stream shows the order first);
 * fills from stream trade entries, which carry the whole fill (trade txid, price, size, fee), and
 * from TradesHistory polls, both through the tracker's FillDedup; terminal states from the stream's
 * `order_status` or QueryOrders, only once every fill the venue shows executed (`cum_qty` /
 * `vol_exec`) has been reported (spot-venue-base.ts); a skip in the stream's `sequence` makes it
 * poll. A request whose outcome is unknown is looked
 * up among the open orders by cl_ord_id.
 *
 * Pairs are sent as Kraken's altname (the instrument's `XBT/USD` without the slash); the stream
 * names them by wsname (`XBT/USD`).
 */
import type { Micros } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import type { CheckedOrder } from '../../../core/risk/order-check.ts';
import type { OrderId } from '../../../core/strategy/order-types.ts';
import { sequenceId } from '../../../core/venues/sequence-id.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { VenueBalance, VenueFill, VenueOrder } from '../account-query.ts';
import type { TrackedOrder } from '../order-tracker.ts';
import { type OrderProgress, SpotVenueBase, type SpotVenueOptions } from '../spot-venue-base.ts';
import { parseKrakenExecutions } from './executions-message.ts';
import type { KrakenRest } from './kraken-rest.ts';

const BALANCE_DECIMALS = 10;

export type KrakenVenueOptions = SpotVenueOptions<KrakenRest>;

export class KrakenVenue extends SpotVenueBase<KrakenRest> {
  constructor(options: KrakenVenueOptions) {
    super('kraken', options, (inst) => [altname(inst)]);
  }

  // --- ExecutionVenue ---------------------------------------------------------------------

  submit(order: CheckedOrder, clientOrderId: string, _now: Micros): void {
    const r = order.request;
    const inst = this.instruments[r.instrument];
    if (!inst) {
      this.tracker.refuseOrder(r.id, 'unknown_instrument');
      return;
    }
    const t = this.tracker.add(r.id, r.instrument, r.side, clientOrderId, r.price, r.size);
    const params: Record<string, string> = {
      pair: altname(inst),
      type: r.side,
      ordertype: r.type === 'market' ? 'market' : 'limit',
      volume: formatDecimalTrimmed(r.size, inst.sizeScale),
      cl_ord_id: clientOrderId,
    };
    if (r.type !== 'market') {
      params.price = formatDecimalTrimmed(r.price, inst.priceScale);
      if (r.postOnly) params.oflags = 'post';
      else if (r.ioc) params.timeinforce = 'IOC';
    }
    this.tracker.track(
      this.rest.call('AddOrder', params).then(
        (result) => {
          const txid = isObject(result) && Array.isArray(result.txid) ? result.txid[0] : undefined;
          if (typeof txid === 'string') this.tracker.setVenueId(t, txid);
          this.tracker.ack(t);
        },
        (error: unknown) => {
          if (this.tracker.failed(t, error, undefined)) this.tracker.track(this.findUnknown(t));
        },
      ),
    );
  }

  cancel(orderId: OrderId, _clientOrderId: string, _now: Micros): void {
    const t = this.tracker.get(orderId);
    if (!t || t.done) {
      this.tracker.refuseRequest(orderId, 'unknown_order', false);
      return;
    }
    this.tracker.track(
      this.rest.call('CancelOrder', { txid: t.venueOrderId || t.clientOrderId }).then(
        () => this.poll(),
        (error: unknown) => {
          if (this.tracker.failed(t, error, false)) this.tracker.track(this.poll());
        },
      ),
    );
  }

  /** Cancel every open order of the key (the kill path), then read the fills and final states. */
  async cancelAll(): Promise<void> {
    await this.rest.call('CancelAll', {});
    await this.poll();
  }

  /** One `executions` frame: fills of trade entries, then each order's state. */
  onStreamFrame(frame: JsonObject): void {
    const entries = parseKrakenExecutions(frame);
    if (!this.streamMessage(entries !== undefined) || !entries) return;
    const sequence = sequenceId(frame.sequence);
    if (sequence !== undefined) this.streamSequence(sequence);
    for (const e of entries) {
      const t = this.orderOf(e.orderId, e.clOrdId);
      if (!t) continue; // not ours (another client of the key), or adopted later by reconciliation
      const inst = this.instruments[t.instrument]!;
      if (e.trade) {
        this.streamFill(t, {
          tradeId: e.trade.execId,
          price: parseDecimal(e.trade.lastPrice, inst.priceScale),
          size: parseDecimal(e.trade.lastQty, inst.sizeScale),
          fee: e.trade.fee,
          feeAsset: e.trade.feeAsset || inst.quote,
          maker: e.trade.maker,
          timeMs: e.timeMs,
        });
      }
      const executed = e.cumQty ? parseDecimal(e.cumQty, inst.sizeScale) : t.reported;
      this.settle(t, progressOf(e.orderStatus), executed);
    }
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const result = await this.rest.call('OpenOrders', {});
    const open = isObject(result) && isObject(result.open) ? result.open : {};
    const out: VenueOrder[] = [];
    for (const [txid, o] of Object.entries(open)) {
      if (!isObject(o) || !isObject(o.descr)) continue;
      const instrument = this.bySymbol.get(String(o.descr.pair));
      if (instrument === undefined) continue;
      const inst = this.instruments[instrument]!;
      out.push({
        instrument,
        venueOrderId: txid,
        clientOrderId: typeof o.cl_ord_id === 'string' ? o.cl_ord_id : '',
        side: o.descr.type === 'sell' ? 'sell' : 'buy',
        price:
          o.descr.ordertype === 'market' ? Number.NaN : parseDecimal(String(o.descr.price), inst.priceScale),
        size: parseDecimal(String(o.vol), inst.sizeScale),
        filled: parseDecimal(String(o.vol_exec), inst.sizeScale),
      });
    }
    return out;
  }

  async balances(): Promise<VenueBalance[]> {
    const result = await this.rest.call('BalanceEx', {});
    if (!isObject(result)) return [];
    const out: VenueBalance[] = [];
    for (const [asset, b] of Object.entries(result)) {
      if (!isObject(b)) continue;
      const total = parseDecimal(String(b.balance ?? '0'), BALANCE_DECIMALS);
      const hold = parseDecimal(String(b.hold_trade ?? '0'), BALANCE_DECIMALS);
      out.push({
        asset,
        free: formatDecimalTrimmed(total - hold, BALANCE_DECIMALS),
        locked: formatDecimalTrimmed(hold, BALANCE_DECIMALS),
      });
    }
    return out;
  }

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    await this.rest.call('CancelOrder', { txid: order.venueOrderId });
  }

  // --- internals --------------------------------------------------------------------------

  /** TradesHistory from `startMs` (its `start` is exclusive, in seconds: one second earlier). */
  protected async fillsSince(startMs: number): Promise<VenueFill[]> {
    const start = Math.max(0, Math.floor(startMs / 1000) - 1);
    const result = await this.rest.call('TradesHistory', { start: String(start) });
    const trades = isObject(result) && isObject(result.trades) ? result.trades : {};
    const out: VenueFill[] = [];
    for (const [tradeId, tr] of Object.entries(trades)) {
      if (!isObject(tr)) continue;
      const instrument = this.bySymbol.get(String(tr.pair));
      if (instrument === undefined) continue;
      const inst = this.instruments[instrument]!;
      const timeS = typeof tr.time === 'number' && Number.isFinite(tr.time) ? tr.time : 0;
      out.push({
        instrument,
        venueOrderId: String(tr.ordertxid),
        tradeId,
        side: tr.type === 'sell' ? 'sell' : 'buy',
        price: parseDecimal(String(tr.price), inst.priceScale),
        size: parseDecimal(String(tr.vol), inst.sizeScale),
        fee: String(tr.fee ?? '0'),
        feeAsset: inst.quote,
        maker: tr.maker === true,
        timeMs: Math.round(timeS * 1000),
      });
    }
    return out;
  }

  protected async refreshStates(working: readonly TrackedOrder[]): Promise<void> {
    const ids = working.filter((t) => t.venueOrderId).map((t) => t.venueOrderId);
    if (ids.length === 0) return;
    const result = await this.rest.call('QueryOrders', { txid: ids.join(',') });
    if (!isObject(result)) return;
    for (const t of working) {
      const o = result[t.venueOrderId];
      if (!isObject(o)) continue;
      const inst = this.instruments[t.instrument]!;
      this.settle(t, progressOf(String(o.status)), parseDecimal(String(o.vol_exec ?? '0'), inst.sizeScale));
    }
  }

  private async findUnknown(t: TrackedOrder): Promise<void> {
    const result = await this.rest.call('OpenOrders', {}).catch(() => undefined);
    const open = isObject(result) && isObject(result.open) ? result.open : {};
    for (const [txid, o] of Object.entries(open)) {
      if (isObject(o) && o.cl_ord_id === t.clientOrderId) {
        this.tracker.setVenueId(t, txid);
        this.tracker.ack(t);
        return;
      }
    }
    // Not open: the next poll's trade history (or the reconciler) decides.
  }
}

/** REST `status` (pending, open, closed, canceled, expired) or stream `order_status` → progress. */
function progressOf(status: string): OrderProgress {
  switch (status) {
    case 'closed':
    case 'filled':
      return 'filled';
    case 'canceled':
      return 'canceled';
    case 'expired':
      return 'expired';
    default:
      return 'working';
  }
}

function altname(inst: Instrument): string {
  return inst.venueSymbol.replace('/', '');
}
