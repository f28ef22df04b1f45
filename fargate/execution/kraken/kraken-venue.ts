/**
 * The Kraken spot execution adapter: the execution-venue port over signed private REST, fills from
 * the REST trade history, and the account queries the reconciler uses.
 *
 * Reports: `accepted` when AddOrder answers with a txid; fills only from TradesHistory (polled by
 * `poll()`, which the connection runs on a timer, and after every cancel-all), each through the
 * tracker's FillDedup, so a trade seen by two polls is reported once; terminal states from
 * QueryOrders, and only once every fill the venue shows (`vol_exec`) has been reported — a trade
 * the history does not list yet holds the cancel or expiry back to a later poll. A request whose
 * outcome is unknown is looked up among the open orders by cl_ord_id.
 *
 * Pairs are sent as Kraken's altname (the instrument's `XBT/USD` without the slash).
 */
import type { Micros, Side } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import type { CheckedAmend, CheckedOrder } from '../../../core/risk/order-check.ts';
import type { OrderId } from '../../../core/strategy/order-types.ts';
import type { ExecutionReports, ExecutionVenue } from '../../../core/trading/execution-venue.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { AccountQuery, VenueBalance, VenueFill, VenueOrder, VenuePosition } from '../account-query.ts';
import { OrderTracker, type TrackedOrder } from '../order-tracker.ts';
import type { KrakenRest } from './kraken-rest.ts';

const BALANCE_DECIMALS = 10;
/** The trade history is asked from this long before the newest trade seen (a late-listed trade keeps its time). */
const LOOKBACK_S = 60;

export interface KrakenVenueOptions {
  readonly rest: KrakenRest;
  readonly instruments: readonly Instrument[];
  /** Event time of reports, µs (the wall clock live). */
  readonly nowMicros: () => Micros;
  readonly onHalt?: (code: number, message: string) => void;
}

export class KrakenVenue implements ExecutionVenue, AccountQuery {
  readonly id = 'kraken';
  readonly tracker: OrderTracker;
  polls = 0;
  private readonly byPair = new Map<string, number>();
  /** TradesHistory is asked from here (unix seconds): LOOKBACK_S before the newest trade seen. */
  private tradesFromS: number;

  constructor(private readonly options: KrakenVenueOptions) {
    this.tracker = new OrderTracker(options.nowMicros, options.onHalt);
    for (const [i, inst] of options.instruments.entries()) {
      if (inst.exchange !== this.id) continue; // the kernel's whole list: only Kraken's are ours
      this.byPair.set(inst.venueSymbol, i);
      this.byPair.set(altname(inst), i);
    }
    this.tradesFromS = Math.floor(options.nowMicros() / 1e6) - LOOKBACK_S;
  }

  connect(reports: ExecutionReports): void {
    this.tracker.reports = reports;
  }

  settled(): Promise<void> {
    return this.tracker.settled();
  }

  // --- ExecutionVenue ---------------------------------------------------------------------

  submit(order: CheckedOrder, clientOrderId: string, _now: Micros): void {
    const r = order.request;
    const inst = this.options.instruments[r.instrument];
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
      this.options.rest.call('AddOrder', params).then(
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
      this.options.rest.call('CancelOrder', { txid: t.venueOrderId || t.clientOrderId }).then(
        () => this.poll(),
        (error: unknown) => {
          if (this.tracker.failed(t, error, false)) this.tracker.track(this.poll());
        },
      ),
    );
  }

  /** Kraken's AmendOrder is not used: the strategy cancels and places again. */
  amend(amend: CheckedAmend, _clientOrderId: string, _now: Micros): void {
    this.tracker.refuseRequest(amend.request.id, 'venue_rejected', true);
  }

  /** Cancel every open order of the key (the kill path), then read the fills and final states. */
  async cancelAll(): Promise<void> {
    await this.options.rest.call('CancelAll', {});
    await this.poll();
  }

