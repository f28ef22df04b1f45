/**
 * Kraken spot book checksum (websocket v1 and v2; docs.kraken.com "Book checksum"):
 * top 10 asks low→high, then top 10 bids high→low; for each level the price then the quantity, each
 * written as the venue writes it, '.' removed and leading zeros stripped; CRC-32 of the
 * concatenation, compared as an unsigned 32-bit integer.
 *
 * The one difference between the versions is where "as the venue writes it" comes from:
 *   v1 — the exact wire strings, which pad to fixed decimals ("0.05000", XMR/USD "354.15000000"
 *        although its pair_decimals is 2): the decimals seen in the snapshot.
 *   v2 — the pair's price_precision / qty_precision from the `instrument` channel. Formatting the
 *        float a JSON parser returns gives a different string ("0.01" for 0.010) and a wrong CRC.
 * Both live in the instrument as wirePriceDecimals / wireSizeDecimals; the feeds keep them right.
 */
import type { Instrument } from '../../market/instrument.ts';
import type { L2Book } from '../l2-book.ts';
import type { BookChecksum } from './book-checksum.ts';
import { CRC32_INIT, crc32Finish } from './crc32.ts';
import { crc32DecimalDigits } from './decimal-crc.ts';

/** Module-local alias (see decimal-crc.ts: imported bindings are slower to read in hot loops under tsx). */
const digitsCrc = crc32DecimalDigits;

export class KrakenChecksum implements BookChecksum {
  readonly name: string;
  /** Levels per side that enter the checksum (10 on every Kraken spot book). */
  readonly levels: number;

  constructor(name: string, levels = 10) {
    this.name = name;
    this.levels = levels;
  }

  compute(book: L2Book, instrument: Instrument): number {
    const ps = instrument.priceScale;
    const ss = instrument.sizeScale;
    const pd = instrument.wirePriceDecimals;
    const sd = instrument.wireSizeDecimals;
    let crc = CRC32_INIT;
    const asks = book.asks;
    const na = Math.min(this.levels, asks.count);
    for (let i = 0; i < na; i++) {
      crc = digitsCrc(crc, asks.priceAt(i), ps, pd);
      crc = digitsCrc(crc, asks.sizeAt(i), ss, sd);
    }
    const bids = book.bids;
    const nb = Math.min(this.levels, bids.count);
    for (let i = 0; i < nb; i++) {
      crc = digitsCrc(crc, bids.priceAt(i), ps, pd);
      crc = digitsCrc(crc, bids.sizeAt(i), ss, sd);
    }
    return crc32Finish(crc);
  }
}

/** v1: the instrument's wire decimals must be the snapshot's string decimals (KrakenV1Feed sets them). */
export const krakenV1Checksum: BookChecksum = new KrakenChecksum('kraken-v1');

/** v2: the instrument's wire decimals must be price_precision / qty_precision (KrakenV2Feed sets them). */
export const krakenV2Checksum: BookChecksum = new KrakenChecksum('kraken-v2');
