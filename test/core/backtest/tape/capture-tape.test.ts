import { describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../../config/instruments.ts';
import {
  buildTape,
  buildTapeWithReport,
  CaptureTapeBuilder,
} from '../../../../core/backtest/tape/capture-tape.ts';
import { EventFlag, EventKind } from '../../../../core/backtest/tape/event-kind.ts';
import type { Tape } from '../../../../core/backtest/tape/tape.ts';
import { L2Book } from '../../../../core/book/l2-book.ts';
import { replayCapture, singleSymbolOf } from '../../../../core/capture/replay-capture.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { createFeed } from '../../../../core/venues/create-feed.ts';
import { capture, fixtureTape, SPOT, source, USDM } from './fixture-tapes.ts';

/** Apply rows [0, end) in receive order to a book (instrument `inst`). */
function replayBook(tape: Tape, inst = 0, end = tape.length): L2Book {
  const b = new L2Book();
  for (let r = 0; r < end; r++) {
    if (tape.inst[r] !== inst) continue;
    const k = tape.kind[r];
    if (k === EventKind.Clear) b.clear();
    else if (k === EventKind.Depth || k === EventKind.Snapshot)
      b.set((tape.flags[r]! & EventFlag.Bid) !== 0, tape.price[r]!, tape.size[r]!);
  }
  return b;
}

let usdmFeed: { book: L2Book; counters: { trades: number } } | undefined;

/** The venue feed run over the USD-M capture, as an independent reference (once). */
function feedBook() {
  if (!usdmFeed) {
    const c = capture(USDM);
    const feed = createFeed({
      exchange: c.exchange,
      instruments: new InstrumentRegistry(configuredInstruments()),
    });
    replayCapture(c.records, feed);
    usdmFeed = { book: [...feed.books()][0]!.book, counters: feed.counters };
  }
  return usdmFeed;
}

describe('tape from the Binance USD-M BTCUSDT capture', () => {
  const tape = fixtureTape(USDM);

  it('holds the trusted book output and every trade, in receive order', () => {
    const kinds = new Map<number, number>();
    for (let r = 0; r < tape.length; r++) kinds.set(tape.kind[r]!, (kinds.get(tape.kind[r]!) ?? 0) + 1);
    const { counters } = feedBook();
    expect(kinds.get(EventKind.Trade)).toBe(counters.trades); // 21 313
    expect(kinds.get(EventKind.Clear)).toBe(1);
    expect(kinds.get(EventKind.Snapshot)).toBe(2000); // the 1000 + 1000 level REST snapshot
    expect(tape.length).toBe(466_576);
    // Trades flow from the first message; the book from its first snapshot (Clear + levels).
    expect(tape.kind.indexOf(EventKind.Clear)).toBe(tape.kind.findIndex((k) => k !== EventKind.Trade));
    let ordered = true;
    for (let r = 1; r < tape.length; r++) ordered &&= tape.localTs[r]! >= tape.localTs[r - 1]!;
    expect(ordered).toBe(true);
    expect(tape.instruments.map((i) => i.symbol)).toEqual(['BTC/USDT:USDT']);
  });

  it('rebuilds exactly the book the venue feed ends with', () => {
    const ours = replayBook(tape);
    const { book } = feedBook();
    expect(ours.snapshot()).toEqual(book.snapshot());
  });

  it('puts exchange time on the receive clock (the recorder was 1.27 s behind Binance)', () => {
    const s = tape.sources[0]!;
    expect(s.clockOffsetUs).toBeGreaterThan(1_200_000);
    expect(s.clockOffsetUs).toBeLessThan(1_350_000);
    expect(s.medianFeedLatencyUs).toBeGreaterThan(1000);
    expect(s.medianFeedLatencyUs).toBeLessThan(50_000);
    let behind = true;
    for (let r = 0; r < tape.length; r++) behind &&= tape.exchTs[r]! <= tape.localTs[r]!;
    expect(behind).toBe(true);
  });

  it('orders rows by exchange time stably, keeping the book sequence', () => {
    const o = tape.exchOrder;
    const seen = new Uint8Array(tape.length);
    let lastBook = -1;
    let sorted = true;
    let bookInOrder = true;
    let moved = 0;
    for (let p = 0; p < o.length; p++) {
      seen[o[p]!] = 1;
      if (o[p] !== p) moved++;
      if (p > 0) {
        const a = tape.exchTs[o[p - 1]!]!;
        const b = tape.exchTs[o[p]!]!;
        sorted &&= a < b || (a === b && o[p - 1]! < o[p]!);
      }
      // Book rows keep their receive order in exchange order.
      if (tape.kind[o[p]!] !== EventKind.Trade) {
        bookInOrder &&= o[p]! > lastBook;
        lastBook = o[p]!;
      }
    }
    expect(sorted).toBe(true);
    expect(bookInOrder).toBe(true);
    expect(seen.every((x) => x === 1)).toBe(true);
    expect(moved).toBeGreaterThan(0); // trades and depth do interleave differently by exchange time
  });
});

describe('tape filters', () => {
  const full = fixtureTape(USDM);
  const from = full.startTs + 60_000_000;
  const to = full.startTs + 120_000_000;

  it('a time window opens with a snapshot of the book as it stood, and ends before `to`', () => {
    const win = fixtureTape(USDM, { from, to });
    expect(win.kind[0]).toBe(EventKind.Clear);
    expect(win.localTs[0]).toBe(from);
    expect(win.endTs).toBeLessThan(to);
    let firstAfter = 0;
    while (full.localTs[firstAfter]! < from) firstAfter++;
    const atFrom = replayBook(full, 0, firstAfter);
    let snapEnd = 1;
    while (win.kind[snapEnd] === EventKind.Snapshot) snapEnd++;
    expect(snapEnd - 1).toBe(atFrom.bids.count + atFrom.asks.count);
    expect(replayBook(win, 0, snapEnd).snapshot()).toEqual(atFrom.snapshot());
    // …and the window's end state equals the full tape's at the same point.
    let lastIn = firstAfter;
    while (full.localTs[lastIn]! < to) lastIn++;
    expect(replayBook(win).snapshot()).toEqual(replayBook(full, 0, lastIn).snapshot());
  });

  it('symbol filter by unified, venue or exchange-qualified name', () => {
    const instruments = configuredInstruments();
    const spot = fixtureTape(SPOT);
    const to = spot.startTs + 20_000_000;
    const rows = (symbols: string[]) => buildTape([source(SPOT)], { instruments, symbols, to }).length;
    const all = rows([]);
    expect(all).toBeGreaterThan(0);
    expect(rows(['ETHUSDT'])).toBe(0);
    expect(rows(['binance:BTCUSDT'])).toBe(all);
    expect(rows(['BTC/USDT'])).toBe(all);
    expect(rows(['btcusdt'])).toBe(all);
  });
});

describe('merging captures', () => {
  it('interleaves spot and USD-M by receive time, each keeping its own rows in order', () => {
    const to = fixtureTape(USDM).startTs + 30_000_000;
    const spot = fixtureTape(SPOT, { to });
    const usdm = fixtureTape(USDM, { to });
    const both = buildTape([source(SPOT), source(USDM)], { instruments: configuredInstruments(), to });
    expect(spot.length).toBeGreaterThan(1000);
    expect(usdm.length).toBeGreaterThan(1000);
    expect(both.length).toBe(spot.length + usdm.length);
    expect(both.instruments.map((i) => `${i.exchange}:${i.symbol}`)).toEqual([
      'binance:BTC/USDT',
      'binance-futures:BTC/USDT:USDT',
    ]);
    expect(both.sources.map((s) => s.exchange)).toEqual(['binance', 'binance-futures']);
    const next = [0, 0];
    const parts = [spot, usdm];
    let mismatches = 0;
    let ordered = true;
    for (let r = 0; r < both.length; r++) {
      if (r > 0) ordered &&= both.localTs[r]! >= both.localTs[r - 1]!;
      const i = both.inst[r]!;
      const part = parts[i]!;
      const k = next[i]!++;
      if (both.price[r] !== part.price[k] || both.size[r] !== part.size[k] || both.kind[r] !== part.kind[k])
        mismatches++;
    }
    expect(ordered).toBe(true);
    expect(mismatches).toBe(0);
    expect(next).toEqual([spot.length, usdm.length]);
  });
});

describe('stale books', () => {
  it('a sequence gap becomes a Clear and no book rows follow until a new snapshot', () => {
    const c = capture(USDM);
    // The first fifth of the capture with one depth diff dropped: the pu chain breaks.
    const part = c.records.slice(0, Math.floor(c.records.length / 5));
    let dropped = -1;
    for (let k = Math.floor(part.length / 2); dropped < 0; k++) {
      if (part[k]!.body.includes('"depthUpdate"')) dropped = k;
    }
    const records = part.filter((_, k) => k !== dropped);
    const { tape, report } = buildTapeWithReport([{ name: 'gap', exchange: c.exchange, records }], {
      instruments: configuredInstruments(),
    });
    expect(report.staleClears).toBe(1);
    let clearAt = -1;
    for (let r = 1; r < tape.length; r++) if (tape.kind[r] === EventKind.Clear) clearAt = r;
    expect(clearAt).toBeGreaterThan(0);
    let trades = 0;
    for (let r = clearAt + 1; r < tape.length; r++) {
      expect(tape.kind[r]).toBe(EventKind.Trade);
      trades++;
    }
    expect(trades).toBeGreaterThan(0);
  });
});

describe('CaptureTapeBuilder (sources fed in record batches)', () => {
  it('builds the same tape from batches as from whole record arrays, the stream symbol told by the first records', () => {
    const options = { instruments: configuredInstruments() };
    const whole = buildTape([source(USDM), source(SPOT)], options);
    const builder = new CaptureTapeBuilder(options);
    for (const path of [USDM, SPOT]) {
      const s = source(path);
      // Small batches: the REST snapshot sits in a batch of its own, where no message names the symbol.
      builder.begin(s, singleSymbolOf(s.records.slice(0, 4096)));
      // Single records at the start, where the snapshot is; large batches after.
      for (let i = 0; i < s.records.length; ) {
        const n = i < 200 ? 1 : 5000;
        builder.replay(s.records.slice(i, i + n));
        i += n;
      }
    }
    const batched = builder.finish().tape;
    expect(batched.length).toBe(whole.length);
    expect(batched.length).toBeGreaterThan(1000);
    const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const column of ['kind', 'flags', 'inst', 'exchTs', 'localTs', 'price', 'size', 'aux'] as const)
      expect(bytes(batched[column]).equals(bytes(whole[column])), column).toBe(true);
    expect(batched.instruments.map((i) => i.symbol)).toEqual(whole.instruments.map((i) => i.symbol));
  });

  it('control: one-record batches without the stream symbol lose the snapshot (the hint matters)', () => {
    const s = source(USDM);
    const builder = new CaptureTapeBuilder({ instruments: configuredInstruments() });
    builder.begin(s);
    for (let i = 0; i < s.records.length; i++) builder.replay(s.records.slice(i, i + 1));
    expect(builder.finish().tape.length).toBeLessThan(buildTape([s]).length);
  });
});
