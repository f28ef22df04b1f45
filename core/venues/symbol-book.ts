/** One venue symbol's book with its trust state, sequence and counters. */
import { L2Book } from '../book/l2-book.ts';
import type { BookTrust } from '../market/events.ts';
import type { Instrument } from '../market/instrument.ts';
import { type FeedCounters, newCounters } from './feed-types.ts';

export class SymbolBook {
  instrument: Instrument;
  readonly book = new L2Book();
  trust: BookTrust = 'awaiting_snapshot';
  /** Last applied venue sequence (update id); NaN when the venue has none or none applied yet. */
  sequence = Number.NaN;
  exchangeTs = 0;
  localTs = 0;
  readonly counters: FeedCounters = newCounters();
  /** Has this book ever been trusted? A snapshot after that is a resync. */
  everTrusted = false;
  /** Diffs in a row that a trusted book skipped as already applied (FeedCore.skipApplied). */
  skippedRun = 0;
  /** The book is stale because it was crossed after a whole message (until a sound snapshot). */
  crossedStale = false;
  /** localTs of the last snapshot request made for a crossed book (they are rate-limited). */
  crossedRequestAt = Number.NEGATIVE_INFINITY;

  constructor(instrument: Instrument) {
    this.instrument = instrument;
  }

  get venueSymbol(): string {
    return this.instrument.venueSymbol;
  }

  get symbol(): string {
    return this.instrument.symbol;
  }

  get trusted(): boolean {
    return this.trust === 'trusted';
  }
}
