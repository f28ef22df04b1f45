/**
 * A minimal Parquet writer for flat tables of INT32, INT64, DOUBLE and UTF-8 string columns — what
 * the recorder stores. Pure: bytes in, bytes out, no file system. Data pages v1, every column
 * OPTIONAL (a NaN or missing value is NULL); PLAIN string pages compressed with the chosen codec
 * (snappy by default).
 *
 * A file is built row group by row group: `RowGroupBuilder` encodes one row group for the place it
 * will have in its file and returns its footer entry (a Thrift RowGroup struct) apart, and
 * `parquetFooter` joins the entries of every row group into the footer. So a file can grow by
 * appending row groups and get its footer only when it is complete;
 * `ParquetFileBuilder` is the one-row-group file (the record Lambda's objects).
 *
 * Why not DuckDB's writer or a library: measured slower on the recorder's rows (docs/decisions.md).
 * Here:
 * - integers are DELTA_BINARY_PACKED straight from Float64Arrays;
 * - strings with few distinct values in a column chunk (symbols, sides, connection ids) are
 *   dictionary-encoded (RLE_DICTIONARY: the distinct strings once, then run lengths of indices);
 * - other strings (raw frames, trade ids) are PLAIN and snappy-compressed (./snappy.ts: pure JS,
 *   synchronous). A delta-packed chunk is compressed when its first page shrinks by a fifth or
 *   more (the codec is per column chunk); dictionary pages are left uncompressed (docs/decisions.md).
 * DuckDB, Arrow, Spark and Trino/Athena read all of it (page v1, DELTA_BINARY_PACKED,
 * RLE_DICTIONARY and SNAPPY are core Parquet). Integer columns get min/max statistics, so readers
 * skip row groups by time or sequence range.
 */
import { ByteWriter } from './byte-writer.ts';
import {
  deltaEncodable,
  type TextBytes,
  writeAllPresent,
  writeDefinitionLevels,
  writeDeltaBinaryPacked,
  writePlainBytes,
  writePlainDouble,
  writePlainInt32,
  writePlainInt64,
  writePlainStrings,
  writeRunLengths,
} from './encodings.ts';
import { SnappyCompressor } from './snappy.ts';
import { ThriftWriter } from './thrift-compact.ts';

export type PhysicalType = 'INT32' | 'INT64' | 'DOUBLE' | 'BYTE_ARRAY';
/** Compression of PLAIN string pages (numbers are delta-packed, strings with few values dictionary-encoded). */
export type ParquetCodec = 'snappy' | 'uncompressed';

const TYPE: Record<PhysicalType, number> = { INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 };
const ENCODING = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8 } as const;
const CODEC: Record<ParquetCodec, number> = { uncompressed: 0, snappy: 1 };
const PAGE = { DATA: 0, DICTIONARY: 2 } as const;
const OPTIONAL = 1;
const REQUIRED = 0;
const CONVERTED_UTF8 = 0;

/** Rows per data page, and (PLAIN strings) characters per page before it is cut. */
const PAGE_ROWS = 20_000;
const PAGE_CHARS = 1 << 20;
/** A string column chunk is dictionary-encoded while it has at most this many distinct values… */
const MAX_DICTIONARY = 256;
/** …and at most this share of its values are distinct. */
const MAX_DICTIONARY_SHARE = 0.5;

/**
 * How a page's data is compressed: PLAIN strings always; delta-packed numbers only when snappy
 * saves at least 1 − PAYS of the page (runs of unchanged book sizes pack to zeros it shrinks well;
 * timestamps and sequence numbers pack to a few noisy bits it barely touches).
 */
const COMPRESS = { NEVER: 0, ALWAYS: 1, IF_IT_PAYS: 2 } as const;
type Compress = (typeof COMPRESS)[keyof typeof COMPRESS];
const PAYS = 0.8;

/** The 4 bytes a Parquet file starts and ends with. */
export const PARQUET_MAGIC: Uint8Array = Uint8Array.of(0x50, 0x41, 0x52, 0x31); // PAR1

