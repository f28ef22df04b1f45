/**
 * One implementation measured on one case. The harness times only `run`; everything that prepares
 * or checks a run (fresh book from the snapshot, id-shifted input, verification) is outside the clock.
 */

/** A book, best level first, as floating-point [price, size] (for the cross-implementation check). */
export interface FloatBook {
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}

export type CaseId = 'A' | 'B';

export interface BookBench {
  readonly caseId: CaseId;
  readonly name: string;
  /** The implementation other results are divided by. */
  readonly isBaseline?: boolean;
  /** Untimed: a fresh book seeded from the snapshot, and the input of `rounds` rounds built. */
  setup(rounds: number): void;
  /** Timed: apply `rounds` passes over the capture's depth diffs. */
  run(rounds: number): void;
  /** Untimed: throws unless the last run applied everything it was given. */
  verify(rounds: number): void;
  /** Untimed: the resulting book (undefined for a case that keeps none). */
  book(): FloatBook | undefined;
}

/** First difference between two books, or undefined when they hold the same levels. */
export function bookDifference(a: FloatBook, b: FloatBook): string | undefined {
  for (const side of ['bids', 'asks'] as const) {
    const x = a[side];
    const y = b[side];
    if (x.length !== y.length) return `${side}: ${x.length} levels vs ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      const [p, s] = x[i]!;
      const [q, t] = y[i]!;
      if (p !== q || s !== t) return `${side}[${i}]: ${p}@${s} vs ${q}@${t}`;
    }
  }
  return undefined;
}
