/**
 * The same asset across venues (BTC/USDT spot on Binance, BTC/USDT:USDT on Binance USD-M and
 * Bybit…): mid correlation and lead-lag. Each member's last mid is sampled on a fixed time grid
 * (previous-tick: the mid in force when a grid step ends); per step the log return of each member
 * enters, for each pair and each lag L ∈ [−m, m], a count window of (r_a(k − L), r_b(k)) pairs
 * (positive L: a leads b). Correlation at lag 0 is the mid correlation; the lag with the largest
 * correlation is the lead-lag. Cost per grid step: O(pairs × lags), fixed by configuration; nothing
 * per market event.
 */
import { RollingSums } from '../windows/rolling-sums.ts';

export class CrossVenueGroup {
  readonly members: number[] = [];
  /** Per member: the mid now and at the last grid step. */
  private mids: Float64Array = new Float64Array(0);
  private stepMids: Float64Array = new Float64Array(0);
  /** Per member: the last 2m+1 returns (ring by step index). */
  private history: Float64Array[] = [];
  /** [pair][lag + m]. */
  private pairs: RollingSums[][] = [];
  private step = 0;

  constructor(
    /** Group key: the unified symbol without a settlement suffix ("BTC/USDT"). */
    readonly asset: string,
    readonly samples: number,
    readonly maxLag: number,
  ) {}

  /** Add a pipeline slot; returns its member index. Allocates (setup, once per instrument). */
  add(slot: number): number {
    const k = this.members.length;
    this.members.push(slot);
    const grow = (a: Float64Array) => {
      const b = new Float64Array(k + 1).fill(Number.NaN);
      b.set(a);
      return b;
    };
    this.mids = grow(this.mids);
    this.stepMids = grow(this.stepMids);
    this.history.push(new Float64Array(2 * this.maxLag + 1).fill(Number.NaN));
    const lags = 2 * this.maxLag + 1;
    this.pairs = [];
    for (let a = 0; a < this.members.length; a++)
      for (let b = a + 1; b < this.members.length; b++) {
        const row: RollingSums[] = [];
        for (let l = 0; l < lags; l++)
          row.push(new RollingSums(this.samples, Math.min(this.samples + 1, 1024)));
        this.pairs.push(row);
      }
    return k;
  }

  setMid(member: number, mid: number): void {
    this.mids[member] = mid;
  }

  /** A grid step ended (steps must be consecutive integers). */
  sample(): void {
    const n = this.members.length;
    const m = this.maxLag;
    const len = 2 * m + 1;
    const k = this.step++;
    for (let i = 0; i < n; i++) {
      const now = this.mids[i]!;
      const before = this.stepMids[i]!;
      this.history[i]![k % len] = now > 0 && before > 0 ? Math.log(now / before) : Number.NaN;
      this.stepMids[i] = now;
    }
    let p = 0;
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) {
        const row = this.pairs[p++]!;
        const ha = this.history[a]!;
        const hb = this.history[b]!;
        for (let l = -m; l <= m; l++) {
          // lag l > 0: a's return l steps earlier against b's now; l < 0: b leads
          const ia = l >= 0 ? k - l : k;
          const ib = l >= 0 ? k : k + l;
          if (ia < 0 || ib < 0) continue;
          const ra = ha[ia % len]!;
          const rb = hb[ib % len]!;
          if (Number.isNaN(ra) || Number.isNaN(rb)) continue;
          row[l + m]!.push(k, ra, rb);
        }
      }
  }

  /** Correlation of members a and b (a < b) at lag l. */
  correlation(a: number, b: number, lag = 0): number {
    const row = this.pairs[this.pairIndex(a, b)];
    return row ? row[lag + this.maxLag]!.correlation() : Number.NaN;
  }

  /** The lag (grid steps, positive: a leads b) with the largest correlation, and that correlation. */
  leadLag(a: number, b: number): { lag: number; correlation: number } {
    let best = Number.NaN;
    let lag = 0;
    for (let l = -this.maxLag; l <= this.maxLag; l++) {
      const c = this.correlation(a, b, l);
      if (!Number.isNaN(c) && (Number.isNaN(best) || c > best)) {
        best = c;
        lag = l;
      }
    }
    return { lag, correlation: best };
  }

  /** Samples behind the lag-0 correlation of a and b. */
  sampleCount(a: number, b: number): number {
    const row = this.pairs[this.pairIndex(a, b)];
    return row ? row[this.maxLag]!.count : 0;
  }

  private pairIndex(a: number, b: number): number {
    const n = this.members.length;
    // pairs are listed (0,1), (0,2), …, (1,2), …
    return a * n - (a * (a + 1)) / 2 + (b - a - 1);
  }
}

/** "BTC/USDT:USDT" → "BTC/USDT": the asset a perpetual and its spot market share. */
export function assetOf(symbol: string): string {
  const colon = symbol.indexOf(':');
  return colon < 0 ? symbol : symbol.slice(0, colon);
}
