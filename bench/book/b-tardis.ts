/** Case B, tardis-dev: OrderBook.update with book_change objects built beforehand (one per diff). */
import type { BookChange, OrderBook } from 'tardis-dev';
import type { BenchInput } from './bench-input.ts';
import type { BookBench, FloatBook } from './book-bench.ts';
import { mapBookLevel, seededTardisBook, tardisExchange, tardisFloatBook } from './tardis-book.ts';

export class TardisBookBench implements BookBench {
  readonly caseId = 'B';
  readonly name = 'tardis-dev: OrderBook.update (pre-built changes)';
  readonly isBaseline = true;
  private book_: OrderBook | undefined;
  /** OrderBook.update copies what it inserts, so one set of change objects serves every round. */
  private readonly changes: readonly BookChange[];

  constructor(private readonly input: BenchInput) {
    const exchange = tardisExchange(input.capture);
    const at = new Date(input.capture.snapshot.localTs / 1000);
    this.changes = input.capture.depth.map((d) => ({
      type: 'book_change',
      symbol: input.capture.symbol,
      exchange,
      isSnapshot: false,
      bids: d.bids.map(mapBookLevel),
      asks: d.asks.map(mapBookLevel),
      timestamp: at,
      localTimestamp: at,
    }));
  }

  setup(): void {
    this.book_ = seededTardisBook(this.input.capture);
  }

  run(rounds: number): void {
    const book = this.book_!;
    const changes = this.changes;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < changes.length; i++) book.update(changes[i]!);
    }
  }

  verify(): void {
    // Nothing to count: update() applies every change it is given; the book cross-check covers it.
  }

  book(): FloatBook {
    return tardisFloatBook(this.book_!);
  }
}
