/**
 * How fast the edge decays with latency: the least-squares slope of pnl against added latency
 * (quote currency per ms), and that slope relative to the 0-ms pnl (fraction of the base pnl lost
 * or gained per ms; −0.02 = 2 % of the edge gone per extra ms). The relative figure divides by
 * |pnl at 0 ms| so its sign always matches the slope; it is null when that pnl is 0.
 */

/** The offsets the sweep runs by default, ms added to the scenario's latency. */
export const DEFAULT_LATENCY_OFFSETS_MS: readonly number[] = [0, 1, 5, 10, 50];

export interface LatencyPoint {
  readonly addedLatencyMs: number;
  readonly pnl: number;
}

export interface LatencySensitivity {
  /** Input points sorted by added latency. */
  readonly points: readonly LatencyPoint[];
  /** d(pnl)/d(latency), quote currency per ms; 0 with fewer than two distinct latencies. */
  readonly slopePerMs: number;
  readonly intercept: number;
  /** pnl of the 0-ms point when given, else the fit's intercept. */
  readonly basePnl: number;
  /** slopePerMs / |basePnl|; null when basePnl is 0. */
  readonly relativeSlopePerMs: number | null;
  /** Coefficient of determination of the fit; null when pnl does not vary. */
  readonly rSquared: number | null;
}

export function latencySensitivity(input: readonly LatencyPoint[]): LatencySensitivity {
  const points = [...input].sort((a, b) => a.addedLatencyMs - b.addedLatencyMs);
  const n = points.length;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.addedLatencyMs;
    sy += p.pnl;
  }
  const mx = n > 0 ? sx / n : 0;
  const my = n > 0 ? sy / n : 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = p.addedLatencyMs - mx;
    const dy = p.pnl - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const zero = points.find((p) => p.addedLatencyMs === 0);
  const basePnl = zero ? zero.pnl : intercept;
  return {
    points,
    slopePerMs: slope,
    intercept,
    basePnl,
    relativeSlopePerMs: basePnl !== 0 ? slope / Math.abs(basePnl) : null,
    rSquared: syy > 0 && sxx > 0 ? (sxy * sxy) / (sxx * syy) : null,
  };
}
