/**
 * Case A, tardis-dev: JSON.parse + the BinanceBookChangeMapper mapping (Number() per price/amount,
 * a book_change object per message, its snapshot-id filter) + OrderBook.update.
 *
 * Slightly generous to tardis: the mapper's generator and per-message localTimestamp Date are left
 * out (one Date is shared), so its numbers are an upper bound of what tardis-node's pipeline does.
 */
import type { OrderBook } from 'tardis-dev';
import type { BenchInput } from './bench-input.ts';
import type { BookBench, FloatBook } from './book-bench.ts';
import {
  mapBookLevel,
  seededTardisBook,
  type TardisExchange,
  tardisExchange,
  tardisFloatBook,
} from './tardis-book.ts';

/** The fields the mapper reads; trusted as tardis does (its raw messages are untyped). */
interface BinanceDepthEnvelope {
  data: {
    s: string;
    E: number;
    u: number;
    b: Array<[string, string]>;
    a: Array<[string, string]>;
  };
}

export class TardisParseBench implements BookBench {
  readonly caseId = 'A';
  readonly name = 'tardis-dev: JSON.parse + map + OrderBook.update';
  readonly isBaseline = true;
  private book_: OrderBook | undefined;
  private lines: Array<readonly string[]> = [];
  private applied = 0;
  private readonly exchange: TardisExchange;

  constructor(private readonly input: BenchInput) {
    this.exchange = tardisExchange(input.capture);
  }

  setup(rounds: number): void {
    this.book_ = seededTardisBook(this.input.capture);
    this.input.rounds.prepare(rounds);
    this.lines = Array.from({ length: rounds }, (_, r) => this.input.rounds.round(r));
  }

  run(rounds: number): void {
    const book = this.book_!;
    const exchange = this.exchange;
    const futures = this.input.capture.market === 'usdm';
    const lastUpdateId = this.input.capture.snapshot.lastUpdateId;
    const localTimestamp = new Date(this.input.capture.snapshot.localTs / 1000);
    let applied = 0;
    for (let r = 0; r < rounds; r++) {
      const lines = this.lines[r]!;
      for (let i = 0; i < lines.length; i++) {
        const d = (JSON.parse(lines[i]!) as BinanceDepthEnvelope).data;
        // The mapper's only sequence rule: drop what the snapshot already holds.
        if (futures ? d.u < lastUpdateId : d.u <= lastUpdateId) continue;
        applied++;
        book.update({
          type: 'book_change',
          symbol: d.s,
          exchange,
          isSnapshot: false,
          bids: d.b.map(mapBookLevel),
          asks: d.a.map(mapBookLevel),
          timestamp: new Date(d.E), // fromMicroSecondsToDate(E) for a millisecond E
          localTimestamp,
        });
      }
    }
    this.applied = applied;
  }

  verify(rounds: number): void {
    const expected = this.input.rounds.messages(rounds);
    if (this.applied !== expected)
      throw new Error(`${this.name}: applied ${this.applied}/${expected} messages`);
  }

  book(): FloatBook {
    return tardisFloatBook(this.book_!);
  }
}
