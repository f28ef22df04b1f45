/**
 * Wall time of each trading decision — strategy callback → risk gate → OMS → venue call — in
 * fixed Prometheus buckets (µs). Recording is an array increment: cheap enough for the hot path.
 */
import type { TickToOrderSource } from '../ops/metrics.ts';

const BOUNDS_US = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000, 20_000];

export class DecisionHistogram implements TickToOrderSource {
  private readonly counts = new Float64Array(BOUNDS_US.length);
  private total = 0;
  private n = 0;

  record(us: number): void {
    this.total += us;
    this.n++;
    for (let i = 0; i < BOUNDS_US.length; i++) {
      if (us <= BOUNDS_US[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  buckets(): readonly { readonly le: number; readonly count: number }[] {
    let cumulative = 0;
    return BOUNDS_US.map((le, i) => {
      cumulative += this.counts[i]!;
      return { le, count: cumulative };
    });
  }

  sum(): number {
    return this.total;
  }

  count(): number {
    return this.n;
  }
}
