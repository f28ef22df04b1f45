/**
 * A time window of a tape, as if it had been built with `from`/`to` (core/backtest/tape
 * capture-tape.ts): rows with receive time in [start, end), opened by a snapshot of every book as it
 * stands at `start` (Clear + Snapshot rows, the last with EOM) and by each perpetual's last funding
 * ticker. Walk-forward uses it to cut in-sample / out-of-sample windows out of a tape built once,
 * instead of replaying the captures through the venue feeds again for every window.
 *
 * The opening rows are stamped at `start` (receive time) and at the exchange time of the
 * instrument's last book row before it (book rows stay non-decreasing in exchange time, as
 * clock-skew.ts guarantees for the whole tape). A book that was stale at `start` (cleared and not
 * re-snapshotted) opens empty, as it would live. Order-level (L3) state before `start` is not
 * carried over: the L3 FIFO model starts the window without the orders resting before it.
 *
 * The opening state is kept in two Maps per instrument (price → size), sorted once at the window
 * start: the replay before the window only needs the set of levels, not an ordered book.
 */

import { EventFlag, EventKind } from '../../core/backtest/tape/event-kind.ts';
import type { Tape } from '../../core/backtest/tape/tape.ts';
import { TapeWriter } from '../../core/backtest/tape/tape-writer.ts';
import type { Micros } from '../../core/market/events.ts';

export function windowTape(tape: Tape, start: Micros, end: Micros): Tape {
  const nInst = tape.instruments.length;
  const bids = Array.from({ length: nInst }, () => new Map<number, number>());
  const asks = Array.from({ length: nInst }, () => new Map<number, number>());
  const bookSeen = new Uint8Array(nInst);
  const lastBookExchTs = new Float64Array(nInst).fill(Number.NaN);
  const lastFunding = new Int32Array(nInst).fill(-1);
  const { kind, flags, inst, exchTs, localTs, price, size } = tape;
  let r = 0;
  // Everything before the window only builds the opening state.
  for (; r < tape.length && localTs[r]! < start; r++) {
    const k = kind[r]!;
    const i = inst[r]!;
    if (k === EventKind.Clear) {
      bids[i]!.clear();
      asks[i]!.clear();
      bookSeen[i] = 1;
      lastBookExchTs[i] = exchTs[r]!;
    } else if (k === EventKind.Depth || k === EventKind.Snapshot) {
      const side = (flags[r]! & EventFlag.Bid) !== 0 ? bids[i]! : asks[i]!;
      if (size[r]! > 0) side.set(price[r]!, size[r]!);
      else side.delete(price[r]!);
      bookSeen[i] = 1;
      lastBookExchTs[i] = exchTs[r]!;
    } else if (k === EventKind.Funding) lastFunding[i] = r;
  }
  const first = r;
  let last = first;
  while (last < tape.length && localTs[last]! < end) last++;
  const out = new TapeWriter(last - first + 1024);
  if (first > 0 && first < last) {
    for (let i = 0; i < nInst; i++) {
      if (!bookSeen[i] || bids[i]!.size + asks[i]!.size === 0) continue;
      const known = lastBookExchTs[i]!;
      const x = Number.isNaN(known) ? start : Math.min(known, start);
      out.push(EventKind.Clear, 0, i, x, start, 0, 0);
      // Best first on each side, as a venue snapshot lists them.
      for (const p of [...bids[i]!.keys()].sort((a, b) => b - a))
        out.push(EventKind.Snapshot, EventFlag.Bid, i, x, start, p, bids[i]!.get(p)!);
      for (const p of [...asks[i]!.keys()].sort((a, b) => a - b))
        out.push(EventKind.Snapshot, 0, i, x, start, p, asks[i]!.get(p)!);
      out.flagLast(EventFlag.Eom);
    }
    for (let i = 0; i < nInst; i++) {
      const f = lastFunding[i]!;
      if (f < 0) continue;
      out.push(
        EventKind.Funding,
        EventFlag.Eom,
        i,
        Number.isNaN(exchTs[f]!) ? start : Math.min(exchTs[f]!, start),
        start,
        price[f]!,
        size[f]!,
        tape.aux[f]!,
      );
    }
  }
  for (let k = first; k < last; k++) out.copyRow(tape, k, inst[k]!);
  return out.finish(tape.instruments, tape.sources);
}
