import { describe, expect, it } from 'vitest';
import { TickerState } from '../../../../core/venues/bybit/ticker-state.ts';
import type { TickerMessage } from '../../../../core/venues/bybit/wire.ts';

const msg = (type: 'snapshot' | 'delta', data: TickerMessage['data']): TickerMessage => ({
  topic: `tickers.${data.symbol}`,
  type,
  ts: 1,
  data,
});

describe('TickerState', () => {
  it('lays deltas over the last snapshot; a new snapshot starts over; "" clears a field', () => {
    const s = new TickerState();
    s.apply(msg('snapshot', { symbol: 'X', markPrice: '1', indexPrice: '2', fundingRate: '0.0001' }));
    expect({ ...s.apply(msg('delta', { symbol: 'X', markPrice: '3' })) }).toEqual({
      symbol: 'X',
      markPrice: '3',
      indexPrice: '2',
      fundingRate: '0.0001',
    });
    expect(s.apply(msg('delta', { symbol: 'X', fundingRate: '' })).fundingRate).toBeUndefined();
    expect({ ...s.apply(msg('snapshot', { symbol: 'X', lastPrice: '9' })) }).toEqual({
      symbol: 'X',
      lastPrice: '9',
    });
    expect({ ...s.apply(msg('delta', { symbol: 'Y', lastPrice: '1' })) }).toEqual({
      symbol: 'Y',
      lastPrice: '1',
    });
  });
});
