/**
 * What the recording itself says about a passive order, without any queue model. For a probe
 * resting at price P from its arrival at the exchange to its cancel's arrival (both at exchange
 * time, with the run's latency model), replaying the tape in exchange order:
 *
 *   certain   an opposite-aggressor trade printed THROUGH P (a sell below a bid), or the opposite
 *             best price reached P: the whole level, us included, was consumed;
 *   likely    opposite-aggressor volume AT P since arrival exceeded the size shown at P on arrival
 *             (the queue ahead of us): even if nobody ahead canceled, some of it reached us;
 *   possible  volume at P, but less than the queue ahead: filled only if enough of those ahead
 *             canceled — what the queue models disagree about;
 *   none      no trade at or through P and no cross: no model may fill it;
 *   rejected  it would have crossed on arrival (post-only).
 * Truth "filled" = certain or likely. Trades with unknown aggressor count for both sides.
 */

import { booksForTape } from '../../sim/book/books-for-tape.ts';
import { EventFlag, EventKind } from '../tape/event-kind.ts';
import type { Tape } from '../tape/tape.ts';

export type TruthClass = 'certain' | 'likely' | 'possible' | 'none' | 'rejected';

export interface ProbeWindow {
  readonly isBuy: boolean;
  readonly price: number;
  /** Exchange-time arrival of the order and of its cancel. */
  readonly arriveTs: number;
  readonly cancelTs: number;
}

export interface Truth {
  readonly cls: TruthClass;
  /** Exchange time it became certain or likely (NaN otherwise). */
  readonly filledTs: number;
  readonly queueAhead: number;
  readonly volumeAtPrice: number;
}

interface Active {
  readonly k: number;
  readonly w: ProbeWindow;
  ahead: number;
  volume: number;
  certainTs: number;
  likelyTs: number;
}

export function tradeImpliedTruth(tape: Tape, instrument: number, windows: readonly ProbeWindow[]): Truth[] {
  const out: Truth[] = windows.map(() => ({
    cls: 'none',
    filledTs: Number.NaN,
    queueAhead: 0,
    volumeAtPrice: 0,
  }));
  const order = windows.map((_, k) => k).sort((a, b) => windows[a]!.arriveTs - windows[b]!.arriveTs);
  const book = booksForTape(tape)[instrument]!;
  const { kind, flags, inst, price, size, exchTs, exchOrder } = tape;
  let next = 0;
  let active: Active[] = [];
  const close = (a: Active) => {
    const certain = !Number.isNaN(a.certainTs);
    const likely = !Number.isNaN(a.likelyTs);
    const ts = certain && likely ? Math.min(a.certainTs, a.likelyTs) : certain ? a.certainTs : a.likelyTs;
    out[a.k] = {
      cls: certain ? 'certain' : likely ? 'likely' : a.volume > 0 ? 'possible' : 'none',
      filledTs: ts,
      queueAhead: a.ahead,
      volumeAtPrice: a.volume,
    };
  };
  const advanceTo = (t: number) => {
    // Orders arriving before this row see the book as it stands (rows at the same µs come first).
    while (next < order.length && windows[order[next]!]!.arriveTs < t) {
      const k = order[next++]!;
      const w = windows[k]!;
      const crosses = w.isBuy ? w.price >= book.bestAsk() : w.price <= book.bestBid();
      if (crosses) {
        out[k] = { cls: 'rejected', filledTs: Number.NaN, queueAhead: 0, volumeAtPrice: 0 };
        continue;
      }
      const ahead = (w.isBuy ? book.bids : book.asks).sizeAtPrice(w.price);
      active.push({ k, w, ahead, volume: 0, certainTs: Number.NaN, likelyTs: Number.NaN });
    }
    if (active.some((a) => a.w.cancelTs < t)) {
      active = active.filter((a) => {
        if (a.w.cancelTs >= t) return true;
        close(a);
        return false;
      });
    }
  };
  for (let p = 0; p < tape.length; p++) {
    const r = exchOrder[p]!;
    if (inst[r] !== instrument) continue;
    const t = exchTs[r]!;
    advanceTo(t);
    const k = kind[r]!;
    const f = flags[r]!;
    if (k === EventKind.Trade) {
      const sellAgg = (f & EventFlag.Sell) !== 0 || (f & EventFlag.Buy) === 0;
      const buyAgg = (f & EventFlag.Buy) !== 0 || (f & EventFlag.Sell) === 0;
      const px = price[r]!;
      for (const a of active) {
        if (a.w.isBuy ? !sellAgg : !buyAgg) continue;
        if (a.w.isBuy ? px < a.w.price : px > a.w.price) {
          if (Number.isNaN(a.certainTs)) a.certainTs = t;
        } else if (px === a.w.price) {
          a.volume += size[r]!;
          if (a.volume > a.ahead && Number.isNaN(a.likelyTs)) a.likelyTs = t;
        }
      }
      continue;
    }
    if (k === EventKind.Clear) book.clear();
    else if (k === EventKind.Depth || k === EventKind.Snapshot)
      book.set((f & EventFlag.Bid) !== 0, price[r]!, size[r]!);
    if ((f & EventFlag.Eom) !== 0 && active.length > 0) {
      const bid = book.bestBid();
      const ask = book.bestAsk();
      for (const a of active) {
        if (!Number.isNaN(a.certainTs)) continue;
        if (a.w.isBuy ? ask <= a.w.price : bid >= a.w.price) a.certainTs = t;
      }
    }
  }
  advanceTo(Number.POSITIVE_INFINITY);
  for (const a of active) close(a);
  return out;
}
