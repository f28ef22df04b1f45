/**
 * A bounded ring of rows: numbers row-major in one Float64Array (row `slot` holds `width` numbers
 * at `data[slot * width …]`), texts as UTF-8 bytes in a TextArena (text-arena.ts: off the JS heap).
 * Appending a row is O(1) and allocates nothing once the ring has grown; when the ring is full (by rows, or by the total weight
 * — text length — of its rows) the OLDEST rows are dropped to make room, and counted. The recorder
 * keeps two per table: one filling, one being written by the sink.
 *
 * Design: numbers row-major because a recorded row is written all at once (a top-20 book row is 89
 * numbers side by side) and the sink reads a partition's rows back together: a row is one or two
 * cache lines apart from the next number, where one Float64Array per column put every number of an
 * interleaved multi-symbol ring on its own cache line (the sink's gather ran ~8× slower). Typed
 * arrays keep a 100 k-row buffer out of the garbage collector's way. Capacity grows by doubling up
 * to `maxRows`, so an idle table costs little.
 */

import { TextArena } from './text-arena.ts';

/** What a sink reads of a batch: rows oldest first, row i at slot index(i). RowRing is one. */
export interface RowsView {
  readonly data: Float64Array;
  readonly width: number;
  readonly count: number;
  index(i: number): number;
  /** Text columns per row. */
  readonly textColumns: number;
  /** Text c of the row at slot s: UTF-8 bytes textBytes[textStart[k] … + textLength[k]), k = s·textColumns + c. */
  readonly textBytes: Uint8Array;
  readonly textStart: Int32Array;
  readonly textLength: Int32Array;
}

const utf8 = new TextDecoder();

/** Text `column` of the row at `slot`, as a string. */
export function textAt(rows: RowsView, slot: number, column: number): string {
  const k = slot * rows.textColumns + column;
  const start = rows.textStart[k]!;
  return utf8.decode(rows.textBytes.subarray(start, start + rows.textLength[k]!));
}

/** Numbers of `rows` rows of `width`: in a SharedArrayBuffer when another thread reads them in place. */
function numbersFor(rows: number, width: number, shared: boolean): Float64Array {
  return shared
    ? new Float64Array(new SharedArrayBuffer(rows * width * Float64Array.BYTES_PER_ELEMENT))
    : new Float64Array(rows * width);
}

export class RowRing implements RowsView {
  /** Numbers, row-major: row at `slot` is `data[slot * width … slot * width + width)`. */
  data: Float64Array;
  readonly texts: TextArena;
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
  readonly width: number;
  readonly maxRows: number;
  readonly maxWeight: number;

  constructor(
    numberColumns: number,
    textColumns: number,
    maxRows: number,
    maxWeight = Number.POSITIVE_INFINITY,
    initialRows = 1024,
    /** Numbers and texts in shared memory, for a sink that writes them from a worker thread without a copy. */
    readonly shared = false,
  ) {
    this.width = numberColumns;
    this.maxRows = maxRows;
    this.maxWeight = maxWeight;
    this.capacity = Math.max(1, Math.min(maxRows, initialRows));
    this.data = numbersFor(this.capacity, numberColumns, shared);
    this.texts = new TextArena(textColumns, this.capacity, shared);
    this.weights = Number.isFinite(maxWeight) ? new Float64Array(this.capacity) : undefined;
  }

  /** Slot of the i-th oldest row. */
  index(i: number): number {
    const at = this.start + i;
    return at >= this.capacity ? at - this.capacity : at;
  }

  /** Number `column` of the row at `slot`. */
  number(slot: number, column: number): number {
    return this.data[slot * this.width + column]!;
  }

  /** Set text `column` of the newest row (the slot push() returned). */
  setText(slot: number, column: number, text: string): void {
    this.texts.set(slot, column, text, this);
  }

  /** Text `column` of the row at `slot`. */
  text(slot: number, column: number): string {
    return this.texts.get(slot, column);
  }

  get textColumns(): number {
    return this.texts.columns;
  }

  get textBytes(): Uint8Array {
    return this.texts.bytes;
  }

  get textStart(): Int32Array {
    return this.texts.start;
  }

  get textLength(): Int32Array {
    return this.texts.length;
  }

  /**
   * Reserve the slot for a new newest row of `weight`, dropping the oldest rows as needed, and return
   * it; the caller writes every number (at `data[slot * width + column]`) and text of the row. A row
   * heavier than the whole limit is still taken (alone) — refusing it would lose it just the same,
   * and it is bounded by one frame.
   */
  push(weight = 0): number {
    while (this.count > 0 && (this.count >= this.maxRows || this.weight + weight > this.maxWeight)) {
      this.dropOldest();
    }
    if (this.count === this.capacity) this.grow();
    const slot = this.index(this.count);
    this.count++;
    if (this.texts.columns > 0) this.texts.resetSlot(slot);
    if (this.weights) {
      this.weights[slot] = weight;
      this.weight += weight;
    }
    return slot;
  }

  /** Forget every row. */
  clear(): void {
    this.texts.clear();
    this.start = 0;
    this.count = 0;
    this.weight = 0;
  }

  private dropOldest(): void {
    const slot = this.start;
    if (this.texts.columns > 0) this.texts.release(slot);
    if (this.weights) this.weight -= this.weights[slot]!;
    this.start = slot + 1 === this.capacity ? 0 : slot + 1;
    this.count--;
    this.dropped++;
  }

  /** Double the capacity (up to maxRows), laying the rows out from slot 0. */
  private grow(): void {
    const next = Math.min(this.maxRows, this.capacity * 2);
    const n = this.count;
    const w = this.width;
    const first = Math.min(n, this.capacity - this.start); // rows from start to the end of the arrays
    const data = numbersFor(next, w, this.shared);
    data.set(this.data.subarray(this.start * w, (this.start + first) * w), 0);
    if (n > first) data.set(this.data.subarray(0, (n - first) * w), first * w);
    this.data = data;
    if (this.texts.columns > 0) this.texts.relayout(next, n, (i) => this.index(i));
    if (this.weights) {
      const weights = new Float64Array(next);
      for (let i = 0; i < n; i++) weights[i] = this.weights[this.index(i)]!;
      this.weights = weights;
    }
    this.capacity = next;
    this.start = 0;
  }
}
