import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CRC32_INIT,
  crc32,
  crc32Ascii,
  crc32Byte,
  crc32Finish,
  crc32FinishSigned,
} from '../../../../core/book/checksum/crc32.ts';

describe('crc32', () => {
  it('matches the standard check value and edge cases', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(crc32('a')).toBe(0xe8b7be43);
  });

  it('is unsigned by default and signed on request', () => {
    const running = crc32Ascii(CRC32_INIT, '3366.1:7:3366.8:9:3366:6:3368:8');
    expect(crc32FinishSigned(running)).toBe(-1881014294);
    expect(crc32Finish(running)).toBe(-1881014294 + 2 ** 32);
  });

  it('gives the same value fed byte by byte, by ranges, or whole', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), fc.nat(), (s, cut) => {
        const at = s.length === 0 ? 0 : cut % (s.length + 1);
        let bytewise = CRC32_INIT;
        for (let i = 0; i < s.length; i++) bytewise = crc32Byte(bytewise, s.charCodeAt(i));
        const split = crc32Ascii(crc32Ascii(CRC32_INIT, s, 0, at), s, at, s.length);
        expect(crc32Finish(bytewise)).toBe(crc32(s));
        expect(crc32Finish(split)).toBe(crc32(s));
      }),
    );
  });

  it('equals zlib crc32 on ASCII text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)) }),
        (s) => {
          expect(crc32(s)).toBe(zlibCrc32(s));
        },
      ),
    );
  });
});
