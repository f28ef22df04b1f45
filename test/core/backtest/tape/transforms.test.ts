import { describe, expect, it } from 'vitest';
import { EventFlag, EventKind } from '../../../../core/backtest/tape/event-kind.ts';
import { loopTape } from '../../../../core/backtest/tape/loop-tape.ts';
import type { Tape } from '../../../../core/backtest/tape/tape.ts';
import { topLevelsTape } from '../../../../core/backtest/tape/top-levels.ts';
import { L2Book } from '../../../../core/book/l2-book.ts';
import { fixtureTape, SPOT } from './fixture-tapes.ts';

/** Replay a tape; call `each` with the book after every message (receive order). */
function eachMessage(tape: Tape, each: (book: L2Book, localTs: number) => void): void {
  const b = new L2Book();
  for (let r = 0; r < tape.length; r++) {
    const k = tape.kind[r];
    if (k === EventKind.Clear) b.clear();
    else if (k === EventKind.Depth || k === EventKind.Snapshot)
      b.set((tape.flags[r]! & EventFlag.Bid) !== 0, tape.price[r]!, tape.size[r]!);
    else continue;
    if ((tape.flags[r]! & EventFlag.Eom) !== 0) each(b, tape.localTs[r]!);
  }
}

describe('topLevelsTape', () => {
  it('after every book message shows exactly the best 5 levels of the full book', () => {
    const full = fixtureTape(SPOT);
    const top = topLevelsTape(full, 5);
    expect(top.length).toBeLessThan(full.length / 2);
    const expected: string[] = [];
    eachMessage(full, (b) => expected.push(JSON.stringify(b.snapshot(5))));
    const got: string[] = [];
    eachMessage(top, (b) => got.push(JSON.stringify(b.snapshot())));
    // The reduced tape skips messages that did not change the top 5: compare on the changes.
    const dedupe = (xs: string[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]);
    expect(dedupe(got)).toEqual(dedupe(expected));
    // Trades are all kept.
    const trades = (t: Tape) => t.kind.filter((k) => k === EventKind.Trade).length;
    expect(trades(top)).toBe(trades(full));
  });
});

describe('loopTape', () => {
  it('repeats the tape shifted in time, each copy after the previous one', () => {
    const one = fixtureTape(SPOT);
    const two = loopTape(one, 2);
    expect(two.length).toBe(2 * one.length);
    const shift = two.localTs[one.length]! - one.localTs[0]!;
    expect(shift).toBeGreaterThan(one.endTs - one.startTs);
    expect(two.price[one.length + 17]).toBe(one.price[17]);
    expect(two.exchTs[one.length + 17]).toBe(one.exchTs[17]! + shift);
    let sorted = true;
    for (let p = 1; p < two.length; p++)
      sorted &&= two.exchTs[two.exchOrder[p]!]! >= two.exchTs[two.exchOrder[p - 1]!]!;
    expect(sorted).toBe(true);
  });
});
