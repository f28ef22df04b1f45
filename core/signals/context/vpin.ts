/**
 * VPIN (Easley, López de Prado, O'Hara 2012): fill volume buckets of size V, classify each bucket's
 * volume into buys and sells, and average |sell − buy| / V over the last n buckets.
 *
 * Classification: 'aggressor' uses the trade's own aggressor side (our venues report it; exact);
 * 'bulk' is bulk volume classification per trade: buy share Z(Δp / σ), Δp the price change from the
 * previous trade and σ the standard deviation of those changes over the last `bulkWindow` trades
 * (Z the standard normal CDF). Trades without a side under 'aggressor' are skipped and counted.
 * A trade larger than the room left in a bucket is split across buckets, as the paper splits bars.
 */
import { normalCdf } from './normal-cdf.ts';

export type VpinClassification = 'aggressor' | 'bulk';

export class Vpin {
  private readonly imbalances: Float64Array;
  private next = 0;
  private filledBuckets = 0;
  private sumImbalance = 0;
  private bucketBuy = 0;
  private bucketSell = 0;
  private lastPrice = Number.NaN;
  // bulk classification: rolling sums of price changes over the last trades (count-based ring)
  private readonly changes: Float64Array;
  private changeAt = 0;
  private changeCount = 0;
  private sumChange = 0;
  private sumChange2 = 0;
  /** Trades skipped for having no aggressor side ('aggressor' mode). */
  skipped = 0;

  constructor(
    /** Volume per bucket, in the same unit as the sizes handed to `onTrade`. */
    readonly bucketVolume: number,
    readonly buckets: number,
    readonly classification: VpinClassification = 'aggressor',
    readonly bulkWindow = 100,
  ) {
    this.imbalances = new Float64Array(buckets);
    this.changes = new Float64Array(bulkWindow);
  }

  /** Completed buckets so far (capped at `buckets`). */
  get completed(): number {
    return this.filledBuckets;
  }

  /** VPIN over the completed buckets (fewer than n until n have filled); NaN before the first. */
  value(): number {
    return this.filledBuckets > 0 ? this.sumImbalance / (this.filledBuckets * this.bucketVolume) : Number.NaN;
  }

  onTrade(price: number, size: number, side: 'buy' | 'sell' | 'unknown'): void {
    if (!(size > 0)) return;
    let buyShare: number;
    if (this.classification === 'aggressor') {
      if (side === 'unknown') {
        this.skipped++;
        return;
      }
      buyShare = side === 'buy' ? 1 : 0;
    } else {
      buyShare = this.bulkBuyShare(price);
    }
    let left = size;
    while (left > 0) {
      const room = this.bucketVolume - (this.bucketBuy + this.bucketSell);
      const take = Math.min(left, room);
      this.bucketBuy += take * buyShare;
      this.bucketSell += take * (1 - buyShare);
      left -= take;
      if (this.bucketBuy + this.bucketSell >= this.bucketVolume * (1 - 1e-12)) this.closeBucket();
    }
  }

  private closeBucket(): void {
    const imbalance = Math.abs(this.bucketSell - this.bucketBuy);
    if (this.filledBuckets === this.buckets) this.sumImbalance -= this.imbalances[this.next]!;
    else this.filledBuckets++;
    this.imbalances[this.next] = imbalance;
    this.sumImbalance += imbalance;
    this.next = (this.next + 1) % this.buckets;
    this.bucketBuy = 0;
    this.bucketSell = 0;
    // rebuild the running sum once per full turn of the ring, so float drift stays bounded
    if (this.next === 0) {
      let s = 0;
      for (let i = 0; i < this.filledBuckets; i++) s += this.imbalances[i]!;
      this.sumImbalance = s;
    }
  }

  private bulkBuyShare(price: number): number {
    const prev = this.lastPrice;
    this.lastPrice = price;
    if (Number.isNaN(prev)) return 0.5;
    const dp = price - prev;
    if (this.changeCount === this.bulkWindow) {
      const old = this.changes[this.changeAt]!;
      this.sumChange -= old;
      this.sumChange2 -= old * old;
    } else this.changeCount++;
    this.changes[this.changeAt] = dp;
    this.changeAt = (this.changeAt + 1) % this.bulkWindow;
    this.sumChange += dp;
    this.sumChange2 += dp * dp;
    const n = this.changeCount;
    const variance = n > 1 ? (this.sumChange2 - (this.sumChange * this.sumChange) / n) / (n - 1) : 0;
    return variance > 0 ? normalCdf(dp / Math.sqrt(variance)) : 0.5;
  }
}
