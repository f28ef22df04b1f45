/**
 * The dashboard's signals panel in headless Chromium, on a real ops server with `GET /signals`
 * served by the live wiring (fargate/signals/live-signals.ts) over a pipeline that saw two venues'
 * books (an arbitrage opportunity) and a Bybit funding ticker; and the Prometheus metrics it adds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { defaultSignalParams } from '../../../core/signals/signal-params.ts';
import { zeroFees } from '../../../core/sim/fees/fee-table.ts';
import { LiveMarketState } from '../../../fargate/ops/live-market-state.ts';
import { type OpsServer, type Routes, startOpsServer } from '../../../fargate/ops/ops-server.ts';
import { LiveSignals } from '../../../fargate/signals/live-signals.ts';
import { dashboardRoutes } from '../../../local/dashboard/dashboard-routes.ts';
import { suiteBrowser } from '../../support/headless-chromium.ts';

const page: Routes = dashboardRoutes();

const inst = (exchange: 'binance' | 'bybit', symbol: string, kind: 'spot' | 'perp') =>
  makeInstrument({
    exchange,
    venueSymbol: 'BTCUSDT',
    symbol,
    base: 'BTC',
    quote: 'USDT',
    kind,
    priceScale: 2,
    sizeScale: 3,
  });

function book(bid: number, ask: number): L2Book {
  const b = new L2Book();
  b.set(true, bid, 2000);
  b.set(false, ask, 2000);
  return b;
}

describe('dashboard signals panel', () => {
  const browser = suiteBrowser();
  let server: OpsServer;
  let plain: OpsServer;

  beforeAll(async () => {
    const signals = new LiveSignals(defaultSignalParams(), zeroFees());
    const spot = inst('binance', 'BTC/USDT', 'spot');
    const perp = inst('bybit', 'BTC/USDT:USDT', 'perp');
    signals.pipeline.onBook(spot, book(6_000_000, 6_000_100), 1_000_000, 0);
    signals.pipeline.onBook(perp, book(6_010_000, 6_010_100), 1_000_500, 0); // bybit bids 100 USDT above binance's ask
    signals.listenerFor('bybit').onEvent!({
      type: 'derivative_ticker',
      exchange: 'bybit',
      symbol: 'BTC/USDT:USDT',
      exchangeTs: 0,
      localTs: 1_001_000,
      markPrice: 6_010_050,
      indexPrice: null,
      lastPrice: null,
      fundingRate: 0.0025,
      nextFundingTs: Date.UTC(2026, 0, 1, 8) * 1000,
      openInterest: null,
    });
    server = await startOpsServer({
      state: new LiveMarketState({ now: () => 0 }),
      port: 0,
      routes: { ...page, '/signals': signals.route() },
    });
    signals.registerMetrics(server.registry);
    plain = await startOpsServer({ state: new LiveMarketState({ now: () => 0 }), port: 0, routes: page });
  });
  afterAll(async () => {
    await browser.close();
    await Promise.all([server?.close(), plain?.close()]);
  });

  const open = async (origin: string) => {
    const p = await (await browser.get()).newPage({ viewport: { width: 1400, height: 1400 } });
    const errors: string[] = [];
    const requests: string[] = [];
    p.on('request', (r) => requests.push(r.url()));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(origin);
    return { p, errors, requests };
  };

  it('shows signals per venue, the arbitrage opportunity and funding', async () => {
    const { p, errors } = await open(server.url);
    const arb = p.locator('#signals [data-field="arbitrage-count"]');
    await expect.poll(() => arb.textContent(), { timeout: 10_000 }).toBe('1');
    const rows = p.locator('#signals [data-table="signal-instruments"] tr[data-instrument]');
    expect(await rows.count()).toBe(2);
    const bybit = p.locator('#signals tr[data-instrument="bybit:BTC/USDT:USDT"]');
    expect(await bybit.locator('td').nth(2).textContent()).toBe('60100.500'); // weighted mid, equal sizes
    expect(await bybit.locator('td').last().textContent()).toContain('arbitrage 1');
    const arbRow = p.locator('#signals [data-table="arbitrage"] tr').nth(1);
    expect(await arbRow.textContent()).toContain('binance 60001');
    expect(await arbRow.textContent()).toContain('bybit 60100');
    const funding = p.locator('#signals tr[data-funding="bybit:BTC/USDT:USDT"]');
    expect(await funding.locator('td').nth(2).textContent()).toBe('0.002500');
    expect(await funding.locator('td').nth(5).textContent()).toBe('2026-01-01T08:00:00');
    expect(await funding.locator('td').nth(6).textContent()).toBe('25.00 on 10000');
    expect(await p.locator('#signals [data-field="signals-summary"]').textContent()).toMatch(
      /^\d+ signals · stage p99 µs/,
    );
    expect(errors).toEqual([]);
  });

  it('says "signals off" where the pipeline is not running', async () => {
    const { p, errors, requests } = await open(plain.url);
    await expect
      .poll(() => p.locator('#signals [data-field="signals-summary"]').textContent(), { timeout: 10_000 })
      .toBe('signals off');
    expect(await p.locator('#signals [data-field="signals-body"]').isVisible()).toBe(false);
    expect(requests.filter((u) => u.endsWith('/signals'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('adds hifa_stage_latency_ms{stage} and signal_count_total{type} to /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/# TYPE hifa_stage_latency_ms histogram/);
    expect(text).toMatch(/hifa_stage_latency_ms_count\{stage="assess"\} 2/);
    expect(text).toMatch(/hifa_stage_latency_ms_bucket\{stage="detect",le="\+Inf"\} 2/);
    expect(text).toMatch(/signal_count_total\{type="arbitrage"\} 1/);
    expect(text).toMatch(/signal_count_total\{type="funding"\} 1/);
  });
});
