import { describe, expect, it } from 'vitest';
import { roundTrips } from '../../../../core/backtest/engine/round-trips.ts';
import { PERP } from '../../sim/support/hand-tape.ts';

describe('roundTrips (FIFO)', () => {
  it('closes the oldest lots first, fees pro rata', () => {
    const fill = (isBuy: boolean, price: number, size: number, fee: number, ts: number) => ({
      inst: 0,
      isBuy,
      price,
      size,
      fee,
      ts,
    });
    const trips = roundTrips(
      [
        fill(true, 1000, 2, 0.2, 1), // buy 0.002 @ 100.0, fee 0.2
        fill(true, 1010, 1, 0.1, 2), // buy 0.001 @ 101.0
        fill(false, 1030, 3, 0.3, 3), // sell 0.003 @ 103.0
        fill(false, 1020, 1, 0, 4), // opens a short
      ],
      [PERP],
    );
    expect(trips).toHaveLength(2);
    expect(trips[0]).toMatchObject({
      side: 'buy',
      entryTs: 1,
      exitTs: 3,
      size: 0.002,
      entryPrice: 100,
      exitPrice: 103,
    });
    expect(trips[0]!.pnl).toBeCloseTo(3 * 0.002 - 0.2 - 0.2, 12);
    expect(trips[1]).toMatchObject({ entryTs: 2, size: 0.001, entryPrice: 101 });
    expect(trips[1]!.pnl).toBeCloseTo(2 * 0.001 - 0.1 - 0.1, 12);
  });
});
