/**
 * Reduce a tape to the best `levels` price levels per side (the fast approximate mode's input):
 * after every book message the reduced book equals the top `levels` of the full book exactly; only
 * the rows needed to keep it so are written (a level entering the window from deeper is written with
 * its current size, a level leaving it is removed). Trades, funding and L3 rows are copied.
 *
 * On Binance USD-M BTCUSDT (depth@0ms, ~5000 levels a side) most level changes are deep in the book,
 * so top-20 keeps a small fraction of the rows; see core/backtest/engine/fast-mode.ts for the error
 * this costs.
 */

import type { BookSide } from '../../book/book-side.ts';
import { L2Book } from '../../book/l2-book.ts';
import { EventFlag, EventKind } from './event-kind.ts';
import type { Tape } from './tape.ts';
import { TapeWriter } from './tape-writer.ts';

export function topLevelsTape(tape: Tape, levels: number): Tape {
  const nInst = tape.instruments.length;
  const full = Array.from({ length: nInst }, () => new L2Book());
  const shown = Array.from({ length: nInst }, () => new L2Book());
  const out = new TapeWriter(Math.max(1024, tape.length >> 2));
  const drop: number[] = [];
  const { kind, flags, inst, exchTs, localTs, price, size } = tape;
  let r = 0;
  while (r < tape.length) {
    const k = kind[r]!;
    if (k !== EventKind.Depth && k !== EventKind.Snapshot && k !== EventKind.Clear) {
      out.copyRow(tape, r, inst[r]!);
      r++;
      continue;
    }
    // One book message: rows up to and including EOM (all of one instrument).
    const i = inst[r]!;
    const x = exchTs[r]!;
    const t = localTs[r]!;
    let cleared = false;
    for (;;) {
      const kr = kind[r]!;
      if (kr === EventKind.Clear) {
        full[i]!.clear();
        cleared = true;
      } else full[i]!.set((flags[r]! & EventFlag.Bid) !== 0, price[r]!, size[r]!);
      const eom = (flags[r]! & EventFlag.Eom) !== 0;
      r++;
      if (eom || r >= tape.length) break;
    }
    const before = out.length;
    const s = shown[i]!;
    if (cleared) {
      s.clear();
      out.push(EventKind.Clear, 0, i, x, t, 0, 0);
    }
    const rowKind = cleared ? EventKind.Snapshot : EventKind.Depth;
    syncSide(full[i]!.bids, s.bids, levels, drop, (p, q) => out.push(rowKind, EventFlag.Bid, i, x, t, p, q));
    syncSide(full[i]!.asks, s.asks, levels, drop, (p, q) => out.push(rowKind, 0, i, x, t, p, q));
    if (out.length > before) out.flagLast(EventFlag.Eom);
  }
  return out.finish(tape.instruments, tape.sources);
}

/** Make `shown` equal the best `levels` of `full`, reporting each level written. */
function syncSide(
  full: BookSide,
  shown: BookSide,
  levels: number,
  drop: number[],
  emit: (price: number, size: number) => void,
): void {
  const n = Math.min(levels, full.count);
  for (let j = 0; j < n; j++) {
    const p = full.priceAt(j);
    const q = full.sizeAt(j);
    if (shown.sizeAtPrice(p) !== q) {
      shown.set(p, q);
      emit(p, q);
    }
  }
  // Anything else shown is outside the window now (removed, or pushed deeper).
  drop.length = 0;
  if (shown.count > n) {
    const worst = n > 0 ? full.priceAt(n - 1) : Number.NaN;
    const isBid = full.isBid;
    for (let j = 0; j < shown.count; j++) {
      const p = shown.priceAt(j);
      const inWindow = n > 0 && (isBid ? p >= worst : p <= worst) && full.sizeAtPrice(p) > 0;
      if (!inWindow) drop.push(p);
    }
  }
  for (let j = 0; j < drop.length; j++) {
    shown.set(drop[j]!, 0);
    emit(drop[j]!, 0);
  }
}