export interface ColumnInput {
  readonly name: string;
  readonly type: PhysicalType;
  /** Rows, NULLs included. */
  readonly rows: number;
  /** present[i] = 1 when row i has a value, 0 for NULL; undefined when every row has one. */
  readonly present: Uint8Array | undefined;
  /**
   * The values of the present rows, in row order (numbers must be integers for INT32/INT64);
   * strings as JS strings, or as UTF-8 bytes (written PLAIN as they lie, never dictionary-encoded).
   */
  readonly values: Float64Array | readonly string[] | TextBytes;
  /** Smallest and largest value, when the caller knows them (saves a pass over integer columns). */
  readonly min?: number;
  readonly max?: number;
}

/** A column of the file's schema (every row group of a file has the same columns, in order). */
export interface ColumnSchema {
  readonly name: string;
  readonly type: PhysicalType;
}

interface ChunkMeta extends ColumnSchema {
  readonly codec: number;
  readonly encodings: readonly number[];
  readonly rows: number;
  readonly nulls: number;
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** Offsets in the row group's bytes (the file offset is added when the footer entry is written). */
  readonly dictionaryOffset: number | undefined;
  readonly dataOffset: number;
  readonly uncompressedBytes: number;
  readonly bytes: number;
}

export interface EncodedRowGroup {
  /** The column chunks, to be written at `fileOffset` of the file (valid until the next begin()). */
  readonly bytes: Uint8Array;
  /** Its entry in the footer's row group list: a Thrift compact RowGroup struct (a copy). */
  readonly footerEntry: Uint8Array;
  readonly rows: number;
  readonly columns: readonly ColumnSchema[];
}

/**
 * Encodes one row group in a reusable buffer: `begin()`, `addColumn()` per column in schema order,
 * then `finish()`. Synchronous.
 */
export class RowGroupBuilder {
  private readonly out = new ByteWriter(1 << 16);
  /** Page bodies are encoded here, then copied (or compressed) into `out`. */
  private readonly body = new ByteWriter(1 << 16);
  private readonly header = new ThriftWriter(this.out);
  private readonly entry = new ByteWriter(1 << 12);
  /** Compressed page bodies, before they are copied after their header. */
  private readonly compressed = new ByteWriter(1 << 16);
  private readonly snappy = new SnappyCompressor();
  /** Whether the last page() compressed its data. */
  private paid = false;
  private chunks: ChunkMeta[] = [];
  private dictionary = new Map<string, number>();
  private indices = new Int32Array(1024);

  constructor(private readonly codec: ParquetCodec = 'snappy') {}

  begin(): void {
    this.out.reset();
    this.chunks = [];
  }

  /** Append one column chunk. */
  addColumn(input: ColumnInput): void {
    if (input.type === 'BYTE_ARRAY') {
      const values = input.values as readonly string[] | TextBytes;
      if (!Array.isArray(values)) this.plainStrings(input, values as TextBytes);
      else if (!this.dictionaryColumn(input, values)) this.plainStrings(input, values);
    } else this.numberColumn(input, input.values as Float64Array);
  }

  /** The row group, for a file where its first byte lands at `fileOffset` (≥ 4: after the magic). */
  finish(rows: number, fileOffset: number): EncodedRowGroup {
    const e = this.entry;
    e.reset();
    const t = new ThriftWriter(e).begin();
    t.list(1, 'struct', this.chunks.length);
    let total = 0;
    for (const c of this.chunks) {
      total += c.uncompressedBytes;
      const dataOffset = fileOffset + c.dataOffset;
      const dictionaryOffset = c.dictionaryOffset === undefined ? undefined : fileOffset + c.dictionaryOffset;
      t.begin()
        .i64(2, dictionaryOffset ?? dataOffset)
        .struct(3);
      t.i32(1, TYPE[c.type]);
      t.list(2, 'i32', c.encodings.length);
      for (const enc of c.encodings) t.elementI32(enc);
      t.list(3, 'binary', 1).rawBinary(c.name);
      t.i32(4, c.codec).i64(5, c.rows).i64(6, c.uncompressedBytes).i64(7, c.bytes).i64(9, dataOffset);
      if (dictionaryOffset !== undefined) t.i64(11, dictionaryOffset);
      t.struct(12).i64(3, c.nulls);
      if (c.min !== undefined && c.max !== undefined)
        t.plainInteger(5, c.type === 'INT64', c.max).plainInteger(6, c.type === 'INT64', c.min);
      t.end(); // statistics
      t.end(); // meta_data
      t.end(); // column chunk
    }
    t.i64(2, total).i64(3, rows);
    t.end();
    return {
      bytes: this.out.buf.subarray(0, this.out.pos),
      footerEntry: e.copy(),
      rows,
      columns: this.chunks.map((c) => ({ name: c.name, type: c.type })),
    };
  }

