import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../../core/book/l2-book.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { wallClock } from '../../../../local/exchanges/clock.ts';
import { ReplaySource } from '../../../../local/exchanges/sources/replay-source.ts';
import type { Timeline } from '../../../../local/exchanges/sources/timeline.ts';
import { type MarketListener, VenueMarket } from '../../../../local/exchanges/truth/venue-market.ts';
import { until } from '../harness.ts';

const instrument = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 3,
});

function timeline(gapUs: number): Timeline {
  const first = new L2Book();
  first.bids.set(100, 5);
  first.asks.set(101, 5);
  return {
    exchange: 'binance',
    sources: [],
    instruments: new Map([['BTCUSDT', instrument]]),
    initial: new Map([['BTCUSDT', first]]),
    steps: [
      { at: 0, venueSymbol: 'BTCUSDT', delta: { bids: [[99, 2]], asks: [] } },
      { at: gapUs, venueSymbol: 'BTCUSDT', delta: { bids: [[100, 0]], asks: [[102, 7]] } },
      { at: gapUs, venueSymbol: 'BTCUSDT', trade: { price: 101, size: 1, side: 'buy' } },
    ],
    duration: gapUs,
  };
}

describe('ReplaySource', () => {
  it('loop boundary: one delta back to the first book, update ids keep increasing', () => {
    const market = new VenueMarket('binance', wallClock);
    const seen: Array<[number, number]> = [];
    const listener: MarketListener = {
      onBook: (t, d) => seen.push([t.sequence - d.bids.length - d.asks.length + 1, t.sequence]),
      onTrade: () => {},
    };
    market.listen(listener);
    const src = new ReplaySource(market, timeline(1000), { clock: wallClock, speed: 'max' });
    const truth = market.get('BTCUSDT')!;
    expect(truth.book.snapshot()).toEqual({ bids: [[100, 5]], asks: [[101, 5]] });
    src.drain();
    expect(truth.book.snapshot()).toEqual({
      bids: [[99, 2]],
      asks: [
        [101, 5],
        [102, 7],
      ],
    });
    src.restart();
    expect(truth.book.snapshot()).toEqual({ bids: [[100, 5]], asks: [[101, 5]] });
    src.drain();
    // Every delta starts right after the previous one ended: Binance's U = previous u + 1.
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBe(seen[i - 1]![1] + 1);
    expect(seen).toHaveLength(5);
    expect(market.trades).toBe(2);
    expect(truth.tradeId).toBeGreaterThan(0);
  });

  it('plays at the recorded pace scaled by speed, and pause holds it', async () => {
    const market = new VenueMarket('binance', wallClock);
    const src = new ReplaySource(market, timeline(400_000), { clock: wallClock, speed: 2, loop: false });
    src.start();
    await until(() => src.applied >= 1, 1000);
    await new Promise((r) => setTimeout(r, 80));
    expect(src.applied).toBe(1); // the next step is due 200 ms (400 ms / 2) after the start
    await until(() => src.applied === 3, 2000);
    expect(src.running).toBe(false);
    src.stop();
  });

  it('refuses two sources for one symbol', () => {
    const market = new VenueMarket('binance', wallClock);
    new ReplaySource(market, timeline(1), { clock: wallClock });
    expect(() => new ReplaySource(market, timeline(1), { clock: wallClock })).toThrow(/already played/);
  });
});
