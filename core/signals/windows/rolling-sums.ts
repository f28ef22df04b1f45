/**
 * Sums over a sliding time window of (x, y) samples: n, Σx, Σy, Σx², Σy², Σxy, so means,
 * variances, covariance, correlation and the OLS slope of y on x come out in O(1).
 *
 * Samples sit in a ring of typed arrays (grown by doubling when a burst exceeds it, so pushes are
 * O(1) amortized and steady state allocates nothing); `advance(now)` drops those older than the
 * window. Subtracting old samples from float sums drifts; the sums are rebuilt from the ring every
 * `capacity` evictions, which keeps the drift bounded at the same amortized cost.
 */
export class RollingSums {
  private ts: Float64Array;
  private xs: Float64Array;
  private ys: Float64Array;
  private head = 0;
  private size = 0;
  private evictions = 0;
  n = 0;
  sx = 0;
  sy = 0;
  sxx = 0;
  syy = 0;
  sxy = 0;

  constructor(
    /** Window length, same unit as the timestamps (µs here). */
    readonly span: number,
    initialCapacity = 256,
  ) {
    const c = Math.max(4, initialCapacity);
    this.ts = new Float64Array(c);
    this.xs = new Float64Array(c);
    this.ys = new Float64Array(c);
  }

  get count(): number {
    return this.size;
  }

  /** Add a sample at time `t` (times must not go backwards), then drop what fell out of the window. */
  push(t: number, x: number, y: number): void {
    if (this.size === this.ts.length) this.grow();
    const i = (this.head + this.size) % this.ts.length;
    this.ts[i] = t;
    this.xs[i] = x;
    this.ys[i] = y;
    this.size++;
    this.n++;
    this.sx += x;
    this.sy += y;
    this.sxx += x * x;
    this.syy += y * y;
    this.sxy += x * y;
    this.advance(t);
  }

  /** Drop samples with time ≤ now − span. */
  advance(now: number): void {
    const cut = now - this.span;
    const cap = this.ts.length;
    while (this.size > 0 && this.ts[this.head]! <= cut) {
      const x = this.xs[this.head]!;
      const y = this.ys[this.head]!;
      this.n--;
      this.sx -= x;
      this.sy -= y;
      this.sxx -= x * x;
      this.syy -= y * y;
      this.sxy -= x * y;
      this.head = (this.head + 1) % cap;
      this.size--;
      if (++this.evictions >= cap) this.rebuild();
    }
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
    this.evictions = 0;
    this.n = this.sx = this.sy = this.sxx = this.syy = this.sxy = 0;
  }

  meanX(): number {
    return this.n > 0 ? this.sx / this.n : Number.NaN;
  }

  meanY(): number {
    return this.n > 0 ? this.sy / this.n : Number.NaN;
  }

  /** Population covariance of x and y. */
  cov(): number {
    return this.n > 0 ? (this.sxy - (this.sx * this.sy) / this.n) / this.n : Number.NaN;
  }

  varX(): number {
    return this.n > 0 ? Math.max(0, (this.sxx - (this.sx * this.sx) / this.n) / this.n) : Number.NaN;
  }

  varY(): number {
    return this.n > 0 ? Math.max(0, (this.syy - (this.sy * this.sy) / this.n) / this.n) : Number.NaN;
  }

  /** OLS slope of y on x (with intercept); NaN with fewer than 2 samples or no spread in x. */
  slope(): number {
    if (this.n < 2) return Number.NaN;
    const den = this.n * this.sxx - this.sx * this.sx;
    return den > 1e-12 * Math.max(1, this.n * this.sxx)
      ? (this.n * this.sxy - this.sx * this.sy) / den
      : Number.NaN;
  }

  /** Pearson correlation; NaN with fewer than 2 samples or a constant series. */
  correlation(): number {
    if (this.n < 2) return Number.NaN;
    const vx = this.varX();
    const vy = this.varY();
    if (!(vx > 0) || !(vy > 0)) return Number.NaN;
    return Math.max(-1, Math.min(1, this.cov() / Math.sqrt(vx * vy)));
  }

  /** Oldest sample's time, NaN when empty. */
  oldestTime(): number {
    return this.size > 0 ? this.ts[this.head]! : Number.NaN;
  }

  private rebuild(): void {
    this.evictions = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    const cap = this.ts.length;
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) % cap;
      const x = this.xs[i]!;
      const y = this.ys[i]!;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    this.n = this.size;
    this.sx = sx;
    this.sy = sy;
    this.sxx = sxx;
    this.syy = syy;
    this.sxy = sxy;
  }

  private grow(): void {
    const cap = this.ts.length;
    const next = cap * 2;
    const ts = new Float64Array(next);
    const xs = new Float64Array(next);
    const ys = new Float64Array(next);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) % cap;
      ts[k] = this.ts[i]!;
      xs[k] = this.xs[i]!;
      ys[k] = this.ys[i]!;
    }
    this.ts = ts;
    this.xs = xs;
    this.ys = ys;
    this.head = 0;
  }
}
