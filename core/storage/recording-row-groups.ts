/**
 * A recorder batch (core/recording/recording-sink.ts) as Parquet row groups: its rows grouped by
 * (partition, UTC hour of the receive time) — one group per file they belong to — and each group
 * encoded straight from the recorder's row buffers. Pure: the local sink appends the row groups to
 * hourly files (local/storage/parquet-sink.ts), the record Lambda makes one object of each.
 *
 * Numbers are read from the row-major ring a block of columns at a time (each row read once, front
 * to back); integer columns that are clean (every value an in-range integer, the usual case) are
 * encoded where they lie; NaN, ±Infinity and out-of-range values become NULL.
 */
import type { RowBatch } from '../recording/recording-sink.ts';
import type { StoredColumn } from '../recording/recording-tables.ts';
import { LOCAL_TS_SLOT, PID_SLOT } from '../recording/recording-tables.ts';
import type { RowsView } from '../recording/row-ring.ts';
import type { TextBytes } from './parquet/encodings.ts';
import {
  type ColumnInput,
  type EncodedRowGroup,
  type ParquetCodec,
  RowGroupBuilder,
} from './parquet/parquet-writer.ts';

/** Written into every file's key/value metadata: the layout version of these columns. */
export const RECORDING_LAYOUT = 'tradeplane-recording-v2 (integer units + scale)';

export const HOUR_MICROS = 3_600_000_000;
/**
 * Numbers transposed per pass over a group's rows: usually every column at once (each row read
 * once, front to back); for very large groups fewer columns per pass, to bound the scratch (2 MB) and each pass (~1 ms).
 */
const BLOCK_VALUES = 1 << 18;
/** Integers beyond this are not exact in a double: stored as NULL, like any non-integer garbage. */
const MAX_EXACT = 2 ** 53;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The rows of one batch that go to one file. */
export interface RowGroupRows {
  readonly pid: number;
  /** UTC hours since the epoch of the rows' receive time. */
  readonly hour: number;
  /** Ring slots of the group's rows, oldest first. */
  readonly slots: Int32Array;
}

/** The key/value metadata of a recording file of `table`. */
export function recordingFileMetadata(batch: RowBatch): Record<string, string> {
  return { 'tradeplane.layout': RECORDING_LAYOUT, 'tradeplane.table': batch.table.kind };
}

/** Encodes the row groups of recorder batches, reusing its buffers (one group at a time). */
export class RecordingRowGroupEncoder {
  private readonly builder: RowGroupBuilder;
  // Scratch for one column of one group, reused (the builder reads it synchronously).
  private values = new Float64Array(1024);
  private textStart = new Int32Array(1024);
  private textLength = new Int32Array(1024);
  private present = new Uint8Array(1024);
  /** The block of transposed number columns of the group being written. */
  private block: { group: RowGroupRows | undefined; first: number; width: number; data: Float64Array } = {
    group: undefined,
    first: 0,
    width: 0,
    data: new Float64Array(1024),
  };

  constructor(codec: ParquetCodec = 'snappy') {
    this.builder = new RowGroupBuilder(codec);
  }

  /**
   * One group of `batch` as a row group whose bytes go at `fileOffset` of its file. `between` runs
   * after each column (a caller on the event loop yields there when its slice is used up).
   */
  encode(batch: RowBatch, group: RowGroupRows, fileOffset: number, between?: () => void): EncodedRowGroup {
    const partition = batch.partitions[group.pid];
    if (!partition) throw new Error(`rows for unknown partition ${group.pid}`);
    const builder = this.builder;
    builder.begin();
    this.block.group = undefined;
    for (const column of batch.table.columns) {
      builder.addColumn(this.columnInput(column, batch, group, partition.venueSymbol));
      between?.();
    }
    return builder.finish(group.slots.length, fileOffset);
  }

