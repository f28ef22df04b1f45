/**
 * Stoikov's micro-price (SSRN 2970694), first-order term estimated online:
 *   P_micro ≈ M + g¹(I, S),  g¹(I, S) = E[M_τ1 − M | I, S],
 * M the mid, S the spread in ticks (1, 2, ≥3), I = Qᵇ/(Qᵇ+Qᵃ) in `buckets` equal buckets, τ1 the next
 * time the mid changes. Every book update is one observation of its state; when the mid next moves
 * by Δ, every observation waiting since the previous move is credited with Δ (O(states) per mid
 * move, states = 3 × buckets, fixed). Symmetrized as in the paper: each credit also goes to the
 * mirrored state (1 − I, S) with −Δ. The full estimator sums Bⁱg¹ terms; the first term carries
 * most of the adjustment and needs no matrix inverse on the hot path.
 *
 * Until a state has `minObservations`, the size-weighted mid stands in (the paper's naive
 * estimate).
 */
const SPREADS = 3;

export class StoikovMicroprice {
  private readonly sum: Float64Array;
  private readonly count: Float64Array;
  private readonly waiting: Float64Array;
  private waitingAny = false;
  private lastMid = Number.NaN;

  constructor(
    readonly buckets = 10,
    readonly minObservations = 20,
  ) {
    const states = buckets * SPREADS;
    this.sum = new Float64Array(states);
    this.count = new Float64Array(states);
    this.waiting = new Float64Array(states);
  }

  /** The state index of a book (−1 when it has no two-sided top). */
  state(bidSize: number, askSize: number, spreadTicks: number): number {
    const total = bidSize + askSize;
    if (!(total > 0) || !(spreadTicks > 0)) return -1;
    const b = Math.min(this.buckets - 1, Math.floor((bidSize / total) * this.buckets));
    const s = Math.min(SPREADS, Math.round(spreadTicks)) - 1;
    return s * this.buckets + b;
  }

  /**
   * Observe a book: mid (price units), best sizes, spread and tick (price units); returns the
   * micro-price (price units), or `weightedMid` while the state has too few observations.
   */
  observe(
    mid: number,
    bidSize: number,
    askSize: number,
    spread: number,
    tick: number,
    weightedMid: number,
  ): number {
    if (Number.isNaN(mid)) return Number.NaN;
    if (!Number.isNaN(this.lastMid) && mid !== this.lastMid && this.waitingAny)
      this.credit((mid - this.lastMid) / tick);
    this.lastMid = mid;
    const st = this.state(bidSize, askSize, spread / tick);
    if (st < 0) return weightedMid;
    this.waiting[st]!++;
    this.waitingAny = true;
    return this.estimate(st, mid, tick, weightedMid);
  }

  /** g¹ of a state in ticks, NaN below minObservations. */
  g1(state: number): number {
    const n = this.count[state]!;
    return n >= this.minObservations ? this.sum[state]! / n : Number.NaN;
  }

  private estimate(st: number, mid: number, tick: number, fallback: number): number {
    const g = this.g1(st);
    return Number.isNaN(g) ? fallback : mid + g * tick;
  }

  private credit(deltaTicks: number): void {
    const B = this.buckets;
    for (let st = 0; st < this.waiting.length; st++) {
      const w = this.waiting[st]!;
      if (w === 0) continue;
      const s = Math.floor(st / B);
      const mirror = s * B + (B - 1 - (st % B));
      this.sum[st]! += w * deltaTicks;
      this.count[st]! += w;
      this.sum[mirror]! -= w * deltaTicks;
      this.count[mirror]! += w;
      this.waiting[st] = 0;
    }
    this.waitingAny = false;
  }
}
