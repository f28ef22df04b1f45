import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { ExecutionQuality } from '../../../core/signals/execute/execution-quality.ts';
import { liquiditySize } from '../../../core/signals/execute/liquidity-size.ts';
import { Slicer } from '../../../core/signals/execute/slicer.ts';
import { VenueRouter } from '../../../core/signals/execute/venue-router.ts';
import { FundingState } from '../../../core/signals/monitors/funding-monitor.ts';
import type { SignalEvent } from '../../../core/signals/signal-event.ts';
import { defaultSignalParams, signalParamsSchema } from '../../../core/signals/signal-params.ts';
import { SignalPipeline } from '../../../core/signals/signal-pipeline.ts';
import { parseFeeTable } from '../../../core/sim/fees/fee-table.ts';

const spot = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 5,
});
const bybit = makeInstrument({
  exchange: 'bybit',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 2,
  sizeScale: 3,
});

/** One level a side: bid/ask in quote currency, size in base. */
function book(inst: typeof spot, bid: number, ask: number, size: number, levels = 1): L2Book {
  const b = new L2Book();
  const p = 10 ** inst.priceScale;
  const s = 10 ** inst.sizeScale;
  for (let i = 0; i < levels; i++) {
    b.set(true, Math.round((bid - i) * p), Math.round(size * s));
    b.set(false, Math.round((ask + i) * p), Math.round(size * s));
  }
  return b;
}

const fees = parseFeeTable({
  venues: {
    binance: { defaultTier: 't', tiers: { t: { maker: 0, taker: 0.001 } } },
    bybit: { defaultTier: 't', tiers: { t: { maker: 0, taker: 0.0001 } } },
  },
});

describe('VenueRouter', () => {
  it('picks the best price after taker fees, not the best raw price', () => {
    const r = new VenueRouter(20);
    const cands = [
      {
        instrument: spot,
        book: book(spot, 99.9, 100.0, 5) as L2Book | undefined,
        takerFee: 0.001,
        usable: true,
      },
      {
        instrument: bybit,
        book: book(bybit, 99.9, 100.05, 5) as L2Book | undefined,
        takerFee: 0.0001,
        usable: true,
      },
    ];
    // raw: binance 100.00 < bybit 100.05; effective: 100.1 vs 100.060005
    expect(r.route(cands, true, 1)).toBe(1);
    expect(r.effectivePrice).toBeCloseTo(100.05 * 1.0001, 9);
    cands[1]!.usable = false;
    expect(r.route(cands, true, 1)).toBe(0);
    // a book that cannot fill the size is skipped
    expect(r.route(cands, true, 6)).toBe(-1);
  });
});

describe('liquiditySize', () => {
  it('takes a share of the depth in whole lots, nothing under one lot', () => {
    expect(liquiditySize(1234, 0.1, 10)).toBe(120);
    expect(liquiditySize(50, 0.1, 10)).toBe(0);
    expect(liquiditySize(1234, 0.1, 10, 200)).toBe(0);
  });
});

describe('Slicer', () => {
  it('TWAP: ⌊horizon/interval⌋ equal slices plus the remainder, summing to the total, on schedule', () => {
    const s = new Slicer(
      { mode: 'twap', total: 1003, isBuy: true, lotSize: 1, minSize: 0, intervalUs: 1000, horizonUs: 10_000 },
      0,
    );
    const sent: Array<[number, number]> = [];
    for (let t = 0; t <= 20_000 && !s.done; t += 250) {
      const size = s.next(t, undefined);
      if (size > 0) sent.push([t, size]);
    }
    expect(sent.map(([, z]) => z)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 3]);
    expect(sent.map(([t]) => t)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
  });

  it('TWAP: a slice under one lot sends everything at once; a refused child returns to the parent', () => {
    const s = new Slicer(
      { mode: 'twap', total: 5, isBuy: false, lotSize: 1, minSize: 0, intervalUs: 1000, horizonUs: 10_000 },
      0,
    );
    expect(s.next(0, undefined)).toBe(5);
    expect(s.done).toBe(true);
    s.refused(5);
    expect(s.remaining).toBe(5);
    expect(s.next(500, undefined)).toBe(0); // not before the next interval
    expect(s.next(1000, undefined)).toBe(5);
  });

  it('VWAP: each interval takes a share of the book near mid', () => {
    const b = new L2Book();
    b.set(true, 10_000, 1000);
    b.set(false, 10_001, 1000);
    b.set(false, 10_002, 3000);
    b.set(false, 10_500, 1_000_000); // beyond 10 bps: not counted
    const s = new Slicer(
      {
        mode: 'vwap',
        total: 1000,
        isBuy: true,
        lotSize: 10,
        minSize: 0,
        intervalUs: 1000,
        participation: 0.1,
        spreadBps: 10,
      },
      0,
    );
    expect(s.next(0, b)).toBe(400); // 10% of 4000, in lots of 10
    expect(s.next(1000, b)).toBe(400);
    expect(s.next(2000, b)).toBe(200); // capped at what is left
    expect(s.done).toBe(true);
  });
});

