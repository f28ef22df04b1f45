/**
 * Latency per stage, in µs, as fixed log-linear histograms (64 sub-buckets per power of two: under
 * 1.6 % relative error; 1 ns … ~17 s), so recording on the hot path is a few arithmetic operations
 * and no allocation. Percentiles are read off the buckets (each reported as its bucket's midpoint).
 */
export const STAGES = ['detect', 'context', 'assess', 'execute', 'all'] as const;
export type StageName = (typeof STAGES)[number];
export const Stage = { Detect: 0, Context: 1, Assess: 2, Execute: 3, All: 4 } as const;

const SUB = 64;
const OCTAVES = 34;
/** Values are recorded in ns (µs × 1000) so sub-µs stages keep their resolution. */
const NS_PER_US = 1000;

export class LatencyHistogram {
  readonly buckets = new Float64Array(SUB * OCTAVES);
  count = 0;
  max = 0;
  sumUs = 0;

  record(us: number): void {
    const ns = Math.max(1, us * NS_PER_US);
    const e = Math.min(OCTAVES - 1, Math.floor(Math.log2(ns)));
    const base = 2 ** e;
    const sub = Math.min(SUB - 1, Math.floor(((ns - base) / base) * SUB));
    this.buckets[e * SUB + sub]!++;
    this.count++;
    this.sumUs += us;
    if (us > this.max) this.max = us;
  }

  /** Observations in buckets that lie wholly at or below `us` (a Prometheus `le` count, to bucket resolution). */
  countAtOrBelow(us: number): number {
    const ns = us * NS_PER_US;
    let n = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const e = Math.floor(i / SUB);
      const base = 2 ** e;
      const upper = base + (((i % SUB) + 1) * base) / SUB;
      if (upper > ns) break;
      n += this.buckets[i]!;
    }
    return n;
  }

  /** The p-th percentile (0–100), µs; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) {
        const e = Math.floor(i / SUB);
        const base = 2 ** e;
        const lo = base + ((i % SUB) * base) / SUB;
        return Math.min(this.max, (lo + base / SUB / 2) / NS_PER_US);
      }
    }
    return this.max;
  }

  clear(): void {
    this.buckets.fill(0);
    this.count = 0;
    this.max = 0;
    this.sumUs = 0;
  }
}

export class StageLatency {
  readonly stages: readonly LatencyHistogram[] = STAGES.map(() => new LatencyHistogram());

  record(stage: number, us: number): void {
    this.stages[stage]!.record(us);
  }

  /** {p50, p99} per stage, µs rounded to 3 decimals (allocates: for reports). */
  summary(): Record<StageName, { p50: number; p99: number }> {
    const r = (x: number) => (Number.isNaN(x) ? Number.NaN : Math.round(x * 1000) / 1000);
    const out = {} as Record<StageName, { p50: number; p99: number }>;
    STAGES.forEach((name, i) => {
      const h = this.stages[i]!;
      out[name] = { p50: r(h.percentile(50)), p99: r(h.percentile(99)) };
    });
    return out;
  }
}
