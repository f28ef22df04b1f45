/**
 * Minimum and maximum of a value over a sliding time window, O(1) amortized per sample: two
 * monotonic deques (ascending for the minimum, descending for the maximum) in fixed rings grown by
 * doubling. Micro-move detection asks "how far has the mid moved within the last y ms" on every
 * book update; rescanning the window would be O(window).
 */
class MonotonicDeque {
  private ts: Float64Array;
  private vs: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    /** +1 keeps the minimum at the front, −1 the maximum. */
    private readonly sign: 1 | -1,
    capacity: number,
  ) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    const s = this.sign;
    while (this.size > 0) {
      const last = (this.head + this.size - 1) % this.vs.length;
      if (s * this.vs[last]! >= s * v) this.size--;
      else break;
    }
    if (this.size === this.vs.length) this.grow();
    const i = (this.head + this.size) % this.vs.length;
    this.ts[i] = t;
    this.vs[i] = v;
    this.size++;
  }

  expire(cut: number): void {
    while (this.size > 0 && this.ts[this.head]! <= cut) {
      this.head = (this.head + 1) % this.vs.length;
      this.size--;
    }
  }

  front(): number {
    return this.size > 0 ? this.vs[this.head]! : Number.NaN;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const cap = this.vs.length;
    const ts = new Float64Array(cap * 2);
    const vs = new Float64Array(cap * 2);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) % cap;
      ts[k] = this.ts[i]!;
      vs[k] = this.vs[i]!;
    }
    this.ts = ts;
    this.vs = vs;
    this.head = 0;
  }
}

export class WindowExtremes {
  private readonly lo: MonotonicDeque;
  private readonly hi: MonotonicDeque;

  constructor(
    readonly span: number,
    capacity = 64,
  ) {
    this.lo = new MonotonicDeque(1, capacity);
    this.hi = new MonotonicDeque(-1, capacity);
  }

  /** Add a sample and drop those with time ≤ t − span. */
  push(t: number, v: number): void {
    this.lo.push(t, v);
    this.hi.push(t, v);
    this.lo.expire(t - this.span);
    this.hi.expire(t - this.span);
  }

  min(): number {
    return this.lo.front();
  }

  max(): number {
    return this.hi.front();
  }

  clear(): void {
    this.lo.clear();
    this.hi.clear();
  }
}
