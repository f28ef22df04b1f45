/**
 * The dashboard's trading panel in headless Chromium, on a real ops server with the control routes
 * mounted over a fake TradingControl whose state really changes.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlRoutes } from '../../../fargate/ops/control-routes.ts';
import { LiveMarketState } from '../../../fargate/ops/live-market-state.ts';
import { type OpsServer, type Routes, startOpsServer } from '../../../fargate/ops/ops-server.ts';
import { dashboardRoutes } from '../../../local/dashboard/dashboard-routes.ts';
import { probeChart } from '../../support/echarts-chart-probe.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';
import { suiteBrowser } from '../../support/headless-chromium.ts';

const TOKEN = 'dashboard-admin-token-0123456789';

const page: Routes = dashboardRoutes();

describe('dashboard trading panel', () => {
  const browser = suiteBrowser();
  let server: OpsServer;
  let plain: OpsServer;
  let control: FakeTradingControl;

  beforeAll(async () => {
    control = new FakeTradingControl(TOKEN);
    server = await startOpsServer({
      state: new LiveMarketState({ now: () => 0 }),
      port: 0,
      routes: { ...page, ...controlRoutes(control, { adminToken: TOKEN }) },
    });
    plain = await startOpsServer({ state: new LiveMarketState({ now: () => 0 }), port: 0, routes: page });
  });
  afterAll(async () => {
    await browser.close();
    await Promise.all([server?.close(), plain?.close()]);
  });

  /** A page that records console errors and any request leaving `origin`. */
  const open = async (origin: string) => {
    const p = await (await browser.get()).newPage({ viewport: { width: 1400, height: 1400 } });
    const errors: string[] = [];
    const requests: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('request', (r) => requests.push(r.url()));
    await p.goto(origin);
    return { p, errors, requests };
  };
  const text = (p: Page, field: string) => p.locator(`#trading [data-field="${field}"]`).textContent();

  it('shows the state, positions, orders, fills, denials and PnL; Kill halts, Reset with the token resumes', async () => {
    const { p, errors, requests } = await open(server.url);
    await expect.poll(() => text(p, 'trading-state'), { timeout: 10_000 }).toBe('ACTIVE');
    expect(await text(p, 'open-orders')).toBe('3');
    expect(await text(p, 'pnl')).toBe('9.50 USDT');
    expect(await p.locator('#trading [data-table="orders"] tr[data-order]').count()).toBe(3);
    expect(await p.locator('#trading [data-table="positions"] tr').count()).toBe(2);
    expect(await p.locator('#trading [data-table="fills"] tr').count()).toBe(2);
    expect(
      await p.locator('#trading [data-table="denials"] tr[data-reason="max_position"] td.num').textContent(),
    ).toBe('3');
    expect(await p.locator('#trading [data-field="trading-off"]').isVisible()).toBe(false);
    // Reset only means something once halted.
    expect(await p.locator('[data-action="reset"]').isDisabled()).toBe(true);

    // The chart follows the polls: PnL moves, points accumulate.
    control.fill(4);
    await expect.poll(() => text(p, 'pnl'), { timeout: 5_000 }).toBe('13.50 USDT');
    // An ECharts instance drew into a canvas of real size; its net series gains a point per poll.
    const chart = p.locator('#trading [data-field="pnl-chart"]');
    const netPoints = async () => (await probeChart(chart)).series.find((s) => s.name === 'net')?.points ?? 0;
    await expect.poll(netPoints, { timeout: 5_000 }).toBeGreaterThan(1);
    const drawn = await probeChart(chart);
    expect(drawn.instance).toBe(true);
    expect(drawn.width).toBeGreaterThan(300);
    expect(drawn.height).toBeGreaterThan(100);
    expect(drawn.series.map((s) => s.name)).toEqual(['net', 'realized', 'unrealized']);
    const before = await netPoints();
    await expect.poll(netPoints, { timeout: 5_000 }).toBeGreaterThan(before);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(before);

    await p.locator('[data-action="kill"]').click();
    await expect.poll(() => text(p, 'trading-state'), { timeout: 5_000 }).toBe('HALTED');
    expect(await text(p, 'open-orders')).toBe('0');
    expect(await p.locator('#trading [data-table="orders"] tr[data-order]').count()).toBe(0);
    await expect.poll(() => text(p, 'control-message')).toMatch(/^killed at .*: 3 orders cancelled in 3 ms$/);
    expect(control.kills).toEqual(['dashboard kill button']);

    p.once('dialog', (d) => {
      expect(d.type()).toBe('prompt');
      void d.accept(TOKEN);
    });
    await expect.poll(() => p.locator('[data-action="reset"]').isDisabled()).toBe(false);
    await p.locator('[data-action="reset"]').click();
    await expect.poll(() => text(p, 'trading-state'), { timeout: 5_000 }).toBe('ACTIVE');
    expect(await text(p, 'control-message')).toBe('reset: trading ACTIVE');
    expect(control.state).toBe('ACTIVE');

    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
    if (process.env.DASHBOARD_SHOT) await p.screenshot({ path: process.env.DASHBOARD_SHOT, fullPage: true });
    await p.close();
  }, 60_000);

  it('a wrong token is refused: the page says so and trading stays HALTED', async () => {
    await control.kill('before the wrong token');
    const { p, errors } = await open(server.url);
    await expect.poll(() => text(p, 'trading-state'), { timeout: 10_000 }).toBe('HALTED');
    p.once('dialog', (d) => void d.accept('not-the-token'));
    await p.locator('[data-action="reset"]').click();
    await expect
      .poll(() => text(p, 'control-message'), { timeout: 5_000 })
      .toBe('reset refused (401): admin token refused');
    expect(await text(p, 'trading-state')).toBe('HALTED');
    expect(control.state).toBe('HALTED');
    // The only console error is the browser reporting the 401 itself.
    expect(errors).toEqual([expect.stringMatching(/status of 401/)]);
    // Dismissing the prompt sends nothing.
    const count = (call: string) => control.calls.filter((c) => c === call).length;
    const resets = count('reset');
    p.once('dialog', (d) => void d.dismiss());
    await p.locator('[data-action="reset"]').click();
    // Two more polls later, still no reset reached the control.
    const polls = count('status');
    await expect.poll(() => count('status'), { timeout: 5_000 }).toBeGreaterThan(polls + 1);
    expect(count('reset')).toBe(resets);
    await p.close();
  }, 60_000);

  it('without the control routes: "trading off", no controls, /status never asked', async () => {
    const { p, errors, requests } = await open(plain.url);
    await expect
      .poll(() => p.locator('#trading [data-field="trading-off"]').isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await text(p, 'trading-off')).toBe('trading off');
    expect(await p.locator('[data-action="kill"]').isVisible()).toBe(false);
    expect(await p.locator('[data-action="reset"]').isVisible()).toBe(false);
    expect(await p.locator('#trading [data-field="trading-body"]').isVisible()).toBe(false);
    expect(requests.filter((u) => u.endsWith('/status'))).toEqual([]);
    expect(errors).toEqual([]);
    await p.close();
  }, 60_000);
});
