/**
 * Case A, ccxt: JSON.parse + ccxt.pro.binance's own handleOrderBook sequence rules (safeInteger on
 * U/u/pu, the snapshot bridge, then U-1 == nonce on spot / pu == nonce on futures) +
 * handleOrderBookMessage (safeFloat per price/size, OrderBookSide.store, nonce, iso8601 datetime)
 * + orderbook.limit() as watchOrderBook hands it out.
 * Left out: the market lookup and the future resolution of the websocket client.
 */
import type { BenchInput } from './bench-input.ts';
import type { BookBench, FloatBook } from './book-bench.ts';
import {
  type CcxtBook,
  type CcxtExchange,
  ccxtExchange,
  ccxtFloatBook,
  seededCcxtBook,
} from './ccxt-book.ts';

export class CcxtParseBench implements BookBench {
  readonly caseId = 'A';
  readonly name = 'ccxt: JSON.parse + handleOrderBookMessage';
  private readonly exchange: CcxtExchange;
  private book_: CcxtBook | undefined;
  private lines: Array<readonly string[]> = [];
  private applied = 0;
  private refused = 0;

  constructor(private readonly input: BenchInput) {
    this.exchange = ccxtExchange(input.capture);
  }

  setup(rounds: number): void {
    this.book_ = seededCcxtBook(this.exchange, this.input.capture);
    this.input.rounds.prepare(rounds);
    this.lines = Array.from({ length: rounds }, (_, r) => this.input.rounds.round(r));
  }

  run(rounds: number): void {
    const ex = this.exchange;
    const book = this.book_!;
    let applied = 0;
    let refused = 0;
    for (let r = 0; r < rounds; r++) {
      const lines = this.lines[r]!;
      for (let i = 0; i < lines.length; i++) {
        const message = (JSON.parse(lines[i]!) as { data: Record<string, unknown> }).data;
        const nonce = ex.safeInteger(book, 'nonce')!;
        const U = ex.safeInteger(message, 'U')!;
        const u = ex.safeInteger(message, 'u')!;
        const pu = ex.safeInteger(message, 'pu');
        let ok: boolean;
        if (pu === undefined) {
          if (u <= nonce) continue;
          const timestamp = ex.safeInteger(book, 'timestamp');
          ok = timestamp === undefined ? U - 1 <= nonce && u - 1 >= nonce : U - 1 === nonce;
        } else {
          if (u < nonce) continue;
          ok = U <= nonce || pu === nonce;
        }
        if (!ok) {
          refused++; // ccxt throws a ChecksumError here; counted and checked after the run instead
          continue;
        }
        ex.handleOrderBookMessage(undefined as never, message, book);
        applied++;
        book.limit();
      }
    }
    this.applied = applied;
    this.refused = refused;
  }

  verify(rounds: number): void {
    const expected = this.input.rounds.messages(rounds);
    if (this.applied !== expected || this.refused !== 0)
      throw new Error(`${this.name}: applied ${this.applied}/${expected} messages, refused ${this.refused}`);
  }

  book(): FloatBook {
    return ccxtFloatBook(this.book_!);
  }
}
