/**
 * Round trips by FIFO matching of fills per instrument: each fill first closes the oldest open lots
 * of the opposite side; every closed piece is one round trip (entry lot → exit fill), with the
 * entry and exit fees pro rata. Sizes are matched in integer units, so nothing is left over by
 * rounding.
 */
import type { Micros, Side } from '../../market/events.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { RoundTrip } from '../result.ts';

export interface RawFill {
  readonly inst: number;
  readonly isBuy: boolean;
  readonly price: number;
  readonly size: number;
  readonly fee: number;
  readonly ts: Micros;
}

interface Lot {
  readonly isBuy: boolean;
  readonly price: number;
  size: number;
  /** Fee per size unit still attached to the lot. */
  readonly feePerUnit: number;
  readonly ts: Micros;
}

export function roundTrips(fills: readonly RawFill[], instruments: readonly Instrument[]): RoundTrip[] {
  const out: RoundTrip[] = [];
  const open: Lot[][] = instruments.map(() => []);
  for (const f of fills) {
    const inst = instruments[f.inst]!;
    const pDiv = 10 ** inst.priceScale;
    const sDiv = 10 ** inst.sizeScale;
    const lots = open[f.inst]!;
    let left = f.size;
    const exitFeePerUnit = f.size > 0 ? f.fee / f.size : 0;
    while (left > 0 && lots.length > 0 && lots[0]!.isBuy !== f.isBuy) {
      const lot = lots[0]!;
      const matched = Math.min(left, lot.size);
      const entryPrice = lot.price / pDiv;
      const exitPrice = f.price / pDiv;
      const size = matched / sDiv;
      const gross = (lot.isBuy ? exitPrice - entryPrice : entryPrice - exitPrice) * size;
      const fees = (lot.feePerUnit + exitFeePerUnit) * matched;
      const side: Side = lot.isBuy ? 'buy' : 'sell';
      out.push({
        symbol: inst.symbol,
        side,
        entryTs: lot.ts,
        exitTs: f.ts,
        size,
        entryPrice,
        exitPrice,
        pnl: gross - fees,
      });
      lot.size -= matched;
      left -= matched;
      if (lot.size <= 0) lots.shift();
    }
    if (left > 0)
      lots.push({ isBuy: f.isBuy, price: f.price, size: left, feePerUnit: exitFeePerUnit, ts: f.ts });
  }
  return out;
}
