/**
 * `npm start` paper trading, end to end: the simulators replay the real Binance captures, the
 * connectors build the books, the market maker quotes BTC/USDT spot and USD-M through the risk gate
 * into the paper venue, the control routes stop and reset it, and the dashboard’s Kill button (in
 * headless Chromium) halts the real kernel. Everything lands in the journal.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../config/instruments.ts';
import type { TradingStatusJson } from '../../core/trading/trading-control.ts';
import { journalDirOf } from '../../fargate/journal/journal-files.ts';
import { readJournal } from '../../fargate/journal/journal-reader.ts';
import { DEFAULT_MARKETS, type OpenedTrading, openTrading } from '../../fargate/trading/open-trading.ts';
import { type LocalStack, startLocalStack } from '../../local/stack/start-local-stack.ts';
import { probeChart } from '../support/echarts-chart-probe.ts';
import { suiteBrowser } from '../support/headless-chromium.ts';

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start: paper trading', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'paper-'));
  let stack: LocalStack;
  let trading: OpenedTrading;
  const lines: string[] = [];
  const browser = suiteBrowser();

  beforeAll(async () => {
    trading = await openTrading({
      dataDir,
      strategy: 'market-maker',
      overrides: {},
      instruments: configuredInstruments(),
      markets: DEFAULT_MARKETS,
      seed: 1,
      log: (l) => lines.push(l),
    });
    stack = await startLocalStack({
      port: 0,
      speed: 5,
      trading: { trader: trading.trader, adminToken: trading.adminToken },
    });
  }, 60_000);

  afterAll(async () => {
    await browser.close();
    await stack?.close();
    trading?.close();
  });

  const status = async (): Promise<TradingStatusJson> =>
    (await fetch(`${stack.url}/status`)).json() as Promise<TradingStatusJson>;

  it('quotes both markets through the risk gate into the paper venue', async () => {
    const k = trading.trader.kernel;
    await waitFor(() => k.orders.openCount >= 2, 30_000, 'resting quotes');
    const s = await status();
    expect(s.tradingState).toBe('ACTIVE');
    expect(s.openOrders).toBeGreaterThanOrEqual(2);
    expect(new Set(s.orders.map((o) => o.exchange))).toEqual(new Set(['binance', 'binance-futures']));
    expect(s.strategy.name).toBe('market-maker');
    expect(
      lines.some((l) =>
        l.startsWith('paper trading market-maker on binance BTC/USDT, binance-futures BTC/USDT:USDT'),
      ),
    ).toBe(true);
  }, 40_000);

  it('POST /kill halts and cancels every order; /reset needs the token', async () => {
    const killed = await fetch(`${stack.url}/kill`, { method: 'POST' });
    expect(killed.status).toBe(200);
    const report = (await killed.json()) as { cancelled: number; cancelLatencyMs: number };
    expect(report.cancelled).toBeGreaterThanOrEqual(2);
    const s = await status();
    expect(s).toMatchObject({ tradingState: 'HALTED', openOrders: 0 });
    expect(s.lastKill?.cancelled).toBe(report.cancelled);
    expect((await fetch(`${stack.url}/reset`, { method: 'POST' })).status).toBe(401);
    const reset = await fetch(`${stack.url}/reset`, {
      method: 'POST',
      headers: { authorization: `Bearer ${trading.adminToken}` },
    });
    expect(reset.status).toBe(200);
    expect((await status()).tradingState).toBe('ACTIVE');
  }, 30_000);

  it('the dashboard: Kill in the trading panel halts the real kernel with no order left', async () => {
    const k = trading.trader.kernel;
    await waitFor(
      () => k.tradingState === 'ACTIVE' && k.orders.openCount >= 2,
      30_000,
      'quotes after the reset',
    );
    const page = await (await browser.get()).newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(stack.url);
    const field = (name: string) => page.locator(`#trading [data-field="${name}"]`).textContent();
    await expect.poll(() => field('trading-state'), { timeout: 10_000 }).toBe('ACTIVE');
    await expect.poll(async () => Number(await field('open-orders')), { timeout: 10_000 }).toBeGreaterThan(0);
    // The PnL chart is an ECharts instance whose net series gains a point per poll of the real kernel.
    const chart = page.locator('#trading [data-field="pnl-chart"]');
    const netPoints = async () => (await probeChart(chart)).series.find((s) => s.name === 'net')?.points ?? 0;
    await expect.poll(netPoints, { timeout: 10_000 }).toBeGreaterThan(1);
    const drawn = await probeChart(chart);
    expect(drawn.instance).toBe(true);
    expect(drawn.width * drawn.height).toBeGreaterThan(0);
    const before = await netPoints();
    await expect.poll(netPoints, { timeout: 10_000 }).toBeGreaterThan(before);
    await page.locator('[data-action="kill"]').click();
    await expect.poll(() => field('trading-state'), { timeout: 10_000 }).toBe('HALTED');
    await expect.poll(() => field('open-orders'), { timeout: 10_000 }).toBe('0');
    expect(k.tradingState).toBe('HALTED');
    expect(k.orders.openCount).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('journals orders, risk decisions, the kill and the reset', async () => {
    trading.journal.flush();
    const kinds = new Map<string, number>();
    for await (const r of readJournal(journalDirOf(dataDir)).records)
      kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    for (const kind of ['session', 'order', 'risk', 'state', 'control'])
      expect(kinds.get(kind), kind).toBeGreaterThan(0);
  });
});
