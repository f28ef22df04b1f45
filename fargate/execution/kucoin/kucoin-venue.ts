/**
 * The KuCoin spot (HF account) execution adapter: the execution-venue port over signed REST, order
 * changes from the private push `/spotMarket/tradeOrdersV2` (REST fill history as fallback and after
 * a reconnect), and the account queries the reconciler uses.
 *
 * Reports: `accepted` when the synchronous place (`/api/v1/hf/orders/sync`) answers (or the stream
 * shows the order first); fills from `GET /api/v1/hf/fills` — read at once when the stream shows a
 * `match` (the push names the trade but carries no fee), and by the fallback poll — each through the
 * tracker's FillDedup; terminal states from the stream (`done`) or the order query by clientOid, only
 * once every fill the venue shows (`filledSize` / `dealSize`) has been reported. KuCoin marks a
 * cancelled and an expired (IOC remainder) order alike: a cancel we asked for is `canceled`, any
 * other `expired`. A request whose outcome is unknown is queried by clientOid.
 */
import type { Micros } from '../../../core/market/events.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import type { CheckedOrder } from '../../../core/risk/order-check.ts';
import type { OrderId } from '../../../core/strategy/order-types.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { VenueBalance, VenueFill, VenueOrder } from '../account-query.ts';
import type { TrackedOrder } from '../order-tracker.ts';
import { type OrderProgress, SpotVenueBase, type SpotVenueOptions } from '../spot-venue-base.ts';
import type { KucoinRest } from './kucoin-rest.ts';
import { parseKucoinOrderChange } from './order-change-message.ts';

export type KucoinVenueOptions = SpotVenueOptions<KucoinRest>;

export class KucoinVenue extends SpotVenueBase<KucoinRest> {
  private readonly cancelRequested = new Set<OrderId>();

  constructor(options: KucoinVenueOptions) {
    super('kucoin', options);
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
      this.rest.signed('POST', '/api/v1/hf/orders/sync', {}, body).then(
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
    const symbol = this.instruments[t.instrument]!.venueSymbol;
    this.tracker.track(
      this.rest
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

  /** Cancel every open order on every instrument (the kill path), then read fills and final states. */
  async cancelAll(): Promise<void> {
    for (const t of this.tracker.working()) this.cancelRequested.add(t.id);
    await Promise.all(
      this.own().map(([, inst]) =>
        this.rest.signed('DELETE', '/api/v1/hf/orders', { symbol: inst.venueSymbol }),
      ),
    );
    await this.poll();
  }

  /** One tradeOrdersV2 push: a `match` reads the fill history now; then the order's state. */
  onStreamFrame(frame: JsonObject): void {
    const change = parseKucoinOrderChange(frame);
    if (!this.streamMessage(change !== undefined) || !change) return;
    const t = this.orderOf(change.orderId, change.clientOid);
    if (!t) return; // not ours (another client of the key), or adopted later by reconciliation
    const inst = this.instruments[t.instrument]!;
    const executed = parseDecimal(change.filledSize, inst.sizeScale);
    const progress: OrderProgress =
      change.status !== 'done'
        ? 'working'
        : change.type === 'filled'
          ? 'filled'
          : this.cancelRequested.has(t.id)
            ? 'canceled'
            : 'expired';
    if (executed > t.reported) this.afterStreamWork(() => this.readFillsForStream());
    this.afterStreamWork(() => this.settleOrder(t, progress, executed));
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const [instrument, inst] of this.own()) {
      const list = await this.rest.signed('GET', '/api/v1/hf/orders/active', { symbol: inst.venueSymbol });
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

  async balances(): Promise<VenueBalance[]> {
    const list = await this.rest.signed('GET', '/api/v1/accounts', { type: 'trade' });
    if (!Array.isArray(list)) return [];
    const out: VenueBalance[] = [];
    for (const a of list) {
      if (!isObject(a) || typeof a.currency !== 'string') continue;
      out.push({ asset: a.currency, free: String(a.available ?? '0'), locked: String(a.holds ?? '0') });
    }
    return out;
  }

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    const inst = this.instruments[order.instrument];
    if (!inst) return;
    await this.rest.signed('DELETE', `/api/v1/hf/orders/${encodeURIComponent(order.venueOrderId)}`, {
      symbol: inst.venueSymbol,
    });
  }

  // --- internals --------------------------------------------------------------------------

  protected async fillsSince(startMs: number): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    for (const [instrument, inst] of this.own()) {
      const data = await this.rest.signed('GET', '/api/v1/hf/fills', {
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
          side: f.side === 'sell' ? 'sell' : 'buy',
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

  /** One list per instrument says which are still open; only the others are queried one by one. */
  protected async refreshStates(working: readonly TrackedOrder[]): Promise<void> {
    const open = new Set((await this.openOrders()).map((o) => o.clientOrderId));
    for (const t of working) {
      if (open.has(t.clientOrderId)) this.tracker.ack(t);
      else await this.queryState(t);
    }
  }

  /** The order by clientOid → ack, or a terminal report once every fill it shows was reported. */
  private async queryState(t: TrackedOrder): Promise<void> {
    const symbol = this.instruments[t.instrument]!.venueSymbol;
    let o: unknown;
    try {
      o = await this.rest.signed(
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
    const inst = this.instruments[t.instrument]!;
    const dealt = parseDecimal(String(o.dealSize ?? '0'), inst.sizeScale);
    const progress: OrderProgress =
      o.active === true
        ? 'working'
        : o.cancelExist !== true
          ? 'filled'
          : this.cancelRequested.has(t.id)
            ? 'canceled'
            : 'expired';
    this.settleOrder(t, progress, dealt);
  }

  private settleOrder(t: TrackedOrder, progress: OrderProgress, executed: number): void {
    this.settle(t, progress, executed);
    if (t.done) this.cancelRequested.delete(t.id);
  }
}
