/**
 * What a user of `npm start` sees: the local stack (simulators replaying real captures, connectors,
 * books, quality) and its dashboard, opened in headless Chromium (from the `@sparticuz/chromium`
 * package — this test fails, it does not skip, when the browser cannot start).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHARTS_SCRIPT_PATH } from '../../local/dashboard/echarts-browser-build.ts';
import { type LocalStack, startLocalStack } from '../../local/stack/start-local-stack.ts';
import { probeChart } from '../support/echarts-chart-probe.ts';
import { suiteBrowser } from '../support/headless-chromium.ts';

describe('npm start: the live dashboard in a browser', () => {
  let stack: LocalStack;
  const browser = suiteBrowser();
  const feedsSeen: Array<[string, string]> = [];

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      speed: 5,
      onFeed: (exchange, feed) => feedsSeen.push([exchange, feed.exchange]),
    });
  }, 60_000);

  afterAll(async () => {
    await browser.close();
    await stack?.close();
  });

  it('hands every venue’s feed to onFeed (how `npm start` attaches its recording listeners)', () => {
    expect(feedsSeen.map(([e]) => e).sort()).toEqual(
      ['binance', 'binance-futures', 'bybit', 'coinbase', 'kraken', 'kucoin'].sort(),
    );
    for (const [e, feedExchange] of feedsSeen) expect(feedExchange).toBe(e);
  });

  it('shows every venue connected, with trusted books, prices, trades and quality, updating live', async () => {
    const page = await (await browser.get()).newPage({ viewport: { width: 1400, height: 1800 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(stack.url)) foreign.push(r.url());
    });
    await page.goto(stack.url);
    await expect(page.title()).resolves.toBe('tradeplane — live market data');
    const venues = ['binance', 'binance-futures', 'coinbase', 'kraken', 'bybit', 'kucoin'];
    for (const v of venues) {
      const card = page.locator(`section[data-venue="${v}"]`);
      await card.waitFor({ timeout: 20_000 });
      await expect
        .poll(async () => card.locator('[data-field="connection"]').textContent(), { timeout: 20_000 })
        .toBe('connected');
      await expect
        .poll(async () => card.locator('[data-table="books"] .badge.trusted').count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
    }
    // BTC/USDT on Binance: a real bid below a real ask.
    const row = page.locator('section[data-venue="binance"] tr[data-symbol="BTC/USDT"]');
    const bid = Number(await row.locator('td.bid').textContent());
    const ask = Number(await row.locator('td.ask').textContent());
    expect(bid).toBeGreaterThan(10_000);
    expect(ask).toBeGreaterThan(bid);
    // Live: the message counter moves without a reload.
    const counter = page.locator('section[data-venue="binance-futures"] [data-field="messages"]');
    const first = await counter.textContent();
    await expect.poll(async () => counter.textContent(), { timeout: 10_000 }).not.toBe(first);
    await expect
      .poll(async () => page.locator('section[data-venue="binance"] [data-table="trades"] tr').count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(1);
    // The message-rate chart: an ECharts instance on a canvas of real size, a series per venue that
    // gains points with every push.
    const rateChart = page.locator('#rates [data-field="rate-chart"]');
    const rates = await probeChart(rateChart);
    expect(rates.instance).toBe(true);
    expect(rates.width).toBeGreaterThan(300);
    expect(rates.height).toBeGreaterThan(100);
    expect(rates.series.map((s) => s.name).sort()).toEqual([...venues].sort());
    const points = Math.min(...rates.series.map((s) => s.points));
    await expect
      .poll(async () => Math.min(...(await probeChart(rateChart)).series.map((s) => s.points)), {
        timeout: 10_000,
      })
      .toBeGreaterThan(points);
    const shot = join(mkdtempSync(join(tmpdir(), 'dashboard-')), 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  }, 60_000);

  it('serves the ECharts browser build the page loads from its own server', async () => {
    const res = await fetch(`${stack.url}${ECHARTS_SCRIPT_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await res.text()).length).toBeGreaterThan(500_000);
  });

  it('serves /metrics and /health beside the page', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/order_book_quality_score\{exchange="kraken",symbol="[A-Z]+\/[A-Z]+"\} \d+/);
    expect(metrics).toMatch(/market_data_latency_ms\{exchange="binance",quantile="0.99"\} [\d.]+/);
    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
  });
});