  /** Read new trades, then the state of every order still working. */
  async poll(): Promise<void> {
    this.polls++;
    const working = this.tracker.working();
    const trades = await this.tradesSince(this.tradesFromS);
    for (const { fill, orderTxid, timeS } of trades) {
      if (timeS - LOOKBACK_S > this.tradesFromS) this.tradesFromS = Math.floor(timeS) - LOOKBACK_S;
      const t = this.tracker.byVenueId(orderTxid);
      if (t) this.tracker.fill(t, fill);
    }
    const ids = working.filter((t) => t.venueOrderId).map((t) => t.venueOrderId);
    if (ids.length === 0) return;
    const result = await this.options.rest.call('QueryOrders', { txid: ids.join(',') });
    if (!isObject(result)) return;
    for (const t of working) {
      const o = result[t.venueOrderId];
      if (isObject(o)) this.applyState(t, o);
    }
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const result = await this.options.rest.call('OpenOrders', {});
    const open = isObject(result) && isObject(result.open) ? result.open : {};
    const out: VenueOrder[] = [];
    for (const [txid, o] of Object.entries(open)) {
      if (!isObject(o) || !isObject(o.descr)) continue;
      const instrument = this.byPair.get(String(o.descr.pair));
      if (instrument === undefined) continue;
      const inst = this.options.instruments[instrument]!;
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

  async fills(sinceMs: number): Promise<VenueFill[]> {
    const trades = await this.tradesSince(Math.floor(sinceMs / 1000) - 1);
    return trades
      .filter((t) => t.fill.timeMs >= sinceMs)
      .map(({ fill, orderTxid, instrument, side }) => ({
        instrument,
        venueOrderId: orderTxid,
        tradeId: fill.tradeId,
        side,
        price: fill.price,
        size: fill.size,
        fee: fill.fee,
        feeAsset: fill.feeAsset,
        maker: fill.maker,
        timeMs: fill.timeMs,
      }));
  }

  async balances(): Promise<VenueBalance[]> {
    const result = await this.options.rest.call('BalanceEx', {});
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

  async positions(): Promise<VenuePosition[]> {
    return [];
  }

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    await this.options.rest.call('CancelOrder', { txid: order.venueOrderId });
  }

  adopt(orderId: OrderId, order: VenueOrder): void {
    this.tracker.adopt(orderId, order);
  }

  // --- internals --------------------------------------------------------------------------

  private async tradesSince(startS: number): Promise<
    {
      fill: {
        tradeId: string;
        price: number;
        size: number;
        fee: string;
        feeAsset: string;
        maker: boolean;
        timeMs: number;
      };
      orderTxid: string;
      instrument: number;
      side: Side;
      timeS: number;
    }[]
  > {
    const result = await this.options.rest.call('TradesHistory', { start: String(Math.max(0, startS)) });
    const trades = isObject(result) && isObject(result.trades) ? result.trades : {};
    const out = [];
    for (const [tradeId, tr] of Object.entries(trades)) {
      if (!isObject(tr)) continue;
      const instrument = this.byPair.get(String(tr.pair));
      if (instrument === undefined) continue;
      const inst = this.options.instruments[instrument]!;
      const timeS = typeof tr.time === 'number' && Number.isFinite(tr.time) ? tr.time : 0;
      out.push({
        fill: {
          tradeId,
          price: parseDecimal(String(tr.price), inst.priceScale),
          size: parseDecimal(String(tr.vol), inst.sizeScale),
          fee: String(tr.fee ?? '0'),
          feeAsset: inst.quote,
          maker: tr.maker === true,
          timeMs: Math.round(timeS * 1000),
        },
        orderTxid: String(tr.ordertxid),
        instrument,
        side: (tr.type === 'sell' ? 'sell' : 'buy') as Side,
        timeS,
      });
    }
    return out;
  }

  /** QueryOrders entry → terminal report, once the trade history has shown every fill. */
  private applyState(t: TrackedOrder, o: JsonObject): void {
    const inst = this.options.instruments[t.instrument]!;
    const executed = parseDecimal(String(o.vol_exec ?? '0'), inst.sizeScale);
    const status = String(o.status);
    if (status === 'pending' || status === 'open') {
      this.tracker.ack(t);
      return;
    }
    if (executed > t.reported) return; // a fill the history has not listed yet: wait for it
    if (status === 'closed') this.tracker.finished(t);
    else if (status === 'canceled') this.tracker.canceled(t);
    else if (status === 'expired') this.tracker.expired(t);
  }

  private async findUnknown(t: TrackedOrder): Promise<void> {
    const result = await this.options.rest.call('OpenOrders', {}).catch(() => undefined);
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

function altname(inst: Instrument): string {
  return inst.venueSymbol.replace('/', '');
}
