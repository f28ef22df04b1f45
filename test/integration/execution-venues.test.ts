/**
 * `npm start -- --execution venues`, end to end: the market maker trades Binance spot and USD-M
 * through the real order-entry adapters, signed, over the wire to the simulators' private APIs; the
 * reconciler runs before the first order and on demand; a fill message the private stream drops is
 * recovered by reconciliation and counted once; POST /kill leaves no open order of ours on either
 * simulator; no log line carries a key or secret.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../config/instruments.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';
import { VENUE_CONNECTORS } from '../../fargate/execution/venue-connectors.ts';
import { type ConnectedVenues, connectVenues } from '../../fargate/trading/connect-venues.ts';
import { DEFAULT_MARKETS, type OpenedTrading, openTrading } from '../../fargate/trading/open-trading.ts';
import { loadLocalAccounts } from '../../local/exchanges/private/local-accounts.ts';
import { LocalAccountSecrets } from '../../local/stack/local-account-secrets.ts';
import { type LocalStack, startLocalStack } from '../../local/stack/start-local-stack.ts';

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface SimAccountState {
  openOrders: Array<{ orderId: number }>;
  fills: Array<{ id: number; orderId: number }>;
}

describe('npm start --execution venues', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'venues-'));
  const accounts = loadLocalAccounts();
  const lines: string[] = [];
  let stack: LocalStack;
  let trading: OpenedTrading;
  let orderEntry: ConnectedVenues | undefined;

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
    const trader = trading.trader;
    stack = await startLocalStack({
      port: 0,
      speed: 5,
      log: (l) => lines.push(l),
      trading: {
        trader,
        adminToken: trading.adminToken,
        connectVenues: async (simulators) => {
          orderEntry = await connectVenues({
            trader,
            endpoints: (e) => {
              const urls = simulators.urls[e];
              return urls ? VENUE_CONNECTORS[e]?.simulator(urls) : undefined;
            },
            secrets: new LocalAccountSecrets(accounts),
            clock: systemClock(),
            reconcileIntervalMs: 3_600_000,
            log: (l) => lines.push(l),
          });
          return orderEntry;
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    trading?.close();
  });

  const simState = async (exchange: ExchangeId): Promise<SimAccountState> => {
    const rest = stack.simulators.urls[exchange]!.rest;
    const body = (await (await fetch(`${rest}/sim/state`)).json()) as {
      accounts: Record<string, SimAccountState>;
    };
    return body.accounts[accounts[exchange].apiKey]!;
  };

  it('reconciles before the first order, then quotes on both venues through the adapters', async () => {
    expect(orderEntry!.firstPass.discrepancies).toEqual([]);
    expect(orderEntry!.firstPass.errors).toEqual([]);
    const k = trading.trader.kernel;
    await waitFor(
      () => k.orders.openCount >= 2 && k.status().orders.every((o) => o.status !== 'Submitted'),
      30_000,
      'acknowledged quotes',
    );
    expect(trading.trader.execution).toEqual({ binance: 'binance', 'binance-futures': 'binance-futures' });
    const health = (await (await fetch(`${stack.url}/health`)).json()) as {
      simulators: Record<string, { rest: string; ws: string }>;
      execution: Record<string, string>;
    };
    expect(health.simulators.binance!.rest).toBe(stack.simulators.urls.binance!.rest);
    expect(health.execution['binance-futures']).toBe('binance-futures');
    // What the venues hold is what the OMS holds: no order either side does not know, positions agree.
    const pass = await orderEntry!.reconciler.runOnce();
    expect(pass.errors).toEqual([]);
    expect(
      pass.discrepancies.filter((d) => d.kind === 'unknown_order' || d.kind === 'position_break'),
    ).toEqual([]);
  }, 40_000);

  it('a fill message the private stream drops is recovered by reconciliation and counted once', async () => {
    const k = trading.trader.kernel;
    const faults = stack.simulators.venues['binance-futures']!.privateApi.faults;
    const fillsBefore = k.counters.fills;
    faults.dropNextFillMessage();
    await waitFor(() => faults.injected.dropped_fill === 1, 40_000, 'a fill whose stream message is dropped');
    const venueFills = async () => (await simState('binance-futures')).fills.length;
    const ours = () => k.status().recentFills.filter((f) => f.exchange === 'binance-futures').length;
    // The venue has the fill; the OMS does not (it never heard of it).
    expect(await venueFills()).toBeGreaterThan(0);
    const report = await orderEntry!.reconciler.runOnce();
    const missing = report.discrepancies.filter((d) => d.kind === 'missing_fill');
    expect(missing.length).toBeGreaterThanOrEqual(1);
    expect(report.discrepancies.filter((d) => d.kind === 'position_break')).toEqual([]);
    expect(k.counters.fills).toBeGreaterThan(fillsBefore);
    // A second pass finds nothing missing: each venue fill is in the OMS exactly once.
    const again = await orderEntry!.reconciler.runOnce();
    expect(again.discrepancies.filter((d) => d.kind === 'missing_fill')).toEqual([]);
    expect(ours()).toBeGreaterThan(0);
  }, 60_000);

  it('POST /kill: neither simulator shows an open order of ours afterwards', async () => {
    const killed = await fetch(`${stack.url}/kill`, { method: 'POST' });
    expect(killed.status).toBe(200);
    const report = (await killed.json()) as { cancelled: number; cancelLatencyMs: number };
    expect(report.cancelled).toBeGreaterThanOrEqual(1);
    for (const exchange of ['binance', 'binance-futures'] as const)
      expect((await simState(exchange)).openOrders).toEqual([]);
    // The kill waits for the venues' confirmations; on a loaded 2-core runner well under a second.
    expect(report.cancelLatencyMs).toBeLessThan(1_000);
    lines.push(`kill confirmed by both venues in ${report.cancelLatencyMs} ms`);
  }, 20_000);

  it('no log line carries an API key or secret', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const exchange of ['binance', 'binance-futures'] as const) {
      const { apiKey, apiSecret } = accounts[exchange];
      for (const line of lines) {
        expect(line).not.toContain(apiSecret);
        expect(line).not.toContain(apiKey);
      }
    }
  });
});
