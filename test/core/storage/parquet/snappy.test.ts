/**
 * Our snappy compressor: whatever the input, a reference decoder (hyparquet's, and DuckDB reading
 * the pages in the writer's tests) gets the same bytes back; repetitive input shrinks.
 */
import fc from 'fast-check';
import { snappyUncompress } from 'hyparquet/src/snappy.js';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../../core/storage/parquet/byte-writer.ts';
import { maxSnappyLength, SnappyCompressor } from '../../../../core/storage/parquet/snappy.ts';

const compressor = new SnappyCompressor();

function roundTrip(input: Uint8Array, out = new ByteWriter(16)): { back: Uint8Array; size: number } {
  const at = out.pos;
  const size = compressor.compress(input, out);
  expect(out.pos - at).toBe(size);
  expect(size).toBeLessThanOrEqual(maxSnappyLength(input.length));
  const back = new Uint8Array(input.length);
  snappyUncompress(out.buf.subarray(at, at + size), back);
  return { back, size };
}

/** Byte equality without a deep-equality diff over every element (slow on 200 kB). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

const frame = (k: number) =>
  `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":${1723161255208 + k},"s":"BTCUSDT","U":${50093239189 + k * 10},"b":[["61234.5${k % 10}","0.0${k}"]],"a":[]}}`;

describe('SnappyCompressor', () => {
  it('round-trips empty, tiny and margin-sized inputs', () => {
    for (const n of [0, 1, 4, 14, 15, 16, 17, 64]) {
      const input = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 3);
      expect(roundTrip(input).back).toEqual(input);
    }
  });

  it('round-trips arbitrary bytes, including runs and repeats, and appends after what is in the writer', () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 5000 }))
        .map(([b, n]) => new Uint8Array(n).fill(b)),
      fc.integer({ min: 0, max: 2000 }).map((k) => new TextEncoder().encode(frame(k))),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 40 }), fc.nat(50), (chunks, lead) => {
        const input = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          input.set(c, at);
          at += c.length;
        }
        const out = new ByteWriter(16);
        for (let i = 0; i < lead; i++) out.u8(0xee);
        const { back } = roundTrip(input, out);
        expect(same(back, input)).toBe(true);
        for (let i = 0; i < lead; i++) expect(out.buf[i]).toBe(0xee);
      }),
      { numRuns: 300 },
    );
  });

  it('compresses multi-fragment input (over 64 KiB) of repeated frames well, and random bytes to at most the bound', () => {
    const text = new TextEncoder().encode(Array.from({ length: 3000 }, (_, k) => frame(k)).join(''));
    expect(text.length).toBeGreaterThan(3 * 65536);
    const { back, size } = roundTrip(text);
    expect(same(back, text)).toBe(true);
    expect(size).toBeLessThan(text.length / 3);
    let seed = 1;
    const noise = Uint8Array.from({ length: 200_000 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    });
    const r = roundTrip(noise);
    expect(same(r.back, noise)).toBe(true);
  });
});
