/**
 * The kill-switch URL offline, end to end: the real control function behind the local HTTP server
 * (API Gateway-shaped events), its state in DynamoDB on dynalite, the task's cloud control (queue
 * + 250 ms poll) driving a paper-trading LiveTrader on the local exchange simulators.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../config/instruments.ts';
import type { KillReport, TradingStatusJson } from '../../core/trading/trading-control.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';
import { type CloudControl, startCloudControl } from '../../fargate/control/cloud-control.ts';
import type { ControlTable } from '../../fargate/control/control-table.ts';
import { DEFAULT_MARKETS, type OpenedTrading, openTrading } from '../../fargate/trading/open-trading.ts';
import { LOCAL_CALLER_ARN } from '../../local/cloud/api-gateway-event.ts';
import { type ControlServer, startControlServer } from '../../local/cloud/control-server.ts';
import { MemoryControlQueue } from '../../local/cloud/memory-control-queue.ts';
import { type LocalStack, startLocalStack } from '../../local/stack/start-local-stack.ts';
import { type ControlDynalite, startControlDynalite } from '../fargate/control/control-dynalite.ts';

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<number> {
  const started = performance.now();
  while (!cond()) {
    if (performance.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - started;
}

describe('cloud kill switch, offline', () => {
  let db: ControlDynalite;
  let table: ControlTable;
  let trading: OpenedTrading;
  let stack: LocalStack;
  let cloud: CloudControl;
  let server: ControlServer;
  const queue = new MemoryControlQueue();

  beforeAll(async () => {
    db = await startControlDynalite();
    table = await db.freshTable();
    trading = await openTrading({
      dataDir: mkdtempSync(join(tmpdir(), 'cloud-kill-')),
      strategy: 'market-maker',
      overrides: {},
      instruments: configuredInstruments(),
      markets: DEFAULT_MARKETS,
      seed: 1,
      log: () => {},
    });
    stack = await startLocalStack({
      port: 0,
      speed: 5,
      trading: { trader: trading.trader, adminToken: trading.adminToken },
    });
    cloud = await startCloudControl({
      table,
      queue,
      control: trading.trader.control,
      adminToken: trading.adminToken,
      owner: 'cloud-kill-test',
      clock: systemClock(),
      log: () => {},
    });
    server = await startControlServer({ table, queue, adminToken: trading.adminToken });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await cloud?.stop();
    await stack?.close();
    trading?.close();
    await db?.close();
  });

  const status = async () => {
    const res = await fetch(`${server.url}/status`);
    return { code: res.status, body: (await res.json()) as TradingStatusJson };
  };

  it('POST /kill on the URL halts the running trader within 1 s and cancels its orders', async () => {
    const k = trading.trader.kernel;
    await waitFor(() => k.orders.openCount >= 2, 30_000, 'resting quotes');
    expect((await status()).body.tradingState).toBe('ACTIVE');
    // Watched from the moment the request leaves: the kernel must halt within 1 s of it.
    const halted = waitFor(() => k.tradingState === 'HALTED', 1_000, 'the kill to halt the kernel');
    const res = await fetch(`${server.url}/kill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'drill' }),
    });
    expect(await halted).toBeLessThan(1_000);
    // 200: the task confirmed within the function's wait, with the kernel's own report.
    expect(res.status).toBe(200);
    const report = (await res.json()) as KillReport;
    expect(k.orders.openCount).toBe(0);
    expect(report.reason).toBe(`drill (by ${LOCAL_CALLER_ARN})`);
    expect(report.cancelled).toBeGreaterThanOrEqual(2);
    expect(queue.sent).toBe(1);
    expect(await table.control()).toMatchObject({
      killed: true,
      reason: 'drill',
      actor: LOCAL_CALLER_ARN,
      epoch: 1,
    });
  }, 40_000);

  it('GET /status answers from the same function, with the state the task reported', async () => {
    const s = await status();
    expect(s.code).toBe(200);
    expect(s.body).toMatchObject({ tradingState: 'HALTED', openOrders: 0 });
    expect(s.body.lastKill?.reason).toBe(`drill (by ${LOCAL_CALLER_ARN})`);
  });

  it('POST /reset needs the admin token, then trading resumes', async () => {
    expect((await fetch(`${server.url}/reset`, { method: 'POST' })).status).toBe(401);
    const res = await fetch(`${server.url}/reset`, {
      method: 'POST',
      headers: { authorization: `Bearer ${trading.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(trading.trader.kernel.tradingState).toBe('ACTIVE');
    expect((await status()).body.tradingState).toBe('ACTIVE');
  });

  it('with the queue message lost, the 250 ms poll of the item still halts within 1 s', async () => {
    const k = trading.trader.kernel;
    const current = await table.control();
    const flipped = await table.flip(
      { killed: true, reason: 'message lost', actor: 'test', at: new Date().toISOString() },
      current.epoch,
    );
    expect(flipped).not.toBe('conflict');
    const took = await waitFor(() => k.tradingState === 'HALTED', 1_000, 'the poll to halt');
    expect(took).toBeLessThan(1_000);
    expect(cloud.poller.stats.polls).toBeGreaterThan(0);
  });
});
