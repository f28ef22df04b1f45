/**
 * The level changes one message applied, in a reusable buffer: the hot path hands this to listeners
 * instead of allocating an event per message. Call {@link LevelChanges.toLevels} (allocates) when an
 * immutable copy is needed, e.g. to record a BookDeltaEvent.
 */
export class LevelChanges {
  count = 0;
  private isBid = new Uint8Array(64);
  private prices = new Float64Array(64);
  private sizes = new Float64Array(64);
  private previous = new Float64Array(64);

  reset(): void {
    this.count = 0;
  }

  /** `previous`: the size the level held before this change (0: none), NaN when the writer did not say. */
  push(isBid: boolean, price: number, size: number, previous = Number.NaN): void {
    if (this.count === this.prices.length) this.grow();
    const i = this.count++;
    this.isBid[i] = isBid ? 1 : 0;
    this.prices[i] = price;
    this.sizes[i] = size;
    this.previous[i] = previous;
  }

  sideAt(i: number): boolean {
    return this.isBid[i] === 1;
  }

  priceAt(i: number): number {
    return this.prices[i]!;
  }

  sizeAt(i: number): number {
    return this.sizes[i]!;
  }

  /** The level's size before change i, NaN when unknown. */
  previousAt(i: number): number {
    return this.previous[i]!;
  }

  /** Every change says what the level held before it, so the message can be undone. */
  previousKnown(): boolean {
    for (let i = 0; i < this.count; i++) if (Number.isNaN(this.previous[i]!)) return false;
    return true;
  }

  /** Immutable copy split by side, in arrival order. */
  toLevels(): { bids: Array<readonly [number, number]>; asks: Array<readonly [number, number]> } {
    const bids: Array<readonly [number, number]> = [];
    const asks: Array<readonly [number, number]> = [];
    for (let i = 0; i < this.count; i++) {
      (this.isBid[i] === 1 ? bids : asks).push([this.prices[i]!, this.sizes[i]!]);
    }
    return { bids, asks };
  }

  private grow(): void {
    const n = this.prices.length * 2;
    const isBid = new Uint8Array(n);
    const prices = new Float64Array(n);
    const sizes = new Float64Array(n);
    const previous = new Float64Array(n);
    isBid.set(this.isBid);
    prices.set(this.prices);
    sizes.set(this.sizes);
    previous.set(this.previous);
    this.isBid = isBid;
    this.prices = prices;
    this.sizes = sizes;
    this.previous = previous;
  }
}
