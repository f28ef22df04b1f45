/**
 * A bounded ring of rows stored column by column: numbers in Float64Arrays, strings in arrays.
 * Appending a row is O(1) and allocates nothing once the ring has grown; when the ring is full (by
 * rows, or by the total weight — text length — of its rows) the OLDEST rows are dropped to make room,
 * and counted. The recorder keeps two per table: one filling, one being written by the sink.
 *
 * Design: columns rather than row objects because the sink reads a column at a time (DuckDB data
 * chunks) and typed arrays keep a 200 k-row buffer out of the garbage collector's way. Capacity grows
 * by doubling up to `maxRows`, so an idle table costs little.
 */

export class ColumnRing {
  numbers: Float64Array[];
  texts: Array<Array<string | undefined>>;
  /** Per-row weight, kept only when a weight limit is set. */
  private weights: Float64Array | undefined;
  /** Allocated rows. */
  capacity: number;
  /** Slot of the oldest row. */
  start = 0;
  count = 0;
  /** Total weight of the rows held. */
  weight = 0;
  /** Rows dropped to make room, over the ring's life. */
  dropped = 0;
  readonly maxRows: number;
  readonly maxWeight: number;

  constructor(
    numberColumns: number,
    textColumns: number,
    maxRows: number,
    maxWeight = Number.POSITIVE_INFINITY,
    initialRows = 1024,
  ) {
    this.maxRows = maxRows;
    this.maxWeight = maxWeight;
    this.capacity = Math.max(1, Math.min(maxRows, initialRows));
    this.numbers = Array.from({ length: numberColumns }, () => new Float64Array(this.capacity));
    this.texts = Array.from({ length: textColumns }, () => new Array<string | undefined>(this.capacity));
    this.weights = Number.isFinite(maxWeight) ? new Float64Array(this.capacity) : undefined;
  }

  /** Slot of the i-th oldest row. */
  index(i: number): number {
    const at = this.start + i;
    return at >= this.capacity ? at - this.capacity : at;
  }

  /**
   * Reserve the slot for a new newest row of `weight`, dropping the oldest rows as needed, and return
   * it; the caller writes every column at that slot. A row heavier than the whole limit is still
   * taken (alone) — refusing it would lose it just the same, and it is bounded by one frame.
   */
  push(weight = 0): number {
    while (this.count > 0 && (this.count >= this.maxRows || this.weight + weight > this.maxWeight)) {
      this.dropOldest();
    }
    if (this.count === this.capacity) this.grow();
    const slot = this.index(this.count);
    this.count++;
    if (this.weights) {
      this.weights[slot] = weight;
      this.weight += weight;
    }
    return slot;
  }

  /** Forget every row, releasing the strings they held. */
  clear(): void {
    const texts = this.texts;
    if (texts.length > 0) {
      for (let i = 0; i < this.count; i++) {
        const slot = this.index(i);
        for (let t = 0; t < texts.length; t++) texts[t]![slot] = undefined;
      }
    }
    this.start = 0;
    this.count = 0;
    this.weight = 0;
  }

  private dropOldest(): void {
    const slot = this.start;
    for (let t = 0; t < this.texts.length; t++) this.texts[t]![slot] = undefined;
    if (this.weights) this.weight -= this.weights[slot]!;
    this.start = slot + 1 === this.capacity ? 0 : slot + 1;
    this.count--;
    this.dropped++;
  }

  /** Double the capacity (up to maxRows), laying the rows out from slot 0. */
  private grow(): void {
    const next = Math.min(this.maxRows, this.capacity * 2);
    const first = this.capacity - this.start; // rows from start to the end of the arrays
    const n = this.count;
    this.numbers = this.numbers.map((col) => {
      const out = new Float64Array(next);
      out.set(col.subarray(this.start, this.start + Math.min(first, n)), 0);
      if (n > first) out.set(col.subarray(0, n - first), first);
      return out;
    });
    this.texts = this.texts.map((col) => {
      const out = new Array<string | undefined>(next);
      for (let i = 0; i < n; i++) out[i] = col[this.index(i)];
      return out;
    });
    if (this.weights) {
      const w = new Float64Array(next);
      for (let i = 0; i < n; i++) w[i] = this.weights[this.index(i)]!;
      this.weights = w;
    }
    this.capacity = next;
    this.start = 0;
  }
}
