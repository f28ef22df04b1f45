/**
 * Parquet value encodings for integer, double and string columns, written from JS numbers without
 * BigInt:
 * - PLAIN: INT32/INT64/DOUBLE little endian; BYTE_ARRAY as a 4-byte length and the UTF-8 bytes.
 * - DELTA_BINARY_PACKED (integers): blocks of 128 deltas in 4 miniblocks of 32, each miniblock
 *   bit-packed at the width of its largest (delta − block minimum). Timestamps, sequence numbers,
 *   scales and book levels change little from row to row, so most values take a few bits; the
 *   encoding needs no compression pass (which is what makes the writer fast).
 * - Definition levels (bit width 1) as RLE runs.
 * Spec: https://parquet.apache.org/docs/file-format/data-pages/encodings/
 *
 * Exactness: the delta arithmetic is done in doubles, exact while every value and delta stays within
 * ±2^52; `deltaEncodable` checks that, and the caller writes PLAIN otherwise.
 */
import type { ByteWriter } from './byte-writer.ts';

const TWO_32 = 4294967296;
const TWO_52 = 2 ** 52;
const BLOCK = 128;
const MINIBLOCKS = 4;
const MINI = BLOCK / MINIBLOCKS;

/** Can values in [min, max] be delta-encoded exactly with double arithmetic? */
export function deltaEncodable(min: number, max: number): boolean {
  return min >= -TWO_52 && max <= TWO_52 && max - min <= TWO_52;
}

/** Bits needed for a non-negative integer (< 2^53). */
export function bitWidth(v: number): number {
  if (v < TWO_32) return 32 - Math.clz32(v);
  return 64 - Math.clz32(Math.floor(v / TWO_32));
}

const deltas = new Float64Array(BLOCK);
/** (delta − block minimum) of a miniblock as 32-bit patterns (all of it when the width is ≤ 32). */
const low = new Int32Array(MINI);

/**
 * DELTA_BINARY_PACKED of integer `values[start … start + n)` (n ≥ 1; see deltaEncodable). The same
 * bytes serve INT32 and INT64 columns.
 */
export function writeDeltaBinaryPacked(
  out: ByteWriter,
  values: Float64Array,
  start: number,
  n: number,
): void {
  out.varint(BLOCK);
  out.varint(MINIBLOCKS);
  out.varint(n);
  out.zigzag(n > 0 ? values[start]! : 0);
  let prev = n > 0 ? values[start]! : 0;
  for (let b = 1; b < n; b += BLOCK) {
    const m = Math.min(BLOCK, n - b);
    let min = Number.POSITIVE_INFINITY;
    const at = start + b;
    for (let i = 0; i < m; i++) {
      const v = values[at + i]!;
      const d = v - prev;
      prev = v;
      deltas[i] = d;
      if (d < min) min = d;
    }
    for (let i = m; i < BLOCK; i++) deltas[i] = min; // padding packs as zeros
    out.zigzag(min);
    out.ensure(MINIBLOCKS + MINIBLOCKS * MINI * 8);
    const widthsAt = out.pos;
    out.pos += MINIBLOCKS;
    for (let mb = 0; mb < MINIBLOCKS; mb++) {
      const from = mb * MINI;
      if (from >= m) {
        // Unneeded miniblocks of the last block: width 0, no bytes.
        out.buf[widthsAt + mb] = 0;
        continue;
      }
      // Int32 bit patterns OR-ed together give the width without a double compare per value.
      let or = 0;
      let max = 0;
      for (let i = 0; i < MINI; i++) {
        const x = deltas[from + i]! - min;
        if (x > max) max = x;
        const bitsOfX = x >>> 0;
        low[i] = bitsOfX;
        or |= bitsOfX;
      }
      const w = max < TWO_32 ? 32 - Math.clz32(or) : bitWidth(max);
      out.buf[widthsAt + mb] = w;
      if (w === 0) continue;
      out.pos = w <= 32 ? packNarrow(out.buf, out.pos, w) : packWide(out.buf, out.pos, from, min, w);
    }
  }
}

/** Bit-pack the 32 values in `low` at width w ≤ 32, least significant bit first (4w bytes). */
function packNarrow(buf: Uint8Array, pos: number, w: number): number {
  let acc = 0; // pending bits; the low `bits` of them are valid
  let bits = 0;
  for (let i = 0; i < MINI; i++) {
    const v = low[i]!;
    acc |= v << bits;
    bits += w;
    if (bits >= 32) {
      buf[pos] = acc;
      buf[pos + 1] = acc >>> 8;
      buf[pos + 2] = acc >>> 16;
      buf[pos + 3] = acc >>> 24;
      pos += 4;
      bits -= 32;
      acc = bits === 0 ? 0 : v >>> (w - bits);
    }
  }
  return pos;
}

