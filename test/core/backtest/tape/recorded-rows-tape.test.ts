import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventFlag, EventKind } from '../../../../core/backtest/tape/event-kind.ts';
import { type BookRowLevels, RecordedRowsTape } from '../../../../core/backtest/tape/recorded-rows-tape.ts';
import type { Tape } from '../../../../core/backtest/tape/tape.ts';
import { tapeBooks } from '../../../../core/backtest/tape/tape-books.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { newCounters } from '../../../../core/venues/feed-types.ts';

const BTC = makeInstrument({
  exchange: 'binance-futures',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 2,
  sizeScale: 3,
});
const ETH = makeInstrument({ ...BTC, venueSymbol: 'ETHUSDT', symbol: 'ETH/USDT:USDT', base: 'ETH' });

/** [price, size] pairs, best first. */
function levels(bids: ReadonlyArray<[number, number]>, asks: ReadonlyArray<[number, number]>): BookRowLevels {
  return {
    bidPrice: bids.map((l) => l[0]),
    bidSize: bids.map((l) => l[1]),
    bidCount: bids.length,
    askPrice: asks.map((l) => l[0]),
    askSize: asks.map((l) => l[1]),
    askCount: asks.length,
  };
}

interface Row {
  kind: number;
  bid: boolean;
  eom: boolean;
  price: number;
  size: number;
  localTs: number;
  exchTs: number;
  inst: string;
}

function rows(tape: Tape): Row[] {
  const out: Row[] = [];
  for (let r = 0; r < tape.length; r++)
    out.push({
      kind: tape.kind[r]!,
      bid: (tape.flags[r]! & EventFlag.Bid) !== 0,
      eom: (tape.flags[r]! & EventFlag.Eom) !== 0,
      price: tape.price[r]!,
      size: tape.size[r]!,
      localTs: tape.localTs[r]!,
      exchTs: tape.exchTs[r]!,
      inst: tape.instruments[tape.inst[r]!]!.venueSymbol,
    });
  return out;
}