  private numberColumn(input: ColumnInput, values: Float64Array): void {
    const { rows, present } = input;
    const count = values.length;
    let min: number | undefined;
    let max: number | undefined;
    let delta = false;
    if (input.type !== 'DOUBLE' && count > 0) {
      let lo = values[0]!;
      let hi = lo;
      if (input.min !== undefined && input.max !== undefined) {
        lo = input.min;
        hi = input.max;
      } else {
        for (let i = 1; i < count; i++) {
          const v = values[i]!;
          if (v < lo) lo = v;
          else if (v > hi) hi = v;
        }
      }
      min = lo;
      max = hi;
      delta = deltaEncodable(lo, hi);
    }
    const encoding = delta ? ENCODING.DELTA_BINARY_PACKED : ENCODING.PLAIN;
    const dataOffset = this.out.pos;
    let uncompressed = 0;
    let row = 0;
    let value = 0;
    // The chunk's first page decides whether its pages are compressed (the codec is per chunk).
    let compress: Compress = this.codec === 'snappy' ? COMPRESS.IF_IT_PAYS : COMPRESS.NEVER;
    do {
      const pageRows = Math.min(PAGE_ROWS, rows - row);
      let pageValues = pageRows;
      if (present) {
        pageValues = 0;
        for (let r = 0; r < pageRows; r++) pageValues += present[row + r]!;
      }
      const body = this.body;
      body.reset();
      if (present) writeDefinitionLevels(body, present, row, pageRows);
      else writeAllPresent(body, pageRows);
      if (pageValues > 0) {
        if (input.type === 'DOUBLE') writePlainDouble(body, values, value, pageValues);
        else if (delta) writeDeltaBinaryPacked(body, values, value, pageValues);
        else if (input.type === 'INT64') writePlainInt64(body, values, value, pageValues);
        else writePlainInt32(body, values, value, pageValues);
      }
      uncompressed += this.page(
        PAGE.DATA,
        pageRows,
        pageValues > 0 ? encoding : ENCODING.PLAIN,
        body.buf.subarray(0, body.pos),
        compress,
      );
      if (compress === COMPRESS.IF_IT_PAYS) compress = this.paid ? COMPRESS.ALWAYS : COMPRESS.NEVER;
      row += pageRows;
      value += pageValues;
    } while (row < rows);
    this.chunks.push({
      name: input.name,
      type: input.type,
      codec: compress === COMPRESS.ALWAYS ? CODEC.snappy : CODEC.uncompressed,
      encodings: [encoding, ENCODING.RLE],
      rows,
      nulls: rows - count,
      min,
      max,
      dictionaryOffset: undefined,
      dataOffset,
      uncompressedBytes: uncompressed,
      bytes: this.out.pos - dataOffset,
    });
  }

