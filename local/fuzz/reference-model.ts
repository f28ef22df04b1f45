/**
 * What a venue's reference model offers the fuzzer: the same inputs as the feed (raw frames, REST
 * bodies), read with json-reader.ts and the venue's documented book rules, never with core/venues.
 * Rules every model follows:
 * - a frame it cannot read unambiguously is not applied (as if lost); the venue's sequence or
 *   checksum rule then decides whether the loss is detectable — where the venue has neither
 *   (Coinbase level2, Kraken without checksum), a refused update it can attribute to a book breaks
 *   that book;
 * - a book crossed after a whole message is broken (no sound venue book is crossed);
 * - a broken book waits for the next snapshot.
 */
import { ReferenceBook } from './reference-book.ts';

/** A snapshot as the venue would deliver it: a REST body, or an in-band frame after resubscribing. */
export interface ReferenceSnapshot {
  readonly method: 'rest' | 'frame';
  readonly body: string;
}

export interface ReferenceModel {
  onMessage(raw: string): void;
  onSnapshot(venueSymbol: string, body: string): void;
  book(venueSymbol: string): ReferenceBook | undefined;
  books(): Iterable<ReferenceBook>;
  /** The venue's snapshot of this model's book; undefined unless the book is trusted. */
  snapshotOf(venueSymbol: string): ReferenceSnapshot | undefined;
}

/** The book Map shared by every model. */
export class ReferenceBooks {
  private readonly bySymbol = new Map<string, ReferenceBook>();

  of(venueSymbol: string): ReferenceBook {
    let b = this.bySymbol.get(venueSymbol);
    if (!b) {
      b = new ReferenceBook();
      this.bySymbol.set(venueSymbol, b);
    }
    return b;
  }

  get(venueSymbol: string): ReferenceBook | undefined {
    return this.bySymbol.get(venueSymbol);
  }

  all(): Iterable<ReferenceBook> {
    return this.bySymbol.values();
  }
}
