/**
 * OKX-style book checksum: CRC-32 over the top 25 levels interleaved as
 * `bid1Px:bid1Sz:ask1Px:ask1Sz:bid2Px:…` (when one side is shorter the other's remaining levels follow
 * alone), of the wire strings, as a SIGNED 32-bit integer. OKX writes the shortest form ("3366",
 * "0.6"); pass `padded: true` for a venue that pads to the instrument's wire decimals.
 * Example (OKX docs): bids [3366.1, 7], [3366, 6]; asks [3366.8, 9], [3368, 8] →
 * "3366.1:7:3366.8:9:3366:6:3368:8" → -1881014294.
 */
import type { Instrument } from '../../market/instrument.ts';
import type { BookSide } from '../book-side.ts';
import type { L2Book } from '../l2-book.ts';
import type { BookChecksum } from './book-checksum.ts';
import { CRC32_INIT, crc32Byte, crc32FinishSigned } from './crc32.ts';
import { crc32Decimal } from './decimal-crc.ts';

const COLON = 58;

// Module-local aliases (see decimal-crc.ts: imported bindings are slower to read in hot loops under tsx).
const byte = crc32Byte;
const decimal = crc32Decimal;

export interface OkxChecksumOptions {
  /** Levels per side (25 on OKX `books`). */
  levels?: number;
  /** Write prices/sizes padded to the instrument's wire decimals instead of the shortest form. */
  padded?: boolean;
}

export class OkxChecksum implements BookChecksum {
  readonly name = 'okx';
  readonly levels: number;
  private readonly padded: boolean;

  constructor(options: OkxChecksumOptions = {}) {
    this.levels = options.levels ?? 25;
    this.padded = options.padded ?? false;
  }

  compute(book: L2Book, instrument: Instrument): number {
    const bids = book.bids;
    const asks = book.asks;
    const nb = Math.min(this.levels, bids.count);
    const na = Math.min(this.levels, asks.count);
    const n = Math.max(nb, na);
    let crc = CRC32_INIT;
    let first = true;
    for (let i = 0; i < n; i++) {
      if (i < nb) {
        crc = this.level(crc, bids, i, instrument, first);
        first = false;
      }
      if (i < na) {
        crc = this.level(crc, asks, i, instrument, first);
        first = false;
      }
    }
    return crc32FinishSigned(crc);
  }

  private level(crc: number, side: BookSide, i: number, instrument: Instrument, first: boolean): number {
    if (!first) crc = byte(crc, COLON);
    const pd = this.padded ? instrument.wirePriceDecimals : 0;
    const sd = this.padded ? instrument.wireSizeDecimals : 0;
    crc = decimal(crc, side.priceAt(i), instrument.priceScale, pd);
    crc = byte(crc, COLON);
    return decimal(crc, side.sizeAt(i), instrument.sizeScale, sd);
  }
}

export const okxChecksum: BookChecksum = new OkxChecksum();