  /** One stored column of one group, gathered from the ring. */
  private columnInput(
    c: StoredColumn,
    batch: RowBatch,
    group: RowGroupRows,
    venueSymbol: string,
  ): ColumnInput {
    const slots = group.slots;
    const n = slots.length;
    const rows = batch.rows;
    switch (c.type) {
      case 'bigint':
      case 'int':
      case 'double':
        return this.numbers(c, this.column(rows, group, c.slot), n);
      case 'session':
        return constant(c.name, 'INT64', n, Math.trunc(batch.session));
      case 'venue_symbol':
        return constant(c.name, 'BYTE_ARRAY', n, venueSymbol);
      case 'text':
        return {
          name: c.name,
          type: 'BYTE_ARRAY',
          rows: n,
          present: undefined,
          values: this.texts(rows, slots, c.slot),
        };
      case 'code': {
        const col = this.column(rows, group, c.slot);
        const names = c.values ?? [];
        const present = this.scratchPresent(n);
        const out: string[] = [];
        let nulls = 0;
        for (let i = 0; i < n; i++) {
          const name = names[col[i]!];
          present[i] = name === undefined ? 0 : 1;
          if (name === undefined) nulls++;
          else out.push(name);
        }
        return {
          name: c.name,
          type: 'BYTE_ARRAY',
          rows: n,
          present: nulls > 0 ? present : undefined,
          values: out,
        };
      }
    }
  }

  /**
   * Text column `column` of the group's rows: the recorder's UTF-8 bytes, written as they lie
   * (PLAIN, then snappy: repeated values like connection ids cost next to nothing compressed, and
   * decoding them back to strings for a dictionary cost more than the whole write).
   */
  private texts(rows: RowsView, slots: Int32Array, column: number): TextBytes {
    const n = slots.length;
    if (this.textStart.length < n) {
      this.textStart = new Int32Array(Math.max(n, this.textStart.length * 2));
      this.textLength = new Int32Array(this.textStart.length);
    }
    const start = this.textStart;
    const length = this.textLength;
    const cols = rows.textColumns;
    for (let i = 0; i < n; i++) {
      const k = slots[i]! * cols + column;
      start[i] = rows.textStart[k]!;
      length[i] = rows.textLength[k]!;
    }
    return { bytes: rows.textBytes, start: start.subarray(0, n), length: length.subarray(0, n) };
  }

  /**
   * Number column `slot` of the group's rows, in row order. Rows are row-major in the ring, so
   * columns are transposed a block at a time: one pass over the group's rows reads each row's
   * numbers front to back, instead of one number per cache line per column.
   */
  private column(rows: RowsView, group: RowGroupRows, slot: number): Float64Array {
    const n = group.slots.length;
    const b = this.block;
    if (b.group !== group || slot < b.first || slot >= b.first + b.width) {
      const width = Math.min(Math.max(1, Math.floor(BLOCK_VALUES / n)), rows.width - slot);
      if (b.data.length < width * n) b.data = new Float64Array(Math.max(width * n, b.data.length * 2));
      const out = b.data;
      const data = rows.data;
      const w = rows.width;
      const slots = group.slots;
      for (let i = 0; i < n; i++) {
        const at = slots[i]! * w + slot;
        for (let j = 0; j < width; j++) out[j * n + i] = data[at + j]!;
      }
      b.group = group;
      b.first = slot;
      b.width = width;
    }
    const from = (slot - b.first) * n;
    return b.data.subarray(from, from + n);
  }

