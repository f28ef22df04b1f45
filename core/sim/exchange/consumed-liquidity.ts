/**
 * Liquidity our own taker fills have used, per price level (NautilusTrader's liquidity_consumption;
 * docs/backtest-models.md, Liquidity consumption): the replayed book does not know we traded, so
 * without this a second order would take the same displayed size again. An entry remembers the
 * level's displayed size when we first took from it; it lapses when the data changes that level (a
 * Depth row for its price), i.e. when the recording shows what the market did next. A handful of
 * entries at most, so flat arrays and linear scans.
 */
export class ConsumedLiquidity {
  count = 0;
  private isBid = new Uint8Array(16);
  private price = new Float64Array(16);
  private shown = new Float64Array(16);
  private used = new Float64Array(16);

  /** Size still available at a level showing `displayed`. */
  available(isBid: boolean, price: number, displayed: number): number {
    const b = isBid ? 1 : 0;
    for (let i = 0; i < this.count; i++) {
      if (this.price[i] === price && this.isBid[i] === b) {
        return this.shown[i] === displayed ? Math.max(0, displayed - this.used[i]!) : displayed;
      }
    }
    return displayed;
  }

  take(isBid: boolean, price: number, displayed: number, size: number): void {
    const b = isBid ? 1 : 0;
    for (let i = 0; i < this.count; i++) {
      if (this.price[i] === price && this.isBid[i] === b) {
        if (this.shown[i] !== displayed) {
          this.shown[i] = displayed;
          this.used[i] = 0;
        }
        this.used[i] = this.used[i]! + size;
        return;
      }
    }
    if (this.count === this.price.length) this.grow();
    const i = this.count++;
    this.isBid[i] = b;
    this.price[i] = price;
    this.shown[i] = displayed;
    this.used[i] = size;
  }

  /** The data changed this level: what we took is no longer subtracted. */
  release(isBid: boolean, price: number): void {
    const b = isBid ? 1 : 0;
    for (let i = 0; i < this.count; i++) {
      if (this.price[i] === price && this.isBid[i] === b) {
        const last = --this.count;
        this.isBid[i] = this.isBid[last]!;
        this.price[i] = this.price[last]!;
        this.shown[i] = this.shown[last]!;
        this.used[i] = this.used[last]!;
        return;
      }
    }
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const n = this.price.length * 2;
    const isBid = new Uint8Array(n);
    isBid.set(this.isBid);
    this.isBid = isBid;
    for (const key of ['price', 'shown', 'used'] as const) {
      const a = new Float64Array(n);
      a.set(this[key]);
      this[key] = a;
    }
  }
}
