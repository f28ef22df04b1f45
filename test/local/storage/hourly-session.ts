/**
 * What the hourly-file tests record: trades of a few symbols through a Recorder, row i with trade id
 * i, price 5 000 000 + i units and size 1 + i units, received `step` µs after the previous batch's
 * first row (so a session spans hours when `step` is large). Shared by the tests and the child
 * process they kill (hourly-sink-child.ts).
 */
import type { TradeEvent } from '../../../core/market/events.ts';
import { type Instrument, makeInstrument } from '../../../core/market/instrument.ts';
import type { Recorder } from '../../../fargate/recorder/recorder.ts';

export const T0 = 1723161253937085; // 2024-08-08T23:54:13Z
export const HOUR = 3_600_000_000;

export function instruments(count: number): Instrument[] {
  return Array.from({ length: count }, (_, s) =>
    makeInstrument({
      exchange: 'binance',
      venueSymbol: `C${s}USDT`,
      symbol: `C${s}/USDT`,
      base: `C${s}`,
      quote: 'USDT',
      kind: 'spot',
      priceScale: 2,
      sizeScale: 8,
    }),
  );
}

/** Record batch `b` of `rows` trades (ids b·rows … b·rows + rows - 1). */
export function recordBatch(
  recorder: Recorder,
  symbols: readonly Instrument[],
  b: number,
  rows: number,
  step: number,
): void {
  for (let k = 0; k < rows; k++) {
    const i = b * rows + k;
    const instrument = symbols[i % symbols.length]!;
    const ts = T0 + b * step + k;
    const trade: TradeEvent = {
      type: 'trade',
      exchange: 'binance',
      symbol: instrument.symbol,
      exchangeTs: ts,
      localTs: ts,
      tradeId: String(i),
      price: 5_000_000 + i,
      size: 1 + i,
      side: 'buy',
    };
    recorder.recordTrade(trade, instrument);
  }
}