  /** A numeric column: NaN, ±Infinity and out-of-range values become NULL. */
  private numbers(c: StoredColumn, col: Float64Array, n: number): ColumnInput {
    const values = this.scratchValues(n);
    const present = this.scratchPresent(n);
    let k = 0;
    if (c.type === 'double') {
      for (let i = 0; i < n; i++) {
        const x = col[i]!;
        const ok = x - x === 0; // finite
        present[i] = ok ? 1 : 0;
        if (ok) values[k++] = x;
      }
      return {
        name: c.name,
        type: 'DOUBLE',
        rows: n,
        present: k < n ? present : undefined,
        values: values.subarray(0, k),
      };
    }
    const lo = c.type === 'int' ? INT32_MIN : -MAX_EXACT;
    const hi = c.type === 'int' ? INT32_MAX : MAX_EXACT;
    const type = c.type === 'int' ? 'INT32' : 'INT64';
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    // Usual case first: every value an in-range integer — the column is encoded where it lies,
    // without a copy (book rows are 80 such columns; the copy was a fifth of their cost).
    let clean = true;
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      if (!(x >= lo && x <= hi && Math.floor(x) === x)) {
        clean = false;
        break;
      }
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (clean)
      return { name: c.name, type, rows: n, present: undefined, values: col, ...(n > 0 ? { min, max } : {}) };
    min = Number.POSITIVE_INFINITY;
    max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      const ok = x >= lo && x <= hi; // false for NaN
      present[i] = ok ? 1 : 0;
      if (ok) {
        const v = Math.round(x);
        values[k++] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    return {
      name: c.name,
      type,
      rows: n,
      present: k < n ? present : undefined,
      values: values.subarray(0, k),
      ...(k > 0 ? { min, max } : {}),
    };
  }

  private scratchValues(n: number): Float64Array {
    if (this.values.length < n) this.values = new Float64Array(Math.max(n, this.values.length * 2));
    return this.values;
  }

  private scratchPresent(n: number): Uint8Array {
    if (this.present.length < n) this.present = new Uint8Array(Math.max(n, this.present.length * 2));
    return this.present;
  }
}

function constant(
  name: string,
  type: 'INT64' | 'BYTE_ARRAY',
  n: number,
  value: number | string,
): ColumnInput {
  return {
    name,
    type,
    rows: n,
    present: undefined,
    values: typeof value === 'number' ? new Float64Array(n).fill(value) : new Array<string>(n).fill(value),
  };
}

/**
 * The batch's rows grouped by (partition, UTC hour of the receive time), each group in ring order;
 * groups sorted by partition, then hour. With a shard, only that writer's partitions. `latestHour`:
 * the hour of the newest receive time in the whole batch (every writer's rows), -Infinity when none.
 */
export function groupRows(
  rows: RowsView,
  shard: RowBatch['shard'],
): { groups: RowGroupRows[]; latestHour: number } {
  const n = rows.count;
  const data = rows.data;
  const width = rows.width;
  const groupOf = new Int32Array(n);
  const keys: Array<{ pid: number; hour: number; count: number }> = [];
  const byPid = new Map<number, Map<number, number>>();
  let lastPid = Number.NaN;
  let lastHour = Number.NaN;
  let last = -1;
  let latestHour = Number.NEGATIVE_INFINITY;
  const owner = shard?.owner;
  const mine = shard?.index ?? 0;
  for (let i = 0; i < n; i++) {
    const row = rows.index(i) * width;
    const pid = data[row + PID_SLOT]!;
    const ts = data[row + LOCAL_TS_SLOT]!;
    const hour = ts - ts === 0 ? Math.floor(ts / HOUR_MICROS) : 0;
    if (hour > latestHour) latestHour = hour;
    if (owner && owner[pid] !== mine) {
      groupOf[i] = -1; // another writer's partition
      continue;
    }
    if (pid !== lastPid || hour !== lastHour) {
      let hours = byPid.get(pid);
      if (!hours) {
        hours = new Map();
        byPid.set(pid, hours);
      }
      let g = hours.get(hour);
      if (g === undefined) {
        g = keys.length;
        keys.push({ pid, hour, count: 0 });
        hours.set(hour, g);
      }
      lastPid = pid;
      lastHour = hour;
      last = g;
    }
    groupOf[i] = last;
    keys[last]!.count++;
  }
  const groups: RowGroupRows[] = keys.map((k) => ({
    pid: k.pid,
    hour: k.hour,
    slots: new Int32Array(k.count),
  }));
  const fill = new Int32Array(groups.length);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g >= 0) groups[g]!.slots[fill[g]!++] = rows.index(i);
  }
  return { groups: groups.sort((a, b) => a.pid - b.pid || a.hour - b.hour), latestHour };
}