describe('RecordedRowsTape', () => {
  it('opens a symbol with Clear + Snapshot, then writes only the levels that changed', () => {
    const b = new RecordedRowsTape({ clockSkew: 'none' });
    b.book(
      BTC,
      1,
      1_000_000,
      999_000,
      levels(
        [
          [10000, 5],
          [9999, 2],
        ],
        [[10001, 4]],
      ),
    );
    // 9999 gone, 9998 new, 10001 resized, 10000 unchanged.
    b.book(
      BTC,
      1,
      1_000_100,
      999_050,
      levels(
        [
          [10000, 5],
          [9998, 7],
        ],
        [[10001, 3]],
      ),
    );
    // Same levels again: nothing to write.
    b.book(
      BTC,
      1,
      1_000_200,
      999_100,
      levels(
        [
          [10000, 5],
          [9998, 7],
        ],
        [[10001, 3]],
      ),
    );
    const { tape, report } = b.finish();
    const r = rows(tape);
    expect(r.map((x) => [x.kind, x.bid, x.price, x.size, x.eom])).toEqual([
      [EventKind.Clear, false, 0, 0, false],
      [EventKind.Snapshot, true, 10000, 5, false],
      [EventKind.Snapshot, true, 9999, 2, false],
      [EventKind.Snapshot, false, 10001, 4, true],
      [EventKind.Depth, true, 9998, 7, false],
      [EventKind.Depth, true, 9999, 0, false],
      [EventKind.Depth, false, 10001, 3, true],
    ]);
    // Receive and exchange times from the rows.
    expect(r.map((x) => x.localTs)).toEqual([
      1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_100, 1_000_100, 1_000_100,
    ]);
    expect(r[0]!.exchTs).toBe(999_000);
    expect(r[4]!.exchTs).toBe(999_050);
    expect(report.feeds[0]!.counters).toMatchObject({ messages: 3, snapshots: 1, levelChanges: 3 + 3 });
  });

  it('drops trades until the symbol has a book, then writes them with the aggressor side', () => {
    const b = new RecordedRowsTape({ clockSkew: 'none' });
    b.trade(BTC, 900, 800, 'buy', 10000, 1);
    b.book(BTC, 1, 1000, 950, levels([[10000, 5]], [[10001, 4]]));
    b.trade(BTC, 1100, 1050, 'sell', 10000, 2);
    b.trade(BTC, 1200, 1150, 'unknown', 10001, 3);
    const { tape, report } = b.finish();
    expect(report.tradesBeforeBook).toBe(1);
    const trades = rows(tape).filter((x) => x.kind === EventKind.Trade);
    expect(trades.map((t) => [t.price, t.size, t.localTs, t.exchTs, t.eom])).toEqual([
      [10000, 2, 1100, 1050, true],
      [10001, 3, 1200, 1150, true],
    ]);
    const tr = (r: number) => tape.flags[r]! & (EventFlag.Buy | EventFlag.Sell);
    const at = [...tape.kind.keys()].filter((r) => tape.kind[r] === EventKind.Trade);
    expect(at.map(tr)).toEqual([EventFlag.Sell, 0]);
  });

  it('a new recorder session starts the book whole again', () => {
    const b = new RecordedRowsTape({ clockSkew: 'none' });
    b.book(BTC, 1, 1000, 900, levels([[10000, 5]], [[10001, 4]]));
    b.book(BTC, 2, 2000, 1900, levels([[10000, 5]], [[10002, 1]]));
    const clears = rows(b.finish().tape).filter((x) => x.kind === EventKind.Clear);
    expect(clears.map((c) => c.localTs)).toEqual([1000, 2000]);
  });

  it('refuses and counts a row older than the previous one', () => {
    const b = new RecordedRowsTape({ clockSkew: 'none' });
    b.book(BTC, 1, 2000, 1900, levels([[10000, 5]], [[10001, 4]]));
    b.book(BTC, 1, 1000, 900, levels([[9000, 5]], [[10001, 4]]));
    const { tape, report } = b.finish();
    expect(report.feeds[0]!.counters.rejectedByReason).toEqual({ out_of_order: 1 });
    expect(rows(tape).some((x) => x.price === 9000)).toBe(false);
  });

  it('[from, to) and symbols: the books at `from` open the window as snapshots', () => {
    const b = new RecordedRowsTape({ clockSkew: 'none', from: 1500, to: 3000, symbols: ['BTCUSDT'] });
    b.book(BTC, 1, 1000, 900, levels([[10000, 5]], [[10001, 4]]));
    b.book(ETH, 1, 1100, 1000, levels([[300, 5]], [[301, 4]]));
    b.trade(BTC, 1200, 1100, 'buy', 10001, 1);
    b.book(BTC, 1, 2000, 1900, levels([[10000, 6]], [[10001, 4]]));
    b.book(BTC, 1, 3000, 2900, levels([[10000, 7]], [[10001, 4]]));
    const r = rows(b.finish().tape);
    expect(r.every((x) => x.inst === 'BTCUSDT')).toBe(true);
    expect(r.map((x) => [x.kind, x.price, x.size, x.localTs])).toEqual([
      [EventKind.Clear, 0, 0, 1500],
      [EventKind.Snapshot, 10000, 5, 1500],
      [EventKind.Snapshot, 10001, 4, 1500],
      [EventKind.Depth, 10000, 6, 2000],
    ]);
  });

  it('puts each venue clock on the receive clock (exchange time never after receive time)', () => {
    const b = new RecordedRowsTape();
    // Binance public data: no receive time, the exchange's used for both.
    b.book(BTC, 1, 1000, 1000, levels([[10000, 5]], [[10001, 4]]));
    b.trade(BTC, 2000, 2000, 'buy', 10001, 1);
    const { tape } = b.finish();
    for (let r = 0; r < tape.length; r++) expect(tape.exchTs[r]!).toBeLessThanOrEqual(tape.localTs[r]!);
    expect(tape.exchTs[0]).toBe(0);
  });

  it('property: after every stored row, the tape book is exactly the stored levels', () => {
    const side = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 8 });
    const row = fc.record({
      bids: side,
      asks: side,
      sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 16, maxLength: 16 }),
      session: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (stored) => {
        const b = new RecordedRowsTape({ clockSkew: 'none' });
        let session = 1;
        const expected: Array<{ bids: Map<number, number>; asks: Map<number, number> }> = [];
        stored.forEach((s, i) => {
          session = Math.max(session, s.session);
          const bids = [...s.bids].sort((x, y) => y - x).map((p, k): [number, number] => [p, s.sizes[k]!]);
          const asks = [...s.asks]
            .sort((x, y) => x - y)
            .map((p, k): [number, number] => [100 + p, s.sizes[8 + k]!]);
          b.book(BTC, session, 1000 + i, 900 + i, levels(bids, asks));
          expected.push({ bids: new Map(bids), asks: new Map(asks) });
        });
        const { tape } = b.finish();
        // Replay message by message (EOM), comparing with the row of the same receive time.
        const bids = new Map<number, number>();
        const asks = new Map<number, number>();
        let checked = 0;
        for (let r = 0; r < tape.length; r++) {
          const k = tape.kind[r]!;
          const book = (tape.flags[r]! & EventFlag.Bid) !== 0 ? bids : asks;
          if (k === EventKind.Clear) {
            bids.clear();
            asks.clear();
          } else if (tape.size[r] === 0) book.delete(tape.price[r]!);
          else book.set(tape.price[r]!, tape.size[r]!);
          if ((tape.flags[r]! & EventFlag.Eom) !== 0) {
            const want = expected[tape.localTs[r]! - 1000]!;
            expect(new Map([...bids].sort())).toEqual(new Map([...want.bids].sort()));
            expect(new Map([...asks].sort())).toEqual(new Map([...want.asks].sort()));
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(0);
        // The last row is the final book, also as `books` prints it.
        const last = expected[expected.length - 1]!;
        const line = tapeBooks(tape, newCounters()).books[0]!;
        expect(line.bidLevels).toBe(last.bids.size);
        expect(line.askLevels).toBe(last.asks.size);
      }),
      { numRuns: 200 },
    );
  });
});
