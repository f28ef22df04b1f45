/**
 * The KuCoin spot (HF account) execution adapter: the execution-venue port over signed REST, fills
 * from the REST fill history, and the account queries the reconciler uses.
 *
 * Reports: `accepted` when the synchronous place (`/api/v1/hf/orders/sync`) answers; fills only
 * from `GET /api/v1/hf/fills` (polled by `poll()`, on a timer in the connection and after every
 * cancel), each through the tracker's FillDedup, so a fill seen by two polls is reported once;
 * terminal states from the order query by clientOid, only once every fill the venue shows
 * (`dealSize`) has been reported. KuCoin marks a cancelled and an expired (IOC remainder) order
 * alike (`cancelExist`): a cancel we asked for is `canceled`, any other `expired`. A request whose
 * outcome is unknown is queried by clientOid.
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
import type { KucoinRest } from './kucoin-rest.ts';

/** The fill history is asked from this long before the newest fill seen (a late-listed fill keeps its time). */
const LOOKBACK_MS = 60_000;

export interface KucoinVenueOptions {
  readonly rest: KucoinRest;
  readonly instruments: readonly Instrument[];
  /** Event time of reports, µs (the wall clock live). */
  readonly nowMicros: () => Micros;
  readonly onHalt?: (code: number, message: string) => void;
}

export class KucoinVenue implements ExecutionVenue, AccountQuery {
  readonly id = 'kucoin';
  readonly tracker: OrderTracker;
  polls = 0;
  private readonly bySymbol = new Map<string, number>();
  private readonly cancelRequested = new Set<OrderId>();
  /** Fills are asked from here (venue ms): LOOKBACK_MS before the newest fill seen. */
  private fillsFromMs: number;

