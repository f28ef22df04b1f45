/**
 * Snappy compression (the raw format Parquet's SNAPPY codec uses: a varint of the uncompressed
 * length, then literal and copy elements), written straight into a ByteWriter.
 *
 * The algorithm is the reference one (google/snappy `CompressFragment`): the input is cut into
 * 64 KiB fragments, each compressed on its own with a hash table of 4-byte sequences, so table
 * entries are offsets inside a fragment (a Uint16Array) and every copy's offset fits 2 bytes; a
 * miss widens the step between lookups (`skip`), so incompressible data is passed over fast.
 * Why not hyparquet-writer's compressor: it grows its output array byte by byte through method
 * calls, allocates per call and hashes the whole input as one fragment; this one writes into a
 * buffer sized once for the worst case and keeps one table per compressor (docs/decisions.md has
 * the numbers).
 * Format: https://github.com/google/snappy/blob/main/format_description.txt
 */
import type { ByteWriter } from './byte-writer.ts';

const FRAGMENT = 1 << 16;
const MAX_TABLE_BITS = 14;
const MIN_TABLE_BITS = 8;
/** The reference's kInputMarginBytes: no match search within this many bytes of a fragment's end. */
const INPUT_MARGIN = 15;

/** The most bytes `n` input bytes can compress to (the reference's MaxCompressedLength). */
export function maxSnappyLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

function load32(a: Uint8Array, p: number): number {
  return a[p]! | (a[p + 1]! << 8) | (a[p + 2]! << 16) | (a[p + 3]! << 24);
}

/** A reusable compressor: one hash table for every call, nothing allocated per call. */
export class SnappyCompressor {
  private readonly table = new Uint16Array(1 << MAX_TABLE_BITS);

  /** Append the snappy form of `input` to `out`; returns the bytes written. */
  compress(input: Uint8Array, out: ByteWriter): number {
    const n = input.length;
    out.ensure(maxSnappyLength(n));
    const start = out.pos;
    out.varint(n);
    // Plain Uint8Array views: indexing a Buffer subclass or a mix of both is slower in V8.
    const src = new Uint8Array(input.buffer, input.byteOffset, n);
    const dst = new Uint8Array(out.buf.buffer, out.buf.byteOffset, out.buf.length);
    let op = out.pos;
    for (let at = 0; at < n; at += FRAGMENT) op = this.fragment(src, at, Math.min(n, at + FRAGMENT), dst, op);
    out.pos = op;
    return op - start;
  }

  /** Compress src[base … end) (≤ 64 KiB) to dst at op; returns the new op. */
  private fragment(src: Uint8Array, base: number, end: number, dst: Uint8Array, op: number): number {
    const n = end - base;
    let bits = MIN_TABLE_BITS;
    while (bits < MAX_TABLE_BITS && 1 << bits < n) bits++;
    const shift = 32 - bits;
    const table = this.table;
    table.fill(0, 0, 1 << bits);
    let ip = base;
    let nextEmit = base;
    if (n >= INPUT_MARGIN) {
      const ipLimit = end - INPUT_MARGIN;
      ip++;
      let nextHash = Math.imul(load32(src, ip), 0x1e35a7bd) >>> shift;
      for (;;) {
        // Look for a 4-byte match, stepping further after every 32 misses.
        let skip = 32;
        let nextIp = ip;
        let candidate = 0;
        do {
          ip = nextIp;
          const hash = nextHash;
          nextIp = ip + (skip >>> 5);
          skip++;
          if (nextIp > ipLimit) return emitLiteral(src, nextEmit, end - nextEmit, dst, op);
          nextHash = Math.imul(load32(src, nextIp), 0x1e35a7bd) >>> shift;
          candidate = base + table[hash]!;
          table[hash] = ip - base;
        } while (load32(src, ip) !== load32(src, candidate));
        op = emitLiteral(src, nextEmit, ip - nextEmit, dst, op);
        // Copies for as long as the next position matches too.
        let next: number;
        do {
          let matched = 4;
          while (ip + matched < end && src[ip + matched] === src[candidate + matched]) matched++;
          const offset = ip - candidate;
          ip += matched;
          op = emitCopy(dst, op, offset, matched);
          nextEmit = ip;
          if (ip >= ipLimit) return nextEmit < end ? emitLiteral(src, nextEmit, end - nextEmit, dst, op) : op;
          table[Math.imul(load32(src, ip - 1), 0x1e35a7bd) >>> shift] = ip - 1 - base;
          const hash = Math.imul(load32(src, ip), 0x1e35a7bd) >>> shift;
          candidate = base + table[hash]!;
          table[hash] = ip - base;
          next = load32(src, ip);
        } while (next === load32(src, candidate));
        ip++;
        nextHash = Math.imul(load32(src, ip), 0x1e35a7bd) >>> shift;
      }
    }
    return nextEmit < end ? emitLiteral(src, nextEmit, end - nextEmit, dst, op) : op;
  }
}

/** A literal of len ≥ 1 bytes (≤ 64 KiB: one fragment). */
function emitLiteral(src: Uint8Array, from: number, len: number, dst: Uint8Array, op: number): number {
  const n = len - 1;
  if (n < 60) dst[op++] = n << 2;
  else if (n < 256) {
    dst[op++] = 60 << 2;
    dst[op++] = n;
  } else {
    dst[op++] = 61 << 2;
    dst[op++] = n & 255;
    dst[op++] = n >>> 8;
  }
  if (len <= 16) for (let i = 0; i < len; i++) dst[op + i] = src[from + i]!;
  else dst.set(src.subarray(from, from + len), op);
  return op + len;
}

function emitCopy(dst: Uint8Array, op: number, offset: number, len: number): number {
  while (len >= 68) {
    op = emitCopyUpTo64(dst, op, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    op = emitCopyUpTo64(dst, op, offset, 60);
    len -= 60;
  }
  return emitCopyUpTo64(dst, op, offset, len);
}

/** A copy of 4 ≤ len ≤ 64 bytes from `offset` back (< 64 KiB). */
function emitCopyUpTo64(dst: Uint8Array, op: number, offset: number, len: number): number {
  if (len < 12 && offset < 2048) {
    dst[op] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    dst[op + 1] = offset & 255;
    return op + 2;
  }
  dst[op] = 2 | ((len - 1) << 2);
  dst[op + 1] = offset & 255;
  dst[op + 2] = offset >>> 8;
  return op + 3;
}
