import { beforeAll, describe, expect, it } from 'vitest';
import { EventFlag, EventKind } from '../../../core/backtest/tape/event-kind.ts';
import type { Tape } from '../../../core/backtest/tape/tape.ts';
import { loadTape } from '../../../local/backtest/load-tape.ts';
import { windowTape } from '../../../local/backtest/window-tape.ts';
import { TO_US, USDM } from '../../bin/commands/data.ts';
import { ask, bid, handTape, sellTrade } from '../../core/sim/support/hand-tape.ts';

/** Instrument 0's book after replaying rows [0, end) of a tape: sorted "side price size" lines (a plain model). */
function bookAt(tape: Tape, end: number): string[] {
  const levels = new Map<string, number>();
  for (let r = 0; r < end; r++) {
    if (tape.inst[r] !== 0) continue;
    const k = tape.kind[r]!;
    if (k === EventKind.Clear) levels.clear();
    else if (k === EventKind.Depth || k === EventKind.Snapshot) {
      const key = `${tape.flags[r]! & EventFlag.Bid ? 'bid' : 'ask'} ${tape.price[r]}`;
      if (tape.size[r]! > 0) levels.set(key, tape.size[r]!);
      else levels.delete(key);
    }
  }
  return [...levels].map(([k, v]) => `${k} ${v}`).sort();
}

describe('windowTape on a hand-made tape', () => {
  const tape = handTape([
    { t: 10, rows: [bid(100, 5), ask(102, 5)] },
    { t: 20, rows: [{ kind: 'funding', rate: 0.0001, nextTs: 99, mark: 101 }] },
    { t: 30, rows: [bid(101, 2), ask(102, 0), ask(103, 4)] },
    { t: 40, rows: [sellTrade(101, 1)] },
    { t: 50, rows: [{ kind: 'clear' }] },
    { t: 60, rows: [bid(99, 1)] },
  ]);

  it('opens with the book as it stands and the last funding ticker, then the rows of the window', () => {
    const w = windowTape(tape, 35, 55);
    const rows = Array.from({ length: w.length }, (_, r) => [
      w.kind[r],
      w.flags[r],
      w.localTs[r],
      w.exchTs[r],
      w.price[r],
      w.size[r],
    ]);
    expect(rows).toEqual([
      [EventKind.Clear, 0, 35, 29, 0, 0],
      [EventKind.Snapshot, EventFlag.Bid, 35, 29, 101, 2],
      [EventKind.Snapshot, EventFlag.Bid, 35, 29, 100, 5],
      [EventKind.Snapshot, EventFlag.Eom, 35, 29, 103, 4],
      [EventKind.Funding, EventFlag.Eom, 35, 19, 101, 0.0001],
      [EventKind.Trade, EventFlag.Sell | EventFlag.Eom, 40, 39, 101, 1],
      [EventKind.Clear, EventFlag.Eom, 50, 49, 0, 0],
    ]);
    expect(w.aux[4]).toBe(99);
    expect(w.instruments).toBe(tape.instruments);
  });

  it('a stale (cleared) book opens empty; the whole range is the tape itself', () => {
    const w = windowTape(tape, 55, 100);
    expect(Array.from(w.kind)).toEqual([EventKind.Funding, EventKind.Depth]);
    const all = windowTape(tape, tape.startTs, tape.endTs + 1);
    expect(Array.from(all.kind)).toEqual(Array.from(tape.kind));
    expect(Array.from(all.exchOrder)).toEqual(Array.from(tape.exchOrder));
    expect(windowTape(tape, 200, 300).length).toBe(0);
  });
});

describe('windowTape on the Binance USD-M capture', () => {
  let tape: Tape;
  beforeAll(async () => {
    tape = (await loadTape(USDM, { to: TO_US })).tape;
  });

  it('keeps the window rows unchanged and the books equal to the full replay at every row', () => {
    const start = tape.startTs + 20_000_000;
    const end = tape.startTs + 40_000_000;
    const w = windowTape(tape, start, end);
    let first = 0;
    while (tape.localTs[first]! < start) first++;
    let opening = 0;
    while (w.localTs[opening] === start && tape.localTs[first + opening] !== start) opening++;
    expect(opening).toBeGreaterThan(100); // a full book snapshot
    const kept = w.length - opening;
    expect(tape.localTs[first + kept - 1]!).toBeLessThan(end);
    expect(tape.localTs[first + kept]!).toBeGreaterThanOrEqual(end);
    for (let k = 0; k < kept; k += 97) {
      expect(w.price[opening + k]).toBe(tape.price[first + k]);
      expect(w.kind[opening + k]).toBe(tape.kind[first + k]);
    }
    for (const k of [0, Math.floor(kept / 2), kept]) {
      const a = bookAt(w, opening + k);
      expect(a.length).toBeGreaterThan(1000);
      expect(a).toEqual(bookAt(tape, first + k));
    }
    for (let r = 1; r < w.length; r++)
      expect(w.exchTs[w.exchOrder[r]!]!).toBeGreaterThanOrEqual(w.exchTs[w.exchOrder[r - 1]!]!);
  });
});
