/**
 * Drawdown of an equity path: the fall from the running peak, as a positive fraction of that peak.
 * The starting capital counts as the first peak (money lost right after the start is a drawdown).
 * Duration is the longest time spent below a peak: from the last moment AT the peak until equity
 * is back at or above it — or until the last sample, if it never recovers.
 */
import type { Micros } from '../../market/events.ts';

export interface DrawdownStats {
  /** Largest (peak − equity) / peak, ≥ 0. */
  readonly maxDrawdown: number;
  /** Longest underwater stretch, µs. */
  readonly maxDrawdownDurationUs: number;
  /** Where the largest drawdown bottomed (index into the input; −1 when there is none). */
  readonly troughIndex: number;
}

/** Drawdown fraction at each point (≥ 0), with `startValue` as the initial peak. */
export function drawdownSeries(values: ArrayLike<number>, startValue: number): Float64Array {
  const out = new Float64Array(values.length);
  let peak = startValue;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > peak) peak = v;
    out[i] = peak > 0 ? (peak - v) / peak : 0;
  }
  return out;
}

/**
 * Max drawdown and its longest duration over (ts[i], values[i]), preceded by a virtual sample
 * (startTs, startValue) — the capital before the first event.
 */
export function drawdownStats(
  ts: ArrayLike<Micros>,
  values: ArrayLike<number>,
  startTs: Micros,
  startValue: number,
): DrawdownStats {
  let peak = startValue;
  let peakTs = startTs;
  let underwater = false;
  let maxDd = 0;
  let troughIndex = -1;
  let longest = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const t = ts[i]!;
    if (v >= peak) {
      // Back at (or above) the peak: the underwater stretch ends here. Time spent AT the peak is
      // not underwater, so peakTs moves on with every sample at the peak.
      if (underwater) longest = Math.max(longest, t - peakTs);
      underwater = false;
      peak = v;
      peakTs = t;
      continue;
    }
    underwater = true;
    const dd = peak > 0 ? (peak - v) / peak : 0;
    if (dd > maxDd) {
      maxDd = dd;
      troughIndex = i;
    }
  }
  if (underwater) longest = Math.max(longest, ts[n - 1]! - peakTs);
  return { maxDrawdown: maxDd, maxDrawdownDurationUs: longest, troughIndex };
}

/** Max drawdown fraction of a value path that starts at `startValue` (Monte Carlo paths). */
export function maxDrawdownOfPath(values: ArrayLike<number>, startValue: number): number {
  let peak = startValue;
  let maxDd = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > peak) peak = v;
    else if (peak > 0) {
      const dd = (peak - v) / peak;
      if (dd > maxDd) maxDd = dd;
    }
  }
  return maxDd;
}
