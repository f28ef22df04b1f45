/**
 * Put a capture's exchange timestamps on the receive clock.
 *
 * The recorder's clock and the venue's disagree: on the Binance BTCUSDT captures `localTs − exchTs`
 * is about −1.27 s for every row (our clock behind), which as a "feed latency" is impossible. The
 * simulator joins the exchange view (exchange time) and the strategy's view (receive time) by
 * latency, so both must be on one clock. hftbacktest asks users to "add a base latency" for this;
 * we estimate it:
 *
 *   'auto' (default): if the smallest observed latency is below `minFeedLatencyUs`, shift the
 *          venue clock so that it equals `minFeedLatencyUs` (model: latency = base + jitter ≥ base;
 *          the fastest message of a session saw only the base). A sane clock is left alone.
 *   'none': no shift.   number: subtract this many µs from every exchange time.
 *
 * After the shift exchange time is clamped to ≤ receive time (nothing is received before it
 * happened). Rows without a venue time (Binance spot REST snapshots) get receive time minus the
 * latency of the nearest earlier row (the first known one for leading rows).
 *
 * Finally each instrument's book rows (Clear, Snapshot, Depth, L3) are made non-decreasing in
 * exchange time, by lowering a row to the time of the next one where needed. The book is a
 * sequence: the exchange must apply it in the order the feed did. (Binance spot: diffs buffered
 * before the REST snapshot are applied after it, stamped with their own earlier event times; without
 * this the simulated exchange would apply them first and let the snapshot wipe them out.)
 */
import { EventKind } from './event-kind.ts';
import type { TapeColumns } from './tape.ts';

export type ClockSkewMode = 'auto' | 'none' | number;

export interface ClockSkewOptions {
  /** Default 'auto'. */
  readonly clockSkew?: ClockSkewMode;
  /** Smallest feed latency 'auto' assumes, µs. Default 1000 (1 ms: one network hop within a region). */
  readonly minFeedLatencyUs?: number;
}

export const DEFAULT_MIN_FEED_LATENCY_US = 1000;

export interface ClockCorrection {
  /** µs subtracted from the venue clock. */
  readonly offsetUs: number;
  /** Median of localTs − exchTs after correction, µs (0 when no row had a venue time). */
  readonly medianLatencyUs: number;
}

/** Correct rows [start, end) in place. Unknown exchange times are NaN on input. */
export function correctClock(
  cols: TapeColumns,
  start: number,
  end: number,
  options: ClockSkewOptions = {},
): ClockCorrection {
  const mode = options.clockSkew ?? 'auto';
  const minLatency = options.minFeedLatencyUs ?? DEFAULT_MIN_FEED_LATENCY_US;
  const { exchTs, localTs } = cols;
  let minSeen = Number.POSITIVE_INFINITY;
  let firstLatency = Number.NaN;
  for (let i = start; i < end; i++) {
    const x = exchTs[i]!;
    if (!(x > 0)) continue;
    const lat = localTs[i]! - x;
    if (lat < minSeen) minSeen = lat;
    if (Number.isNaN(firstLatency)) firstLatency = lat;
  }
  let offset = 0;
  if (typeof mode === 'number') offset = mode;
  else if (mode === 'auto' && minSeen < minLatency) offset = minLatency - minSeen;
  // Leading rows without a venue time borrow the first known latency; others the previous row's.
  let last = Number.isNaN(firstLatency) ? minLatency : firstLatency + offset;
  const sample: number[] = [];
  const every = Math.max(1, Math.floor((end - start) / 4096));
  for (let i = start; i < end; i++) {
    const x = exchTs[i]!;
    let corrected: number;
    if (x > 0) {
      corrected = x - offset;
      if (corrected > localTs[i]!) corrected = localTs[i]!;
      last = localTs[i]! - corrected;
    } else {
      corrected = localTs[i]! - Math.max(0, last);
    }
    exchTs[i] = corrected;
    // A ticker's next funding time is on the venue clock too.
    if (cols.kind[i] === EventKind.Funding && cols.aux[i]! > 0) cols.aux[i] = cols.aux[i]! - offset;
    if ((i - start) % every === 0) sample.push(localTs[i]! - corrected);
  }
  keepBookOrder(cols, start, end);
  sample.sort((a, b) => a - b);
  return { offsetUs: offset, medianLatencyUs: sample.length > 0 ? sample[sample.length >> 1]! : 0 };
}

function isBookRow(kind: number): boolean {
  return kind !== EventKind.Trade && kind !== EventKind.Funding;
}

/** Per instrument, lower book rows' exchange times so they never decrease along the tape. */
function keepBookOrder(cols: TapeColumns, start: number, end: number): void {
  const { kind, inst, exchTs } = cols;
  let nInst = 0;
  for (let i = start; i < end; i++) if (inst[i]! >= nInst) nInst = inst[i]! + 1;
  const next = new Float64Array(nInst).fill(Number.POSITIVE_INFINITY);
  for (let i = end - 1; i >= start; i--) {
    if (!isBookRow(kind[i]!)) continue;
    const k = inst[i]!;
    if (exchTs[i]! > next[k]!) exchTs[i] = next[k]!;
    else next[k] = exchTs[i]!;
  }
}
