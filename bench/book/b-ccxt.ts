/** Case B, ccxt: OrderBookSide.store with pre-parsed doubles (what handleDelta does after safeFloat). */
import type { BenchInput } from './bench-input.ts';
import type { BookBench, FloatBook } from './book-bench.ts';
import {
  type CcxtBook,
  type CcxtExchange,
  ccxtExchange,
  ccxtFloatBook,
  seededCcxtBook,
} from './ccxt-book.ts';

export class CcxtBookBench implements BookBench {
  readonly caseId = 'B';
  readonly name = 'ccxt: OrderBookSide.store (pre-parsed floats)';
  private readonly exchange: CcxtExchange;
  private book_: CcxtBook | undefined;

  constructor(private readonly input: BenchInput) {
    this.exchange = ccxtExchange(input.capture);
  }

  setup(): void {
    this.book_ = seededCcxtBook(this.exchange, this.input.capture);
  }

  run(rounds: number): void {
    const { bids, asks } = this.book_!;
    const { count, isBid, price, size } = this.input.diffs;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < count; i++) (isBid[i] === 1 ? bids : asks).store(price[i]!, size[i]!);
    }
  }

  verify(): void {
    // store() applies every level it is given; the book cross-check covers it.
  }

  book(): FloatBook {
    return ccxtFloatBook(this.book_!);
  }
}
