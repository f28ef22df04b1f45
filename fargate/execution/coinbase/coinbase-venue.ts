/**
 * The Coinbase Advanced Trade (spot) execution adapter: the execution-venue port over JWT-signed
 * REST, fills from the REST fill history, and the account queries the reconciler uses.
 *
 * Reports: `accepted` when create answers `success:true` with an order id (a `success:false` answer
 * is the venue's refusal: its failure reason picks the outcome, errors.ts); fills only from
 * `/orders/historical/fills` (polled by `poll()`, on a timer in the connection and after every
 * cancel), each through the tracker's FillDedup, so a fill seen by two polls is reported once;
 * terminal states from the order query, only once every fill the venue shows (`filled_size`) has
 * been reported. Coinbase has no cancel-all: `cancelAll` lists the open orders and batch-cancels
 * them. A request whose outcome is unknown is looked up among the open orders by client_order_id.
 */
import type { Micros } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import type { CheckedAmend, CheckedOrder, OrderRequest } from '../../../core/risk/order-check.ts';
import type { OrderId } from '../../../core/strategy/order-types.ts';
import type { ExecutionReports, ExecutionVenue } from '../../../core/trading/execution-venue.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { AccountQuery, VenueBalance, VenueFill, VenueOrder, VenuePosition } from '../account-query.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import { OrderTracker, type TrackedOrder } from '../order-tracker.ts';
import type { CoinbaseRest } from './coinbase-rest.ts';
import { coinbaseOutcome } from './errors.ts';

/** Order ids per batch_cancel call (the venue's maximum is unverified; 100 is what its SDK examples use). */
const CANCEL_BATCH = 100;

/** The fill history is asked from this long before the newest fill seen (a late-listed fill keeps its time). */
const LOOKBACK_MS = 60_000;

export interface CoinbaseVenueOptions {
  readonly rest: CoinbaseRest;
  readonly instruments: readonly Instrument[];
  /** Event time of reports, µs (the wall clock live). */
  readonly nowMicros: () => Micros;
  readonly onHalt?: (code: number, message: string) => void;
}

export class CoinbaseVenue implements ExecutionVenue, AccountQuery {
  readonly id = 'coinbase';
  readonly tracker: OrderTracker;
  polls = 0;
  private readonly byProduct = new Map<string, number>();
  /** Fills are asked from here (venue ms): LOOKBACK_MS before the newest fill seen. */
  private fillsFromMs: number;

  constructor(private readonly options: CoinbaseVenueOptions) {
    this.tracker = new OrderTracker(options.nowMicros, options.onHalt);
    // The kernel's whole list comes in (orders carry its indices): only Coinbase's are ours.
    for (const [i, inst] of options.instruments.entries())
      if (inst.exchange === this.id) this.byProduct.set(inst.venueSymbol, i);
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
    const body = {
      client_order_id: clientOrderId,
      product_id: inst.venueSymbol,
      side: r.side === 'buy' ? 'BUY' : 'SELL',
      order_configuration: orderConfiguration(r, inst),
    };
    this.tracker.track(
      this.options.rest
        .signed('POST', '/orders', [], body)
        .then((answer) => {
          const a = isObject(answer) ? answer : {};
          if (a.success !== true) throw createRefusal(a);
          const ok = isObject(a.success_response) ? a.success_response : {};
          const id = typeof ok.order_id === 'string' ? ok.order_id : a.order_id;
          if (typeof id === 'string') this.tracker.setVenueId(t, id);
          this.tracker.ack(t);
        })
        .catch((error: unknown) => {
          if (this.tracker.failed(t, error, undefined)) this.tracker.track(this.findUnknown(t));
        }),
    );
  }

  cancel(orderId: OrderId, _clientOrderId: string, _now: Micros): void {
    const t = this.tracker.get(orderId);
    if (!t || t.done || !t.venueOrderId) {
      this.tracker.refuseRequest(orderId, 'unknown_order', false);
      return;
    }
    this.tracker.track(
      this.batchCancel([t.venueOrderId])
        .then((failures) => {
          const reason = failures.get(t.venueOrderId);
          if (reason !== undefined) throw new VenueRequestError(coinbaseOutcome(200, [reason]), 200);
        })
        .then(
          () => this.poll(),
          (error: unknown) => {
            if (this.tracker.failed(t, error, false)) this.tracker.track(this.poll());
          },
        ),
    );
  }

