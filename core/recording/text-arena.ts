/**
 * The text columns of a RowRing (raw frames, urls, trade ids, event details) as UTF-8 bytes in one
 * growable byte buffer, outside the JS heap.
 *
 * Why not keep the strings: a recorder holds every raw frame until its batch is written — tens of
 * thousands of strings a second, each surviving into the old generation — and the main thread's
 * major GCs then took 10–20 ms (measured while recording 2000 symbols), a stall of the feed. Copied
 * here on record (~0.1 µs for a 350-character frame), a frame string dies young, the bytes are
 * written to Parquet as they lie (no UTF-8 encoding later), and in shared memory a writer thread
 * reads them without a copy.
 *
 * Layout: text `column` of the row in `slot` is `bytes[start[slot·columns + column] …` + its length.
 * Rows' bytes are appended in row order; dropped rows leave garbage that a compaction (packing the
 * live rows to the front, in ring order) reclaims when the buffer would otherwise grow; clear()
 * starts over.
 */

const INITIAL_BYTES = 1 << 16;
/** Texts up to this many characters are written by a JS loop (see writeShort). */
const SHORT_TEXT = 24;

function bufferOf(bytes: number, shared: boolean): Buffer {
  return shared ? Buffer.from(new SharedArrayBuffer(bytes)) : Buffer.allocUnsafeSlow(bytes);
}

function intsOf(n: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(n * Int32Array.BYTES_PER_ELEMENT)) : new Int32Array(n);
}

/** The live rows, oldest first (the ring's order). */
export interface LiveRows {
  readonly count: number;
  index(i: number): number;
}

export class TextArena {
  bytes: Buffer;
  /** Byte offset of text (slot, column) at [slot * columns + column]. */
  start: Int32Array;
  /** Byte length of text (slot, column). */
  length: Int32Array;
  /** Next free byte. */
  end = 0;
  /** Bytes of live rows (the rest below `end` is garbage from dropped rows). */
  liveBytes = 0;

  constructor(
    readonly columns: number,
    slots: number,
    readonly shared: boolean,
  ) {
    this.bytes = bufferOf(columns > 0 ? INITIAL_BYTES : 0, shared);
    this.start = intsOf(slots * columns, shared);
    this.length = intsOf(slots * columns, shared);
  }

  /** A new row in `slot`: every text empty until set. */
  resetSlot(slot: number): void {
    const at = slot * this.columns;
    for (let c = 0; c < this.columns; c++) {
      this.start[at + c] = this.end;
      this.length[at + c] = 0;
    }
  }

  /** Store `text` as column `column` of the (newest) row in `slot`. */
  set(slot: number, column: number, text: string, live: LiveRows): void {
    const k = slot * this.columns + column;
    this.liveBytes -= this.length[k]!;
    this.length[k] = 0;
    if (text.length === 0) {
      this.start[k] = this.end;
      return;
    }
    const worst = text.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (this.end + worst > this.bytes.length) this.makeRoom(worst, live);
    const n = text.length <= SHORT_TEXT ? this.writeShort(text) : this.bytes.write(text, this.end);
    this.start[k] = this.end;
    this.length[k] = n;
    this.end += n;
    this.liveBytes += n;
  }

  /**
   * A short text in a JS loop — for ids and urls a native call costs more than the bytes — as
   * ASCII, or through Buffer#write at the first other character.
   */
  private writeShort(text: string): number {
    const bytes = this.bytes;
    const at = this.end;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return bytes.write(text, at);
      bytes[at + i] = c;
    }
    return text.length;
  }

  /** The text back as a string (tests, slow paths; sinks read the bytes). */
  get(slot: number, column: number): string {
    const k = slot * this.columns + column;
    const s = this.start[k]!;
    return this.bytes.toString('utf8', s, s + this.length[k]!);
  }

  /** A row left the ring (dropped): its bytes become garbage. */
  release(slot: number): void {
    const at = slot * this.columns;
    for (let c = 0; c < this.columns; c++) {
      this.liveBytes -= this.length[at + c]!;
      this.length[at + c] = 0;
    }
  }

  /** Every row left (the ring was cleared). */
  clear(): void {
    this.end = 0;
    this.liveBytes = 0;
  }

  /**
   * The ring grew to `slots` slots and re-laid its rows from slot 0 (row i, which was at
   * `oldSlot(i)`, is now at slot i): the per-slot offsets follow; the bytes stay where they are.
   */
  relayout(slots: number, count: number, oldSlot: (i: number) => number): void {
    const cols = this.columns;
    const start = intsOf(slots * cols, this.shared);
    const length = intsOf(slots * cols, this.shared);
    for (let i = 0; i < count; i++) {
      const from = oldSlot(i) * cols;
      for (let c = 0; c < cols; c++) {
        start[i * cols + c] = this.start[from + c]!;
        length[i * cols + c] = this.length[from + c]!;
      }
    }
    this.start = start;
    this.length = length;
  }

  /** Free `need` bytes at the end: pack the live rows to the front when that frees enough, else grow. */
  private makeRoom(need: number, live: LiveRows): void {
    const garbage = this.end - this.liveBytes;
    // Compacting costs a pass over the live bytes: only when it frees a good share of the buffer.
    if (garbage >= need && garbage * 4 >= this.bytes.length) this.compact(live);
    if (this.end + need <= this.bytes.length) return;
    let size = this.bytes.length * 2 || INITIAL_BYTES;
    while (size < this.end + need) size *= 2;
    const next = bufferOf(size, this.shared);
    this.bytes.copy(next, 0, 0, this.end);
    this.bytes = next;
  }

  /** Move the live rows' bytes to the front, in ring order (offsets only ever decrease: in place). */
  private compact(live: LiveRows): void {
    const cols = this.columns;
    let to = 0;
    for (let i = 0; i < live.count; i++) {
      const at = live.index(i) * cols;
      for (let c = 0; c < cols; c++) {
        const n = this.length[at + c]!;
        const from = this.start[at + c]!;
        if (n > 0 && from !== to) this.bytes.copyWithin(to, from, from + n);
        this.start[at + c] = to;
        to += n;
      }
    }
    this.end = to;
    this.liveBytes = to;
  }
}
