/**
 * Small hand-made tapes for unit tests: one instrument (a USD-M-like perpetual: price units of
 * 0.1, size units of 0.001, tick 1, lot 1) unless others are given. Each message is a list of rows
 * sharing a receive time; exchange time = receive time − latency (default 1 µs).
 */
import { EventFlag, EventKind } from '../../../../core/backtest/tape/event-kind.ts';
import type { Tape } from '../../../../core/backtest/tape/tape.ts';
import { TapeWriter } from '../../../../core/backtest/tape/tape-writer.ts';
import { type Instrument, makeInstrument } from '../../../../core/market/instrument.ts';

export const PERP: Instrument = makeInstrument({
  exchange: 'binance-futures',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 1,
  sizeScale: 3,
});

export type HandRow =
  | { kind: 'bid' | 'ask'; price: number; size: number }
  | { kind: 'snapshot-bid' | 'snapshot-ask'; price: number; size: number }
  | { kind: 'clear' }
  | { kind: 'trade'; price: number; size: number; aggressor: 'buy' | 'sell' | 'unknown' }
  | { kind: 'funding'; rate: number; nextTs: number; mark: number }
  | {
      kind: 'l3add' | 'l3cancel' | 'l3modify' | 'l3fill';
      id: number;
      bid: boolean;
      price: number;
      size: number;
    };

export interface HandMessage {
  readonly t: number;
  readonly rows: readonly HandRow[];
  /** Feed latency µs (exchange time = t − lat). Default 1. */
  readonly lat?: number;
  readonly inst?: number;
}

export function handTape(
  messages: readonly HandMessage[],
  instruments: readonly Instrument[] = [PERP],
): Tape {
  const w = new TapeWriter(64);
  for (const m of messages) {
    const x = m.t - (m.lat ?? 1);
    const i = m.inst ?? 0;
    for (const r of m.rows) {
      switch (r.kind) {
        case 'bid':
          w.push(EventKind.Depth, EventFlag.Bid, i, x, m.t, r.price, r.size);
          break;
        case 'ask':
          w.push(EventKind.Depth, 0, i, x, m.t, r.price, r.size);
          break;
        case 'snapshot-bid':
          w.push(EventKind.Snapshot, EventFlag.Bid, i, x, m.t, r.price, r.size);
          break;
        case 'snapshot-ask':
          w.push(EventKind.Snapshot, 0, i, x, m.t, r.price, r.size);
          break;
        case 'clear':
          w.push(EventKind.Clear, 0, i, x, m.t, 0, 0);
          break;
        case 'trade': {
          const f = r.aggressor === 'buy' ? EventFlag.Buy : r.aggressor === 'sell' ? EventFlag.Sell : 0;
          w.push(EventKind.Trade, f, i, x, m.t, r.price, r.size);
          break;
        }
        case 'funding':
          w.push(EventKind.Funding, 0, i, x, m.t, r.mark, r.rate, r.nextTs);
          break;
        default: {
          const kind = {
            l3add: EventKind.L3Add,
            l3cancel: EventKind.L3Cancel,
            l3modify: EventKind.L3Modify,
            l3fill: EventKind.L3Fill,
          }[r.kind];
          w.push(kind, r.bid ? EventFlag.Bid : 0, i, x, m.t, r.price, r.size, r.id);
        }
      }
    }
    w.flagLast(EventFlag.Eom);
  }
  return w.finish(instruments, [
    {
      name: 'hand',
      exchange: instruments[0]!.exchange,
      rows: w.length,
      clockOffsetUs: 0,
      medianFeedLatencyUs: 1,
    },
  ]);
}

/** Shorthand rows. */
export const bid = (price: number, size: number): HandRow => ({ kind: 'bid', price, size });
export const ask = (price: number, size: number): HandRow => ({ kind: 'ask', price, size });
export const sellTrade = (price: number, size: number): HandRow => ({
  kind: 'trade',
  price,
  size,
  aggressor: 'sell',
});
export const buyTrade = (price: number, size: number): HandRow => ({
  kind: 'trade',
  price,
  size,
  aggressor: 'buy',
});