  /** Coinbase's edit is not used: the strategy cancels and places again. */
  amend(amend: CheckedAmend, _clientOrderId: string, _now: Micros): void {
    this.tracker.refuseRequest(amend.request.id, 'venue_rejected', true);
  }

  /** Cancel every open order on the adapter's products (the kill path), then read fills and states. */
  async cancelAll(): Promise<void> {
    const ids = (await this.openOrders()).map((o) => o.venueOrderId);
    for (let i = 0; i < ids.length; i += CANCEL_BATCH) await this.batchCancel(ids.slice(i, i + CANCEL_BATCH));
    await this.poll();
  }

  /** Read new fills, then the state of every order still working. */
  async poll(): Promise<void> {
    this.polls++;
    const working = this.tracker.working();
    for (const f of await this.fillsSince(this.fillsFromMs)) {
      if (f.timeMs - LOOKBACK_MS > this.fillsFromMs) this.fillsFromMs = f.timeMs - LOOKBACK_MS;
      const t = this.tracker.byVenueId(f.venueOrderId);
      if (t) this.tracker.fill(t, f);
    }
    if (working.length === 0) return;
    // One list says which are still open; only the others are queried one by one.
    const open = new Set((await this.openOrders()).map((o) => o.venueOrderId));
    for (const t of working) {
      if (!t.venueOrderId) continue;
      if (open.has(t.venueOrderId)) {
        this.tracker.ack(t);
        continue;
      }
      const answer = await this.options.rest.signed(
        'GET',
        `/orders/historical/${encodeURIComponent(t.venueOrderId)}`,
      );
      if (isObject(answer) && isObject(answer.order)) this.applyState(t, answer.order);
    }
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const query: [string, string][] = [['order_status', 'OPEN']];
    for (const inst of this.options.instruments)
      if (inst.exchange === this.id) query.push(['product_ids', inst.venueSymbol]);
    const answer = await this.options.rest.signed('GET', '/orders/historical/batch', query);
    const list = isObject(answer) && Array.isArray(answer.orders) ? answer.orders : [];
    const out: VenueOrder[] = [];
    for (const o of list) {
      if (!isObject(o)) continue;
      const instrument = this.byProduct.get(String(o.product_id));
      if (instrument === undefined) continue;
      const inst = this.options.instruments[instrument]!;
      const cfg = configurationOf(o);
      out.push({
        instrument,
        venueOrderId: String(o.order_id),
        clientOrderId: typeof o.client_order_id === 'string' ? o.client_order_id : '',
        side: o.side === 'SELL' ? 'sell' : 'buy',
        price:
          cfg?.limit_price === undefined
            ? Number.NaN
            : parseDecimal(String(cfg.limit_price), inst.priceScale),
        size: parseDecimal(String(cfg?.base_size ?? '0'), inst.sizeScale),
        filled: parseDecimal(String(o.filled_size ?? '0'), inst.sizeScale),
      });
    }
    return out;
  }

  async fills(sinceMs: number): Promise<VenueFill[]> {
    return (await this.fillsSince(sinceMs)).filter((f) => f.timeMs >= sinceMs);
  }

  async balances(): Promise<VenueBalance[]> {
    const answer = await this.options.rest.signed('GET', '/accounts');
    const list = isObject(answer) && Array.isArray(answer.accounts) ? answer.accounts : [];
    const out: VenueBalance[] = [];
    for (const a of list) {
      if (!isObject(a) || typeof a.currency !== 'string') continue;
      const free = isObject(a.available_balance) ? String(a.available_balance.value ?? '0') : '0';
      const hold = isObject(a.hold) ? String(a.hold.value ?? '0') : '0';
      out.push({ asset: a.currency, free, locked: hold });
    }
    return out;
  }

