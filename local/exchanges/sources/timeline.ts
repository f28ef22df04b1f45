/**
 * A recorded market turned into truth changes: the starting book of every symbol and the steps that
 * follow, each at a time relative to the start of the recording. Built once from a capture
 * (capture-timeline.ts) and played any number of times (replay-source.ts).
 */
import type { L2Book } from '../../../core/book/l2-book.ts';
import type { Micros } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import type { BookDelta } from '../truth/book-delta.ts';

export interface TimelineTrade {
  readonly price: number;
  readonly size: number;
  readonly side: 'buy' | 'sell';
}

export interface TimelineStep {
  /** µs since the start of the recording. */
  readonly at: Micros;
  readonly venueSymbol: string;
  readonly delta?: BookDelta;
  readonly trade?: TimelineTrade;
}

export interface Timeline {
  readonly exchange: ExchangeId;
  /** The files it was built from. */
  readonly sources: readonly string[];
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Each symbol's first trusted book (empty for symbols that only traded). */
  readonly initial: ReadonlyMap<string, L2Book>;
  readonly steps: readonly TimelineStep[];
  /** Time of the last record, µs since the start. */
  readonly duration: Micros;
}
