/**
 * A venue feed's listener that drives a SignalPipeline: trusted books and the trades and events of
 * instruments the pipeline knows. Only trusted books reach the stages (the map's rule: a book is
 * believed only after a snapshot and an unbroken sequence); an untrusted update marks the
 * instrument unusable for routing and arbitrage until its book is trusted again.
 */
import type { LevelChanges } from '../book/level-changes.ts';
import type { MarketEvent, TradeEvent } from '../market/events.ts';
import type { FeedListener } from '../venues/feed-types.ts';
import type { SymbolBook } from '../venues/symbol-book.ts';
import type { SignalPipeline } from './signal-pipeline.ts';

export class PipelineListener implements FeedListener {
  /** Trades of instruments with no book yet (no context to read them in). */
  tradesBeforeBook = 0;

  constructor(private readonly pipeline: SignalPipeline) {}

  onBook(sb: SymbolBook, _changes: LevelChanges): void {
    if (sb.trust === 'trusted') this.pipeline.onBook(sb.instrument, sb.book, sb.localTs, sb.exchangeTs);
  }

  onTrade(trade: TradeEvent): void {
    const s = this.pipeline.find(trade.exchange, trade.symbol);
    if (!s) {
      this.tradesBeforeBook++;
      return;
    }
    this.pipeline.onTrade(s.instrument, trade.price, trade.size, trade.side, trade.localTs);
  }

  onEvent(event: MarketEvent): void {
    this.pipeline.onEvent(event);
  }
}