  /** RLE_DICTIONARY when the chunk has few distinct strings; false (nothing written) otherwise. */
  private dictionaryColumn(input: ColumnInput, strings: readonly string[]): boolean {
    const { rows, present } = input;
    const count = strings.length;
    const dictionary = this.dictionary;
    dictionary.clear();
    const limit = Math.min(MAX_DICTIONARY, Math.max(1, Math.floor(count * MAX_DICTIONARY_SHARE)));
    if (this.indices.length < count) this.indices = new Int32Array(Math.max(count, this.indices.length * 2));
    const indices = this.indices;
    let last: string | undefined;
    let lastIndex = -1;
    for (let i = 0; i < count; i++) {
      const s = strings[i]!;
      if (s !== last) {
        let index = dictionary.get(s);
        if (index === undefined) {
          if (dictionary.size >= limit) return false;
          index = dictionary.size;
          dictionary.set(s, index);
        }
        last = s;
        lastIndex = index;
      }
      indices[i] = lastIndex;
    }
    if (count === 0) return false;
    // Dictionary page: the distinct strings, PLAIN.
    const dictionaryOffset = this.out.pos;
    const body = this.body;
    body.reset();
    writePlainStrings(body, [...dictionary.keys()], 0, dictionary.size);
    let uncompressed = this.page(
      PAGE.DICTIONARY,
      dictionary.size,
      ENCODING.PLAIN,
      body.buf.subarray(0, body.pos),
    );
    const dataOffset = this.out.pos;
    const width = 32 - Math.clz32(Math.max(1, dictionary.size - 1));
    let row = 0;
    let value = 0;
    do {
      const pageRows = Math.min(PAGE_ROWS, rows - row);
      let pageValues = pageRows;
      body.reset();
      if (present) {
        pageValues = 0;
        for (let r = 0; r < pageRows; r++) pageValues += present[row + r]!;
        writeDefinitionLevels(body, present, row, pageRows);
      } else writeAllPresent(body, pageRows);
      body.u8(width);
      writeRunLengths(body, indices, value, pageValues, width);
      uncompressed += this.page(PAGE.DATA, pageRows, ENCODING.RLE_DICTIONARY, body.buf.subarray(0, body.pos));
      row += pageRows;
      value += pageValues;
    } while (row < rows);
    this.chunks.push({
      name: input.name,
      type: 'BYTE_ARRAY',
      codec: CODEC.uncompressed,
      encodings: [ENCODING.PLAIN, ENCODING.RLE, ENCODING.RLE_DICTIONARY],
      rows,
      nulls: rows - count,
      min: undefined,
      max: undefined,
      dictionaryOffset,
      dataOffset,
      uncompressedBytes: uncompressed,
      bytes: this.out.pos - dictionaryOffset,
    });
    return true;
  }

  private plainStrings(input: ColumnInput, strings: readonly string[] | TextBytes): void {
    const bytes = Array.isArray(strings) ? undefined : (strings as TextBytes);
    const texts = strings as readonly string[];
    const { rows, present } = input;
    const dataOffset = this.out.pos;
    let uncompressed = 0;
    let row = 0;
    let value = 0;
    do {
      let chars = 0;
      let pageRows = 0;
      let pageValues = 0;
      const maxRows = Math.min(PAGE_ROWS, rows - row);
      while (pageRows < maxRows && chars < PAGE_CHARS) {
        if (!present || present[row + pageRows] === 1) {
          const v = value + pageValues++;
          chars += bytes ? bytes.length[v]! : texts[v]!.length;
        }
        pageRows++;
      }
      const body = this.body;
      body.reset();
      if (present) writeDefinitionLevels(body, present, row, pageRows);
      else writeAllPresent(body, pageRows);
      if (bytes) writePlainBytes(body, bytes, value, pageValues);
      else writePlainStrings(body, texts, value, pageValues);
      uncompressed += this.page(
        PAGE.DATA,
        pageRows,
        ENCODING.PLAIN,
        body.buf.subarray(0, body.pos),
        COMPRESS.ALWAYS,
      );
      row += pageRows;
      value += pageValues;
    } while (row < rows);
    this.chunks.push({
      name: input.name,
      type: 'BYTE_ARRAY',
      codec: CODEC[this.codec],
      encodings: [ENCODING.PLAIN, ENCODING.RLE],
      rows,
      nulls: rows - value,
      min: undefined,
      max: undefined,
      dictionaryOffset: undefined,
      dataOffset,
      uncompressedBytes: uncompressed,
      bytes: this.out.pos - dataOffset,
    });
  }

