/** Case B, ours: pre-parsed integer units → L2Book.set (the book alone, no parsing, no sequencing). */
import { L2Book, LevelUpdate } from '../../core/book/l2-book.ts';
import type { BenchInput } from './bench-input.ts';
import type { BookBench, FloatBook } from './book-bench.ts';
import { bookSideToFloat } from './units-to-float.ts';

export class OursL2BookBench implements BookBench {
  readonly caseId = 'B';
  readonly name = 'ours: L2Book.set (integer units)';
  private book_ = new L2Book();
  private rejected = 0;

  constructor(private readonly input: BenchInput) {}

  setup(): void {
    const book = new L2Book();
    const s = this.input.snapshot;
    for (let i = 0; i < s.count; i++) book.set(s.isBid[i] === 1, s.priceUnits[i]!, s.sizeUnits[i]!);
    this.book_ = book;
  }

  run(rounds: number): void {
    const book = this.book_;
    const { count, isBid, priceUnits, sizeUnits } = this.input.diffs;
    let rejected = 0;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < count; i++) {
        if (book.set(isBid[i] === 1, priceUnits[i]!, sizeUnits[i]!) === LevelUpdate.Rejected) rejected++;
      }
    }
    this.rejected = rejected;
  }

  verify(): void {
    if (this.rejected !== 0) throw new Error(`${this.name}: ${this.rejected} levels rejected`);
  }

  book(): FloatBook {
    const { priceScale, sizeScale } = this.input;
    return {
      bids: bookSideToFloat(this.book_.bids, priceScale, sizeScale),
      asks: bookSideToFloat(this.book_.asks, priceScale, sizeScale),
    };
  }
}
