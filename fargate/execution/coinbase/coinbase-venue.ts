/**
 * The Coinbase Advanced Trade (spot) execution adapter: the execution-venue port over JWT-signed
 * REST, order updates from the `user` channel (REST fill history as fallback and after a
 * reconnect), and the account queries the reconciler uses.
 *
 * Reports: `accepted` when create answers `success:true` with an order id (a `success:false` answer
 * is the venue's refusal: its failure reason picks the outcome, errors.ts), or when the stream shows
 * the order first; fills from `/orders/historical/fills` — read at once when a `user` update shows
 * more filled (the channel carries no trade id), and by the fallback poll — each through the
 * tracker's FillDedup; terminal states from the stream or the order query, only once every fill the
 * venue shows (`cumulative_quantity` / `filled_size`) has been reported. A skip in `sequence_num`
 * (a message lost) makes the adapter poll. Coinbase has no cancel-all: `cancelAll` lists the open
 * orders and batch-cancels them. A request whose outcome is unknown is looked up among the open
 * orders by client_order_id.
 */
import type { Micros } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import type { CheckedOrder, OrderRequest } from '../../../core/risk/order-check.ts';
import type { OrderId } from '../../../core/strategy/order-types.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { VenueBalance, VenueFill, VenueOrder } from '../account-query.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import type { TrackedOrder } from '../order-tracker.ts';
import { type OrderProgress, SpotVenueBase, type SpotVenueOptions } from '../spot-venue-base.ts';
import type { CoinbaseRest } from './coinbase-rest.ts';
import { coinbaseOutcome } from './errors.ts';
import { parseCoinbaseUserMessage } from './user-channel-message.ts';

/** Order ids per batch_cancel call (the venue's maximum is unverified; 100 is what its SDK examples use). */
const CANCEL_BATCH = 100;

export type CoinbaseVenueOptions = SpotVenueOptions<CoinbaseRest>;

export class CoinbaseVenue extends SpotVenueBase<CoinbaseRest> {
  constructor(options: CoinbaseVenueOptions) {
    super('coinbase', options);
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
    const body = {
      client_order_id: clientOrderId,
      product_id: inst.venueSymbol,
      side: r.side === 'buy' ? 'BUY' : 'SELL',
      order_configuration: orderConfiguration(r, inst),
    };
    this.tracker.track(
      this.rest
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

  /** Cancel every open order on the adapter's products (the kill path), then read fills and states. */
  async cancelAll(): Promise<void> {
    const ids = (await this.openOrders()).map((o) => o.venueOrderId);
    for (let i = 0; i < ids.length; i += CANCEL_BATCH) await this.batchCancel(ids.slice(i, i + CANCEL_BATCH));
    await this.poll();
  }

  /** One `user` message: a fill history read when an order shows more filled, then its state. */
  onStreamFrame(frame: JsonObject): void {
    const msg = parseCoinbaseUserMessage(frame);
    if (!this.streamMessage(msg !== undefined) || !msg) return;
    this.streamSequence(msg.sequence);
    for (const o of msg.orders) {
      const t = this.orderOf(o.orderId, o.clientOrderId);
      if (!t) continue; // not ours (another client of the key), or adopted later by reconciliation
      const executed = parseDecimal(o.cumulativeQuantity, this.instruments[t.instrument]!.sizeScale);
      const progress = progressOf(o.status);
      if (executed > t.reported) this.afterStreamWork(() => this.readFillsForStream());
      if (progress !== undefined) this.afterStreamWork(() => this.settle(t, progress, executed));
    }
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const query: [string, string][] = [['order_status', 'OPEN']];
    for (const inst of this.instruments)
      if (inst.exchange === this.id) query.push(['product_ids', inst.venueSymbol]);
    const answer = await this.rest.signed('GET', '/orders/historical/batch', query);
    const list = isObject(answer) && Array.isArray(answer.orders) ? answer.orders : [];
    const out: VenueOrder[] = [];
    for (const o of list) {
      if (!isObject(o)) continue;
      const instrument = this.bySymbol.get(String(o.product_id));
      if (instrument === undefined) continue;
      const inst = this.instruments[instrument]!;
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

  async balances(): Promise<VenueBalance[]> {
    const answer = await this.rest.signed('GET', '/accounts');
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

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    const failures = await this.batchCancel([order.venueOrderId]);
    const reason = failures.get(order.venueOrderId);
    if (reason !== undefined) throw new VenueRequestError(coinbaseOutcome(200, [reason]), 200);
  }

  // --- internals --------------------------------------------------------------------------

  /** Batch cancel; resolves with the failure reason of each id the venue did not cancel. */
  private async batchCancel(ids: readonly string[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    if (ids.length === 0) return failures;
    const answer = await this.rest.signed('POST', '/orders/batch_cancel', [], { order_ids: ids });
    const results = isObject(answer) && Array.isArray(answer.results) ? answer.results : [];
    for (const r of results)
      if (isObject(r) && r.success !== true) failures.set(String(r.order_id), String(r.failure_reason ?? ''));
    return failures;
  }

  protected async fillsSince(startMs: number): Promise<VenueFill[]> {
    const query: [string, string][] = [
      ['start_sequence_timestamp', new Date(Math.max(0, startMs)).toISOString()],
    ];
    for (const inst of this.instruments)
      if (inst.exchange === this.id) query.push(['product_ids', inst.venueSymbol]);
    const answer = await this.rest.signed('GET', '/orders/historical/fills', query);
    const list = isObject(answer) && Array.isArray(answer.fills) ? answer.fills : [];
    const out: VenueFill[] = [];
    for (const f of list) {
      if (!isObject(f)) continue;
      const instrument = this.bySymbol.get(String(f.product_id));
      if (instrument === undefined) continue;
      const inst = this.instruments[instrument]!;
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

  /** One list says which are still open; only the others are queried one by one. */
  protected async refreshStates(working: readonly TrackedOrder[]): Promise<void> {
    const open = new Set((await this.openOrders()).map((o) => o.venueOrderId));
    for (const t of working) {
      if (!t.venueOrderId) continue;
      if (open.has(t.venueOrderId)) {
        this.tracker.ack(t);
        continue;
      }
      const answer = await this.rest.signed(
        'GET',
        `/orders/historical/${encodeURIComponent(t.venueOrderId)}`,
      );
      if (!isObject(answer) || !isObject(answer.order)) continue;
      const o = answer.order;
      const progress = progressOf(String(o.status));
      const filled = parseDecimal(String(o.filled_size ?? '0'), this.instruments[t.instrument]!.sizeScale);
      if (progress !== undefined) this.settle(t, progress, filled);
    }
  }

  private async findUnknown(t: TrackedOrder): Promise<void> {
    const open = await this.openOrders().catch(() => []);
    const found = open.find((o) => o.clientOrderId === t.clientOrderId);
    if (!found) return; // not open: the next poll or the reconciler decides
    this.tracker.setVenueId(t, found.venueOrderId);
    this.tracker.ack(t);
  }
}

/** A Coinbase order status; undefined for UNKNOWN_ORDER_STATUS (and anything new): the next poll asks again. */
function progressOf(status: string): OrderProgress | undefined {
  switch (status) {
    case 'OPEN':
    case 'PENDING':
    case 'QUEUED':
    case 'CANCEL_QUEUED':
      return 'working';
    case 'FAILED':
      return 'rejected';
    case 'FILLED':
      return 'filled';
    case 'CANCELLED':
      return 'canceled';
    case 'EXPIRED':
      return 'expired';
    default:
      return undefined;
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
