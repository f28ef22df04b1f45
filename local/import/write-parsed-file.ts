/**
 * One parsed file into the recording, through the recorder's public API (fargate/recorder): book
 * records rebuild an L2 book and store its top levels after each record (as the live recorder stores
 * a row after each applied message), trades become trade rows, klines raw `rest` rows holding the
 * venue's REST kline body (what a backfill of /api/v3/klines records), tickers are counted only.
 *
 * Validation on receipt, each refusal counted by reason: a value not exact at the instrument's scale
 * (`precision`/`overflow`), a receive time older than the previous row of the file (`out_of_order`),
 * an update before the first snapshot of an L2 file (`bad_sequence`: its book is unknown); crossed
 * books after a record are stored as the vendor had them and counted (validate reports them too).
 */
import { L2Book } from '../../core/book/l2-book.ts';
import type { ImportRecord, KlineRecord, ParsedFile } from '../../core/import/import-record.ts';
import { reject } from '../../core/import/import-record.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { parseDecimal } from '../../core/num/index.ts';
import type { Recorder } from '../../fargate/recorder/recorder.ts';

export interface WriteCounts {
  bookRows: number;
  trades: number;
  klines: number;
  /** Parsed and not stored: the recording has no table for them (derivative_ticker). */
  notStored: number;
  crossed: number;
  firstTs: number;
  lastTs: number;
}

/** The REST path a kline body is recorded under (replay and backfill use the venue's own). */
export function klineUrl(instrument: Instrument, interval: string): string {
  const host =
    instrument.exchange === 'binance-futures' ? 'fapi.binance.com/fapi/v1' : 'api.binance.com/api/v3';
  return `https://${host}/klines?symbol=${instrument.venueSymbol}&interval=${interval}`;
}

/** A kline as the venue's REST row: [openMs, o, h, l, c, v, closeMs, qv, trades, tbv, tbqv, "0"]. */
export function klineBody(k: KlineRecord): string {
  const [o, h, l, c, v, qv, n, tbv, tbqv] = k.values;
  return JSON.stringify([
    [
      Math.floor(k.openTime / 1000),
      o,
      h,
      l,
      c,
      v,
      Math.floor(k.closeTime / 1000),
      qv,
      Number(n),
      tbv,
      tbqv,
      '0',
    ],
  ]);
}

/** The recorder calls an import makes. */
export type ImportRecorder = Pick<Recorder, 'recordBookLevels' | 'recordTrade' | 'recordRest'>;

export function writeParsedFile(
  file: ParsedFile,
  instrument: Instrument,
  recorder: ImportRecorder,
  interval = '1m',
): WriteCounts {
  const counts: WriteCounts = {
    bookRows: 0,
    trades: 0,
    klines: 0,
    notStored: 0,
    crossed: 0,
    firstTs: Number.POSITIVE_INFINITY,
    lastTs: Number.NEGATIVE_INFINITY,
  };
  const book = new L2Book();
  let synced = file.dataset !== 'incremental_book_L2';
  let lastTs = Number.NEGATIVE_INFINITY;
  const ps = instrument.priceScale;
  const ss = instrument.sizeScale;
  let n = 0;
  for (const r of file.records as ImportRecord[]) {
    n++;
    if (r.localTs < lastTs) {
      reject(file, 'out_of_order', n, 'receive time older than the previous record');
      continue;
    }
    lastTs = r.localTs;
    switch (r.type) {
      case 'book': {
        if (r.snapshot) {
          book.clear();
          synced = true;
        } else if (!synced) {
          reject(file, 'bad_sequence', n, 'update before the first snapshot');
          continue;
        }
        let bad = false;
        for (const c of r.changes) {
          const price = parseDecimal(c.price, ps);
          const size = parseDecimal(c.size, ss);
          if (Number.isNaN(price) || Number.isNaN(size)) bad = true;
          else book.set(c.bid, price, size);
        }
        if (bad) reject(file, 'precision', n, 'a level not exact at the instrument scale');
        if (book.bids.count > 0 && book.asks.count > 0 && book.bestBid() >= book.bestAsk()) counts.crossed++;
        recorder.recordBookLevels(instrument, r.localTs, r.exchangeTs, Number.NaN, book.bids, book.asks);
        counts.bookRows++;
        break;
      }
      case 'trade': {
        const price = parseDecimal(r.price, ps);
        const size = parseDecimal(r.size, ss);
        if (Number.isNaN(price) || Number.isNaN(size)) {
          reject(file, 'precision', n, 'trade price or size not exact at the instrument scale');
          continue;
        }
        recorder.recordTrade(
          {
            type: 'trade',
            exchange: instrument.exchange,
            symbol: instrument.symbol,
            exchangeTs: r.exchangeTs,
            localTs: r.localTs,
            tradeId: r.id,
            price,
            size,
            side: r.side,
          },
          instrument,
        );
        counts.trades++;
        break;
      }
      case 'kline':
        recorder.recordRest(instrument.exchange, klineUrl(instrument, interval), r.localTs, klineBody(r));
        counts.klines++;
        break;
      case 'ticker':
        counts.notStored++;
        continue;
    }
    counts.firstTs = Math.min(counts.firstTs, r.localTs);
    counts.lastTs = Math.max(counts.lastTs, r.localTs);
  }
  return counts;
}
