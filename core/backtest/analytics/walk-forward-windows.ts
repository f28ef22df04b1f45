/**
 * Walk-forward splitting of [start, end) into in-sample (fit) / out-of-sample (test) windows.
 *
 * Rolling (default): every fold has the same in-sample length IS and out-of-sample length OOS with
 * IS / (IS + OOS) = inSampleFraction; fold k starts k × OOS after fold 0, so the out-of-sample
 * windows tile the end of the range without overlap and the whole range is used:
 *   IS + folds × OOS = end − start.
 * With one fold and the default 0.6 this is the plain 60/40 split. Anchored: every in-sample window
 * starts at `start` (it grows); the out-of-sample windows are the same as rolling.
 * Windows are half-open [start, end) in µs; boundaries are rounded to whole µs and the last
 * out-of-sample window ends exactly at `end`.
 */
import type { Micros } from '../../market/events.ts';

export interface TimeWindow {
  readonly start: Micros;
  readonly end: Micros;
}

export interface WalkForwardWindow {
  /** 0-based. */
  readonly fold: number;
  readonly inSample: TimeWindow;
  readonly outOfSample: TimeWindow;
}

export interface WalkForwardOptions {
  /** Number of folds (default 1). */
  readonly folds?: number;
  /** In-sample share of each fold, 0 < f < 1 (default 0.6). */
  readonly inSampleFraction?: number;
  /** Anchored (expanding) in-sample windows instead of rolling ones (default false). */
  readonly anchored?: boolean;
}

export const DEFAULT_IN_SAMPLE_FRACTION = 0.6;

export function walkForwardWindows(
  start: Micros,
  end: Micros,
  options: WalkForwardOptions = {},
): WalkForwardWindow[] {
  const folds = options.folds ?? 1;
  const f = options.inSampleFraction ?? DEFAULT_IN_SAMPLE_FRACTION;
  if (!Number.isInteger(folds) || folds < 1)
    throw new RangeError(`folds must be an integer ≥ 1, got ${folds}`);
  if (!(f > 0 && f < 1)) throw new RangeError(`inSampleFraction must be in (0, 1), got ${f}`);
  if (!(end > start)) throw new RangeError(`empty range [${start}, ${end})`);
  const total = end - start;
  const isOverOos = f / (1 - f);
  const oos = total / (isOverOos + folds);
  const is = isOverOos * oos;
  if (oos < 1 || is < 1) throw new RangeError(`range of ${total} µs is too short for ${folds} folds`);
  const at = (offset: number): Micros => Math.min(end, start + Math.round(offset));
  const windows: WalkForwardWindow[] = [];
  for (let k = 0; k < folds; k++) {
    const isStart = options.anchored ? start : at(k * oos);
    const isEnd = at(is + k * oos);
    const oosEnd = k === folds - 1 ? end : at(is + (k + 1) * oos);
    windows.push({
      fold: k,
      inSample: { start: isStart, end: isEnd },
      outOfSample: { start: isEnd, end: oosEnd },
    });
  }
  return windows;
}
