/**
 * Matches the accounts' orders against a simulator's replayed true books with the core/sim models
 * (queue position, partial fills, liquidity consumption, fees): one PaperVenue per venue symbol,
 * created at the symbol's first order from a snapshot of the truth and fed every truth change after
 * that. Entry and response latency are zero — the wire is the latency. Requests are checked with
 * the backtest's pre-trade checks (tick, lot, minimum size and notional; no margin limit: balances
 * are the simulator's business), which is also how the simulated exchange's CheckedOrder is made.
 */
import { LevelChanges } from '../../../core/book/level-changes.ts';
import type { Micros, Side } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import {
  type AmendRequest,
  checkAmend,
  checkOrder,
  type OrderRequest,
} from '../../../core/risk/order-check.ts';
import type { FeeTable } from '../../../core/sim/fees/fee-table.ts';
import { createQueueModel } from '../../../core/sim/queue/queue-spec.ts';
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionReports } from '../../../core/trading/execution-venue.ts';
import { PaperVenue } from '../../../core/trading/paper-venue.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';

const NO_ACCOUNT = { equity: () => 0, position: () => 0, openSize: () => 0 };
const NO_MARGIN_LIMIT = { maxLeverage: Number.POSITIVE_INFINITY };

export class OrderMatcher {
  private readonly venues = new Map<string, PaperVenue>();
  private readonly changes = new LevelChanges();

  constructor(
    private readonly reports: ExecutionReports,
    private readonly fees: FeeTable,
    private readonly exchange: ExchangeId,
    private readonly clock: () => Micros,
  ) {}

  /** Submit (or refuse with a filter reason). Reports for it arrive synchronously. */
  submit(truth: TruthBook, request: OrderRequest): RejectReason | undefined {
    const checked = checkOrder(
      request,
      truth.instrument,
      NO_ACCOUNT,
      NO_MARGIN_LIMIT,
      this.refPrice(truth, request.side),
    );
    if (!(typeof checked === 'object')) return checked;
    const venue = this.venue(truth);
    const now = this.clock();
    venue.submit(checked, '', now);
    venue.advance(now);
    return undefined;
  }

  cancel(truth: TruthBook, orderId: number): void {
    const venue = this.venue(truth);
    const now = this.clock();
    venue.cancel(orderId, '', now);
    venue.advance(now);
  }

  amend(truth: TruthBook, request: AmendRequest, previousSize: number): RejectReason | undefined {
    const checked = checkAmend(request, truth.instrument, NO_ACCOUNT, NO_MARGIN_LIMIT, previousSize);
    if (!(typeof checked === 'object')) return checked;
    const venue = this.venue(truth);
    const now = this.clock();
    venue.amend(checked, '', now);
    venue.advance(now);
    return undefined;
  }

  /** A truth change of a symbol we match on. */
  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    const venue = this.venues.get(truth.venueSymbol);
    if (!venue) return;
    const c = this.changes;
    c.reset();
    for (const [p, s] of delta.bids) c.push(true, p, s);
    for (const [p, s] of delta.asks) c.push(false, p, s);
    venue.onBook(0, truth.book, c, false, ts);
    venue.advance(ts);
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    const venue = this.venues.get(truth.venueSymbol);
    if (!venue) return;
    venue.onTrade(0, trade.price, trade.size, trade.side, trade.ts);
    venue.advance(trade.ts);
  }

  private refPrice(truth: TruthBook, side: Side): number {
    const p = side === 'buy' ? truth.book.bestAsk() : truth.book.bestBid();
    return Number.isFinite(p) ? p : Number.NaN;
  }

  private venue(truth: TruthBook): PaperVenue {
    let venue = this.venues.get(truth.venueSymbol);
    if (venue) return venue;
    venue = new PaperVenue({
      instruments: [truth.instrument],
      queue: createQueueModel({ model: 'risk-averse' }),
      partialFills: true,
      liquidityConsumption: true,
      entryUs: 0,
      responseUs: 0,
      fees: [this.fees.rates(this.exchange, truth.venueSymbol)],
    });
    venue.connect(this.reports);
    const c = this.changes;
    c.reset();
    const { bids, asks } = truth.book;
    for (let i = 0; i < bids.count; i++) c.push(true, bids.priceAt(i), bids.sizeAt(i));
    for (let i = 0; i < asks.count; i++) c.push(false, asks.priceAt(i), asks.sizeAt(i));
    const now = this.clock();
    venue.onBook(0, truth.book, c, true, now);
    venue.advance(now);
    this.venues.set(truth.venueSymbol, venue);
    return venue;
  }
}