  constructor(private readonly options: KucoinVenueOptions) {
    this.tracker = new OrderTracker(options.nowMicros, options.onHalt);
    // The kernel's whole list comes in (orders carry its indices): only KuCoin's are ours.
    for (const [i, inst] of options.instruments.entries())
      if (inst.exchange === this.id) this.bySymbol.set(inst.venueSymbol, i);
    this.fillsFromMs = Math.floor(options.nowMicros() / 1000) - LOOKBACK_MS;
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
    const body: Record<string, unknown> = {
      clientOid: clientOrderId,
      symbol: inst.venueSymbol,
      side: r.side,
      type: r.type === 'market' ? 'market' : 'limit',
      size: formatDecimalTrimmed(r.size, inst.sizeScale),
    };
    if (r.type !== 'market') {
      body.price = formatDecimalTrimmed(r.price, inst.priceScale);
      body.timeInForce = r.ioc && !r.postOnly ? 'IOC' : 'GTC';
      if (r.postOnly) body.postOnly = true;
    }
    this.tracker.track(
      this.options.rest.signed('POST', '/api/v1/hf/orders/sync', {}, body).then(
        (data) => {
          if (isObject(data) && typeof data.orderId === 'string') this.tracker.setVenueId(t, data.orderId);
          this.tracker.ack(t);
        },
        (error: unknown) => {
          if (this.tracker.failed(t, error, undefined)) this.tracker.track(this.queryState(t));
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
    this.cancelRequested.add(orderId);
    const symbol = this.options.instruments[t.instrument]!.venueSymbol;
    this.tracker.track(
      this.options.rest
        .signed('DELETE', `/api/v1/hf/orders/sync/client-order/${encodeURIComponent(t.clientOrderId)}`, {
          symbol,
        })
        .then(
          () => this.poll(),
          (error: unknown) => {
            this.cancelRequested.delete(orderId);
            if (this.tracker.failed(t, error, false)) this.tracker.track(this.poll());
          },
        ),
    );
  }

  /** KuCoin's modify (`/hf/orders/alter`) is not used: the strategy cancels and places again. */
  amend(amend: CheckedAmend, _clientOrderId: string, _now: Micros): void {
    this.tracker.refuseRequest(amend.request.id, 'venue_rejected', true);
  }

  /** Cancel every open order on every instrument (the kill path), then read fills and final states. */
  /** This venue's instruments (the kernel's list holds every exchange's). */
  private own(): Instrument[] {
    return this.options.instruments.filter((i) => i.exchange === this.id);
  }

  async cancelAll(): Promise<void> {
    for (const t of this.tracker.working()) this.cancelRequested.add(t.id);
    await Promise.all(
      this.own().map((inst) =>
        this.options.rest.signed('DELETE', '/api/v1/hf/orders', { symbol: inst.venueSymbol }),
      ),
    );
    await this.poll();
  }

  /** Read new fills of every instrument, then the state of every order still working. */
  async poll(): Promise<void> {
    this.polls++;
    const working = this.tracker.working();
    for (const f of await this.fillsSince(this.fillsFromMs)) {
      if (f.timeMs - LOOKBACK_MS > this.fillsFromMs) this.fillsFromMs = f.timeMs - LOOKBACK_MS;
      const t = this.tracker.byVenueId(f.venueOrderId);
      if (t) this.tracker.fill(t, f);
    }
    if (working.length === 0) return;
    // One list per instrument says which are still open; only the others are queried one by one.
    const open = new Set((await this.openOrders()).map((o) => o.clientOrderId));
    for (const t of working) {
      if (open.has(t.clientOrderId)) this.tracker.ack(t);
      else await this.queryState(t);
    }
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const [instrument, inst] of this.options.instruments.entries()) {
      if (inst.exchange !== this.id) continue;
      const list = await this.options.rest.signed('GET', '/api/v1/hf/orders/active', {
        symbol: inst.venueSymbol,
      });
      if (!Array.isArray(list)) continue;
      for (const o of list) {
        if (!isObject(o)) continue;
        out.push({
          instrument,
          venueOrderId: String(o.id),
          clientOrderId: typeof o.clientOid === 'string' ? o.clientOid : '',
          side: o.side === 'sell' ? 'sell' : 'buy',
          price: o.type === 'market' ? Number.NaN : parseDecimal(String(o.price), inst.priceScale),
          size: parseDecimal(String(o.size), inst.sizeScale),
          filled: parseDecimal(String(o.dealSize), inst.sizeScale),
        });
      }
    }
    return out;
  }

  async fills(sinceMs: number): Promise<VenueFill[]> {
    return (await this.fillsSince(sinceMs)).filter((f) => f.timeMs >= sinceMs);
  }

  async balances(): Promise<VenueBalance[]> {
    const list = await this.options.rest.signed('GET', '/api/v1/accounts', { type: 'trade' });
    if (!Array.isArray(list)) return [];
    const out: VenueBalance[] = [];
    for (const a of list) {
      if (!isObject(a) || typeof a.currency !== 'string') continue;
      out.push({ asset: a.currency, free: String(a.available ?? '0'), locked: String(a.holds ?? '0') });
    }
    return out;
  }

  async positions(): Promise<VenuePosition[]> {
    return [];
  }

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    const inst = this.options.instruments[order.instrument];
    if (!inst) return;
    await this.options.rest.signed('DELETE', `/api/v1/hf/orders/${encodeURIComponent(order.venueOrderId)}`, {
      symbol: inst.venueSymbol,
    });
  }

  adopt(orderId: OrderId, order: VenueOrder): void {
    this.tracker.adopt(orderId, order);
  }

  // --- internals --------------------------------------------------------------------------

  private async fillsSince(startMs: number): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    for (const [instrument, inst] of this.options.instruments.entries()) {
      if (inst.exchange !== this.id) continue;
      const data = await this.options.rest.signed('GET', '/api/v1/hf/fills', {
        symbol: inst.venueSymbol,
        startAt: String(Math.max(0, startMs)),
      });
      const items = isObject(data) && Array.isArray(data.items) ? data.items : [];
      for (const f of items) {
        if (!isObject(f)) continue;
        out.push({
          instrument,
          venueOrderId: String(f.orderId),
          tradeId: String(f.tradeId),
          side: (f.side === 'sell' ? 'sell' : 'buy') as Side,
          price: parseDecimal(String(f.price), inst.priceScale),
          size: parseDecimal(String(f.size), inst.sizeScale),
          fee: String(f.fee ?? '0'),
          feeAsset: String(f.feeCurrency ?? inst.quote),
          maker: f.liquidity === 'maker',
          timeMs: typeof f.createdAt === 'number' ? f.createdAt : 0,
        });
      }
    }
    return out;
  }

  /** The order by clientOid → ack, or a terminal report once every fill it shows was reported. */
  private async queryState(t: TrackedOrder): Promise<void> {
    const symbol = this.options.instruments[t.instrument]!.venueSymbol;
    let o: unknown;
    try {
      o = await this.options.rest.signed(
        'GET',
        `/api/v1/hf/orders/client-order/${encodeURIComponent(t.clientOrderId)}`,
        { symbol },
      );
    } catch {
      return; // not there (yet): the next poll or the reconciler decides
    }
    if (isObject(o)) this.applyState(t, o);
  }

  private applyState(t: TrackedOrder, o: JsonObject): void {
    if (typeof o.id === 'string') this.tracker.setVenueId(t, o.id);
    if (o.active === true) {
      this.tracker.ack(t);
      return;
    }
    const inst = this.options.instruments[t.instrument]!;
    const dealt = parseDecimal(String(o.dealSize ?? '0'), inst.sizeScale);
    if (dealt > t.reported) return; // a fill the history has not listed yet: wait for it
    if (o.cancelExist === true) {
      if (this.cancelRequested.delete(t.id)) this.tracker.canceled(t);
      else this.tracker.expired(t);
    } else this.tracker.finished(t);
  }
}