describe('ExecutionQuality', () => {
  it('slippage against the arrival mid and fill ratio, by venue', () => {
    const q = new ExecutionQuality();
    q.requested('binance', 10);
    q.filled('binance', true, 10_010, 4, 10_000); // 10 bps worse
    q.filled('binance', true, 10_000, 4, 10_000); // at mid
    const [b] = q.summary();
    expect(b).toEqual({ exchange: 'binance', requested: 10, filled: 8, fillRatio: 0.8, slippageBps: 5 });
  });
});

describe('arbitrage monitor (through the pipeline)', () => {
  it('counts an opportunity once while it lasts, with edge after fees and allowance and the size at that edge', () => {
    const params = signalParamsSchema.parse({ arbitrage: { latencyAllowanceBps: 1 } });
    const events: SignalEvent[] = [];
    const p = new SignalPipeline(params, { fees, sink: (e) => events.push({ ...e }) });
    p.onBook(spot, book(spot, 99.0, 100.0, 2, 3), 1_000, 0);
    // bybit bids 100.5 (2 BTC), 99.5, 98.5: buy binance at 100.0 (+10 bps fee), sell bybit at 100.5 (−1 bp)
    const by = book(bybit, 100.5, 101.0, 2, 3);
    p.onBook(bybit, by, 2_000, 0);
    const arb = events.filter((e) => e.type === 'arbitrage');
    expect(arb).toHaveLength(1);
    const edge = ((100.5 * (1 - 0.0001) - 100.0 * 1.001) / 100.0) * 10_000 - 1;
    expect(arb[0]!.value).toBeCloseTo(edge, 9);
    // only the top level pair clears the fees: 100.0 vs 100.5 (2 BTC each); next bid 99.5 < 100.0
    expect(arb[0]!.detail).toBeCloseTo(2, 12);
    p.onBook(bybit, by, 3_000, 0); // same opportunity: not counted again
    expect(p.arbitrage.count).toBe(1);
    p.onBook(bybit, book(bybit, 100.0, 101.0, 2, 3), 4_000, 0); // gone
    p.onBook(bybit, by, 5_000, 0); // back: a new one
    expect(p.arbitrage.count).toBe(2);
    expect(p.arbitrage.recent().map((o) => [o.buyExchange, o.sellExchange])).toEqual([
      ['binance', 'bybit'],
      ['binance', 'bybit'],
    ]);
  });

  it('a stale book on one side is not compared', () => {
    const p = new SignalPipeline(defaultSignalParams(), { fees });
    p.onBook(spot, book(spot, 99.0, 100.0, 2), 0, 0);
    p.onBook(bybit, book(bybit, 101.0, 101.5, 2), 10_000_000, 0); // binance's book is 10 s old
    expect(p.arbitrage.count).toBe(0);
  });
});

describe('funding', () => {
  it('predicted rate, current rate after a settlement, holding cost and daily rate', () => {
    const f = new FundingState('bybit', 'BTC/USDT:USDT');
    const h8 = 8 * 3600e6;
    expect(f.onTicker(0.0001, h8, 60_000, 1, 0.001)).toBe(false);
    expect(f.currentRate).toBeNaN();
    expect(f.onTicker(0.0012, h8, 60_000, 2, 0.001)).toBe(true); // crosses the alert rate
    expect(f.onTicker(0.0013, h8, 60_000, 3, 0.001)).toBe(false); // still high: no new signal
    f.onTicker(0.0005, 2 * h8, 60_000, h8 + 1, 0.001); // the settlement passed
    expect(f.currentRate).toBe(0.0013);
    expect(f.predictedRate).toBe(0.0005);
    expect(f.holdingCost(10_000)).toBeCloseTo(5, 12);
    expect(f.dailyRate()).toBeCloseTo(0.0015, 12);
  });

  it('the pipeline reads derivative tickers of perpetuals on Binance USD-M and Bybit', () => {
    const events: SignalEvent[] = [];
    const p = new SignalPipeline(defaultSignalParams(), { sink: (e) => events.push({ ...e }) });
    p.onBook(bybit, book(bybit, 100, 101, 1), 0, 0);
    p.onEvent({
      type: 'derivative_ticker',
      exchange: 'bybit',
      symbol: 'BTC/USDT:USDT',
      exchangeTs: 0,
      localTs: 5,
      markPrice: 1005,
      indexPrice: null,
      lastPrice: null,
      fundingRate: 0.003,
      nextFundingTs: 8 * 3600e6,
      openInterest: null,
    });
    const f = events.find((e) => e.type === 'funding')!;
    expect(f.value).toBe(0.003);
    expect(f.detail).toBeCloseTo(30, 9); // 10 000 notional × 0.3 %
    expect(p.find('bybit', 'BTC/USDT:USDT')!.funding!.markPrice).toBeCloseTo(10.05, 12);
  });
});
