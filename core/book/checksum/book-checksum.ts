/**
 * A venue's order-book checksum: a number computed from the top of a book that the venue also
 * sends, so a missed or misapplied message shows up as a mismatch. Implementations read the exact
 * integer levels of an L2Book and the instrument's scales / wire decimals, and build no strings.
 */
import type { Instrument } from '../../market/instrument.ts';
import type { L2Book } from '../l2-book.ts';

export interface BookChecksum {
  /** For messages and counters, e.g. 'kraken-v1'. */
  readonly name: string;
  /** The checksum of `book` as the venue computes it (its own signedness: compare with ===). */
  compute(book: L2Book, instrument: Instrument): number;
}