  async positions(): Promise<VenuePosition[]> {
    return [];
  }

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    const failures = await this.batchCancel([order.venueOrderId]);
    const reason = failures.get(order.venueOrderId);
    if (reason !== undefined) throw new VenueRequestError(coinbaseOutcome(200, [reason]), 200);
  }

  adopt(orderId: OrderId, order: VenueOrder): void {
    this.tracker.adopt(orderId, order);
  }

  // --- internals --------------------------------------------------------------------------

  /** Batch cancel; resolves with the failure reason of each id the venue did not cancel. */
  private async batchCancel(ids: readonly string[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    if (ids.length === 0) return failures;
    const answer = await this.options.rest.signed('POST', '/orders/batch_cancel', [], { order_ids: ids });
    const results = isObject(answer) && Array.isArray(answer.results) ? answer.results : [];
    for (const r of results)
      if (isObject(r) && r.success !== true) failures.set(String(r.order_id), String(r.failure_reason ?? ''));
    return failures;
  }

  private async fillsSince(startMs: number): Promise<VenueFill[]> {
    const query: [string, string][] = [
      ['start_sequence_timestamp', new Date(Math.max(0, startMs)).toISOString()],
    ];
    for (const inst of this.options.instruments)
      if (inst.exchange === this.id) query.push(['product_ids', inst.venueSymbol]);
    const answer = await this.options.rest.signed('GET', '/orders/historical/fills', query);
    const list = isObject(answer) && Array.isArray(answer.fills) ? answer.fills : [];
    const out: VenueFill[] = [];
    for (const f of list) {
      if (!isObject(f)) continue;
      const instrument = this.byProduct.get(String(f.product_id));
      if (instrument === undefined) continue;
      const inst = this.options.instruments[instrument]!;
      const time = typeof f.trade_time === 'string' ? Date.parse(f.trade_time) : Number.NaN;
      out.push({
        instrument,
        venueOrderId: String(f.order_id),
        tradeId: String(f.trade_id),
        side: f.side === 'SELL' ? 'sell' : 'buy',
        price: parseDecimal(String(f.price), inst.priceScale),
        size: parseDecimal(String(f.size), inst.sizeScale),
        fee: String(f.commission ?? '0'),
        feeAsset: inst.quote,
        maker: f.liquidity_indicator === 'MAKER',
        timeMs: Number.isNaN(time) ? 0 : time,
      });
    }
    return out;
  }

  private applyState(t: TrackedOrder, o: JsonObject): void {
    const status = String(o.status);
    if (status === 'OPEN' || status === 'PENDING' || status === 'QUEUED' || status === 'CANCEL_QUEUED') {
      this.tracker.ack(t);
      return;
    }
    if (status === 'FAILED') {
      this.tracker.rejected(t, 'venue_rejected');
      return;
    }
    const inst = this.options.instruments[t.instrument]!;
    const filled = parseDecimal(String(o.filled_size ?? '0'), inst.sizeScale);
    if (filled > t.reported) return; // a fill the history has not listed yet: wait for it
    if (status === 'FILLED') this.tracker.finished(t);
    else if (status === 'CANCELLED') this.tracker.canceled(t);
    else if (status === 'EXPIRED') this.tracker.expired(t);
  }

  private async findUnknown(t: TrackedOrder): Promise<void> {
    const open = await this.openOrders().catch(() => []);
    const found = open.find((o) => o.clientOrderId === t.clientOrderId);
    if (!found) return; // not open: the next poll or the reconciler decides
    this.tracker.setVenueId(t, found.venueOrderId);
    this.tracker.ack(t);
  }
}

/** limit → `limit_limit_gtc` (post-only there) or `sor_limit_ioc`; market → `market_market_ioc`. */
export function orderConfiguration(r: OrderRequest, inst: Instrument): Record<string, unknown> {
  const base_size = formatDecimalTrimmed(r.size, inst.sizeScale);
  if (r.type === 'market') return { market_market_ioc: { base_size } };
  const limit_price = formatDecimalTrimmed(r.price, inst.priceScale);
  if (r.ioc && !r.postOnly) return { sor_limit_ioc: { base_size, limit_price } };
  return { limit_limit_gtc: { base_size, limit_price, post_only: r.postOnly } };
}

function configurationOf(o: JsonObject): JsonObject | undefined {
  const c = isObject(o.order_configuration) ? o.order_configuration : undefined;
  if (!c) return undefined;
  for (const v of Object.values(c)) if (isObject(v)) return v;
  return undefined;
}

/** A `success:false` create answer as the failure it is. */
function createRefusal(a: JsonObject): VenueRequestError {
  const e = isObject(a.error_response) ? a.error_response : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return new VenueRequestError(
    coinbaseOutcome(200, [
      str(e.new_order_failure_reason),
      str(e.preview_failure_reason),
      str(e.error),
      str(a.failure_reason),
    ]),
    200,
  );
}