/** Width > 32: each value as its low 32 bits, then its high w − 32 bits (the same bit order). */
function packWide(buf: Uint8Array, pos: number, from: number, min: number, w: number): number {
  let acc = 0;
  let bits = 0;
  const push = (v: number, width: number) => {
    acc |= v << bits;
    bits += width;
    if (bits >= 32) {
      buf[pos] = acc;
      buf[pos + 1] = acc >>> 8;
      buf[pos + 2] = acc >>> 16;
      buf[pos + 3] = acc >>> 24;
      pos += 4;
      bits -= 32;
      acc = bits === 0 ? 0 : v >>> (width - bits);
    }
  };
  for (let i = from; i < from + MINI; i++) {
    const x = deltas[i]! - min;
    push(x >>> 0, 32);
    push(Math.floor(x / TWO_32), w - 32);
  }
  return pos;
}

export function writePlainInt64(out: ByteWriter, values: Float64Array, start: number, n: number): void {
  out.ensure(n * 8);
  for (let i = 0; i < n; i++) out.i64(values[start + i]!);
}

export function writePlainInt32(out: ByteWriter, values: Float64Array, start: number, n: number): void {
  out.ensure(n * 4);
  for (let i = 0; i < n; i++) out.i32(values[start + i]!);
}

export function writePlainDouble(out: ByteWriter, values: Float64Array, start: number, n: number): void {
  out.ensure(n * 8);
  for (let i = 0; i < n; i++) out.f64(values[start + i]!);
}

/** PLAIN BYTE_ARRAY: each value as a 4-byte length and its UTF-8 bytes. */
export function writePlainStrings(
  out: ByteWriter,
  values: readonly string[],
  start: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const s = values[start + i]!;
    out.ensure(4 + s.length * 3);
    const at = out.pos;
    out.pos += 4;
    out.patchU32(at, out.utf8(s));
  }
}

/** Strings already UTF-8: value i is bytes[start[i] … start[i] + length[i]). */
export interface TextBytes {
  readonly bytes: Uint8Array;
  readonly start: Int32Array;
  readonly length: Int32Array;
}

/** PLAIN BYTE_ARRAY from bytes: each value as a 4-byte length and its bytes, copied as they lie. */
export function writePlainBytes(out: ByteWriter, texts: TextBytes, start: number, n: number): void {
  // A plain Uint8Array view: its subarray() is far cheaper than a Buffer's, and Buffer#copy's
  // argument checks cost more than a short value's bytes.
  const src = new Uint8Array(texts.bytes.buffer, texts.bytes.byteOffset, texts.bytes.byteLength);
  for (let i = start; i < start + n; i++) {
    const len = texts.length[i]!;
    const from = texts.start[i]!;
    out.ensure(4 + len);
    const buf = out.buf;
    let at = out.pos;
    buf[at] = len;
    buf[at + 1] = len >>> 8;
    buf[at + 2] = len >>> 16;
    buf[at + 3] = len >>> 24;
    at += 4;
    if (len <= 32) for (let b = 0; b < len; b++) buf[at + b] = src[from + b]!;
    else buf.set(src.subarray(from, from + len), at);
    out.pos = at + len;
  }
}

/**
 * Definition levels of an optional flat column (1 = value present, 0 = NULL), bit width 1, as RLE
 * runs, preceded by their byte length (data page v1).
 */
export function writeDefinitionLevels(out: ByteWriter, present: Uint8Array, start: number, n: number): void {
  out.ensure(4);
  const at = out.pos;
  out.pos += 4;
  let i = 0;
  while (i < n) {
    const v = present[start + i]!;
    let j = i + 1;
    while (j < n && present[start + j] === v) j++;
    out.varint((j - i) * 2); // RLE run header: count << 1
    out.u8(v);
    i = j;
  }
  out.patchU32(at, out.pos - at - 4);
}

/** Definition levels of a page without NULLs: one run of 1s. */
export function writeAllPresent(out: ByteWriter, n: number): void {
  out.ensure(4);
  const at = out.pos;
  out.pos += 4;
  if (n > 0) {
    out.varint(n * 2);
    out.u8(1);
  }
  out.patchU32(at, out.pos - at - 4);
}

/**
 * Small integers (dictionary indices) `values[start … start + n)` as RLE runs of the hybrid
 * encoding, each run's value in ceil(width / 8) bytes (no length prefix: the page body ends there).
 */
export function writeRunLengths(
  out: ByteWriter,
  values: Int32Array,
  start: number,
  n: number,
  width: number,
): void {
  const bytes = (width + 7) >> 3;
  let i = 0;
  while (i < n) {
    const v = values[start + i]!;
    let j = i + 1;
    while (j < n && values[start + j] === v) j++;
    out.varint((j - i) * 2);
    for (let b = 0; b < bytes; b++) out.u8((v >>> (8 * b)) & 255);
    i = j;
  }
}
