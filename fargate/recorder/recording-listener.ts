/**
 * A FeedListener that records a feed's normalized output: a book row after every applied message,
 * every trade, and book-state events. Combine it with the others (core/venues/combine-listeners.ts).
 *
 * Trades carry integer units but no scales; the scales come from the symbol's book (FeedCore makes
 * one for every symbol it emits a trade for), found through the books seen so far or, after
 * `attach(feed)`, the feed's books. The book object is kept, not its instrument: an inferred
 * instrument can be widened and replaced.
 */
import type { MarketEvent, TradeEvent } from '../../core/market/events.ts';
import type { FeedListener, VenueFeed } from '../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import type { Recorder } from './recorder.ts';

/** What attach() needs of a feed: its venue and books (a VenueFeed, or a connector's view of one). */
export type FeedBooks = Pick<VenueFeed, 'exchange' | 'books'>;

export class RecordingListener implements FeedListener {
  /** Trades dropped because no book told their scales (should stay 0 with a feed attached). */
  unscaledTrades = 0;
  private readonly books = new Map<string, Map<string, SymbolBook>>();
  private feeds: FeedBooks[] = [];
  private lastBook: SymbolBook | undefined;

  constructor(private readonly recorder: Recorder) {}

  /** Let trades find their instrument among this feed's books. */
  attach(feed: FeedBooks): this {
    this.feeds.push(feed);
    return this;
  }

  onBook(book: SymbolBook): void {
    this.recorder.recordBook(book);
    if (book !== this.lastBook) {
      this.lastBook = book;
      this.remember(book);
    }
  }

  onTrade(trade: TradeEvent): void {
    const book = this.bookOf(trade.exchange, trade.symbol);
    if (book) this.recorder.recordTrade(trade, book.instrument);
    else this.unscaledTrades++;
  }

  onEvent(event: MarketEvent): void {
    this.recorder.recordEvent(event);
  }

  private remember(book: SymbolBook): void {
    const exchange = book.instrument.exchange;
    let bySymbol = this.books.get(exchange);
    if (!bySymbol) {
      bySymbol = new Map();
      this.books.set(exchange, bySymbol);
    }
    if (!bySymbol.has(book.symbol)) bySymbol.set(book.symbol, book);
  }

  private bookOf(exchange: string, symbol: string): SymbolBook | undefined {
    const known = this.books.get(exchange)?.get(symbol);
    if (known) return known;
    for (const feed of this.feeds) {
      if (feed.exchange !== exchange) continue;
      for (const b of feed.books()) {
        if (b.symbol !== symbol) continue;
        this.remember(b);
        return b;
      }
    }
    return undefined;
  }
}
