import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportRecord, ParsedFile } from '../../../core/import/import-record.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import type { LevelsView } from '../../../fargate/recorder/recorder.ts';
import { type ImportRecorder, writeParsedFile } from '../../../local/import/write-parsed-file.ts';

const BTC = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 1,
  sizeScale: 2,
});

function file(dataset: ParsedFile['dataset'], records: ImportRecord[]): ParsedFile {
  return {
    dataset,
    vendorExchange: 'binance',
    venueSymbol: 'BTCUSDT',
    records,
    rejected: new Map(),
    rejectExamples: [],
  };
}

/** Keeps each book row's top levels as [price, size] units. */
function recorder(): ImportRecorder & { rows: Array<{ bids: number[][]; asks: number[][] }> } {
  const rows: Array<{ bids: number[][]; asks: number[][] }> = [];
  const side = (s: LevelsView) => Array.from({ length: s.count }, (_, i) => [s.priceAt(i), s.sizeAt(i)]);
  return {
    rows,
    recordBookLevels: (_i, _l, _e, _s, bids, asks) => rows.push({ bids: side(bids), asks: side(asks) }),
    recordTrade: () => {},
    recordRest: () => {},
  };
}

describe('writing parsed records', () => {
  it('property: the stored book after each L2 record is the snapshot plus the updates, sorted', () => {
    const change = fc.record({
      bid: fc.boolean(),
      price: fc.integer({ min: 1, max: 40 }),
      size: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(change, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 30 }),
        (messages) => {
          // Bids below 20.0, asks from 20.1 on: never crossed.
          const px = (c: { bid: boolean; price: number }) => (c.bid ? c.price : c.price + 200);
          const records: ImportRecord[] = messages.map((m, k) => ({
            type: 'book',
            localTs: 1_000 + k,
            exchangeTs: 1_000 + k,
            snapshot: k === 0,
            changes: m.map((c) => ({
              bid: c.bid,
              price: (px(c) / 10).toFixed(1),
              size: (c.size / 100).toFixed(2),
            })),
          }));
          const r = recorder();
          const f = file('incremental_book_L2', records);
          writeParsedFile(f, BTC, r);
          expect(f.rejected.size).toBe(0);
          const bids = new Map<number, number>();
          const asks = new Map<number, number>();
          messages.forEach((m, k) => {
            if (k === 0) {
              bids.clear();
              asks.clear();
            }
            for (const c of m) {
              const side = c.bid ? bids : asks;
              if (c.size === 0) side.delete(px(c));
              else side.set(px(c), c.size);
            }
            const want = {
              bids: [...bids].sort((a, b) => b[0] - a[0]),
              asks: [...asks].sort((a, b) => a[0] - b[0]),
            };
            expect(r.rows[k]).toEqual(want);
          });
        },
      ),
    );
  });

  it('refuses updates before the first snapshot, times going back and values finer than the scale', () => {
    const r = recorder();
    const f = file('incremental_book_L2', [
      {
        type: 'book',
        localTs: 10,
        exchangeTs: 10,
        snapshot: false,
        changes: [{ bid: true, price: '1.0', size: '1' }],
      },
      {
        type: 'book',
        localTs: 20,
        exchangeTs: 20,
        snapshot: true,
        changes: [{ bid: true, price: '1.0', size: '1' }],
      },
      {
        type: 'book',
        localTs: 15,
        exchangeTs: 15,
        snapshot: false,
        changes: [{ bid: true, price: '1.1', size: '1' }],
      },
      { type: 'trade', localTs: 30, exchangeTs: 30, id: '1', side: 'buy', price: '1.05', size: '1' },
    ]);
    const counts = writeParsedFile(f, BTC, r);
    expect(Object.fromEntries(f.rejected)).toEqual({ bad_sequence: 1, out_of_order: 1, precision: 1 });
    expect(counts).toMatchObject({ bookRows: 1, trades: 0 });
  });
});
