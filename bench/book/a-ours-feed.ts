/**
 * Case A, ours: raw depth line → BinanceFeed (scanner, exact decimal parse, sequence check, L2Book).
 * Verified after each run from the feed's own counters: every level of every round applied, no gap.
 */
import type { BinanceFeed } from '../../core/venues/binance/binance-feed.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import type { BenchInput } from './bench-input.ts';
import { seededFeed } from './bench-input.ts';
import type { BookBench, FloatBook } from './book-bench.ts';
import { bookSideToFloat } from './units-to-float.ts';

export class OursFeedBench implements BookBench {
  readonly caseId = 'A';
  readonly name = 'ours: BinanceFeed.onMessage';
  private feed: BinanceFeed | undefined;
  private sb: SymbolBook | undefined;
  private snapshotLevels = 0;
  private lines: Array<readonly string[]> = [];
  private ts: Float64Array[] = [];

  constructor(private readonly input: BenchInput) {}

  setup(rounds: number): void {
    const { feed, book } = seededFeed(this.input.capture);
    this.feed = feed;
    this.sb = book;
    this.snapshotLevels = feed.counters.levelChanges;
    this.input.rounds.prepare(rounds);
    this.lines = Array.from({ length: rounds }, (_, r) => this.input.rounds.round(r));
    this.ts = Array.from({ length: rounds }, (_, r) => this.input.rounds.localTs(r));
  }

  run(rounds: number): void {
    const feed = this.feed!;
    for (let r = 0; r < rounds; r++) {
      const lines = this.lines[r]!;
      const ts = this.ts[r]!;
      for (let i = 0; i < lines.length; i++) feed.onMessage(lines[i]!, ts[i]!);
    }
  }

  verify(rounds: number): void {
    const c = this.feed!.counters;
    const sb = this.sb!;
    const applied = c.levelChanges - this.snapshotLevels;
    const expected = this.input.rounds.levelChanges(rounds);
    const finalId = this.input.rounds.finalIdAfter(rounds);
    if (
      applied !== expected ||
      c.gaps !== 0 ||
      c.rejected !== 0 ||
      sb.trust !== 'trusted' ||
      sb.sequence !== finalId
    )
      throw new Error(
        `${this.name}: applied ${applied}/${expected} level changes, gaps ${c.gaps}, rejected ${c.rejected}, ` +
          `trust ${sb.trust}, sequence ${sb.sequence} (expected ${finalId})`,
      );
  }

  book(): FloatBook {
    const b = this.sb!.book;
    const { priceScale, sizeScale } = this.sb!.instrument;
    return {
      bids: bookSideToFloat(b.bids, priceScale, sizeScale),
      asks: bookSideToFloat(b.asks, priceScale, sizeScale),
    };
  }
}