  /**
   * Append a page (header + its data, compressed with the codec: always, never, or when that
   * saves enough — `paid` says whether it did) to the row group; returns its uncompressed size,
   * header included.
   */
  private page(
    type: number,
    values: number,
    encoding: number,
    raw: Uint8Array,
    compress: Compress = COMPRESS.NEVER,
  ): number {
    let data = raw;
    this.paid = false;
    if (compress !== COMPRESS.NEVER && this.codec === 'snappy') {
      const z = this.compressed;
      z.reset();
      this.snappy.compress(raw, z);
      this.paid = z.pos <= raw.length * PAYS;
      if (compress === COMPRESS.ALWAYS || this.paid) data = z.buf.subarray(0, z.pos);
    }
    const out = this.out;
    const at = out.pos;
    const t = this.header.begin();
    t.i32(1, type).i32(2, raw.length).i32(3, data.length);
    if (type === PAGE.DICTIONARY) t.struct(7).i32(1, values).i32(2, encoding).end();
    else t.struct(5).i32(1, values).i32(2, encoding).i32(3, ENCODING.RLE).i32(4, ENCODING.RLE).end();
    t.end();
    const headerBytes = out.pos - at;
    out.bytes(data);
    return headerBytes + raw.length;
  }
}
/**
 * The end of a file: its footer (schema, the row groups' entries in file order, key/value metadata),
 * the footer's length and the magic. `rows` is the sum of the row groups' rows.
 */
export function parquetFooter(
  columns: readonly ColumnSchema[],
  rowGroups: readonly Uint8Array[],
  rows: number,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  let entries = 0;
  for (const g of rowGroups) entries += g.length;
  const out = new ByteWriter(256 + columns.length * 32 + entries);
  const t = new ThriftWriter(out).begin();
  t.i32(1, 1); // version
  t.list(2, 'struct', columns.length + 1);
  t.begin().i32(3, REQUIRED).binary(4, 'schema').i32(5, columns.length).end();
  for (const c of columns) {
    t.begin().i32(1, TYPE[c.type]).i32(3, OPTIONAL).binary(4, c.name);
    if (c.type === 'BYTE_ARRAY') t.i32(6, CONVERTED_UTF8).struct(10).struct(1).end().end(); // logicalType STRING
    t.end();
  }
  t.i64(3, rows);
  // Each entry is a whole struct as a list element is written: the list is their concatenation.
  t.list(4, 'struct', rowGroups.length);
  for (const g of rowGroups) out.bytes(g);
  const keys = Object.keys(metadata);
  if (keys.length > 0) {
    t.list(5, 'struct', keys.length);
    for (const k of keys) t.begin().binary(1, k).binary(2, metadata[k]!).end();
  }
  t.binary(6, 'tradeplane recorder');
  t.end();
  const length = out.pos;
  out.u32(length);
  out.bytes(PARQUET_MAGIC);
  return out.buf.subarray(0, out.pos);
}

/** A whole file of one row group: `begin()`, `addColumn()` per column, `finish()`. */
export class ParquetFileBuilder {
  private readonly group: RowGroupBuilder;

  constructor(codec: ParquetCodec = 'snappy') {
    this.group = new RowGroupBuilder(codec);
  }

  begin(): void {
    this.group.begin();
  }

  addColumn(input: ColumnInput): void {
    this.group.addColumn(input);
  }

  /** The file's bytes (a new buffer). */
  finish(rows: number, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
    const g = this.group.finish(rows, PARQUET_MAGIC.length);
    const footer = parquetFooter(g.columns, [g.footerEntry], rows, metadata);
    const file = new Uint8Array(PARQUET_MAGIC.length + g.bytes.length + footer.length);
    file.set(PARQUET_MAGIC, 0);
    file.set(g.bytes, PARQUET_MAGIC.length);
    file.set(footer, PARQUET_MAGIC.length + g.bytes.length);
    return file;
  }
}
