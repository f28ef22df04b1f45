/**
 * Table-driven CRC-32 (ISO 3309 / ITU-T V.42 / zlib: reflected polynomial 0xEDB88320, initial value
 * and final xor 0xFFFFFFFF), fed one byte at a time.
 *
 * Design: the running value is a plain number threaded through calls (`crc = crc32Byte(crc, b)`),
 * so a checksum over a book is computed straight from its integer levels with no string, array or
 * closure per call — Kraken verifies one after every message. Begin with CRC32_INIT, end with
 * crc32Finish (unsigned) or crc32FinishSigned (OKX).
 */

function makeTable(): Int32Array {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
}

/** The lookup table, for hot loops that inline the step `TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)`. */
export const CRC32_TABLE: Int32Array = makeTable();
const TABLE = CRC32_TABLE;

/** Running value before the first byte. */
export const CRC32_INIT = -1;

/** Feed one byte (0–255). */
export function crc32Byte(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}

/** Feed the characters of `text[start, end)` as single bytes (ASCII text: digits, '.', ':'). */
export function crc32Ascii(crc: number, text: string, start = 0, end = text.length): number {
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return crc;
}

/** Final value as an unsigned 32-bit integer (Kraken, zlib). */
export function crc32Finish(crc: number): number {
  return (crc ^ -1) >>> 0;
}

/** Final value as a signed 32-bit integer (OKX). */
export function crc32FinishSigned(crc: number): number {
  return crc ^ -1;
}

/** CRC-32 of an ASCII string, unsigned. Convenience for tests and cold paths. */
export function crc32(text: string): number {
  return crc32Finish(crc32Ascii(CRC32_INIT, text));
}
