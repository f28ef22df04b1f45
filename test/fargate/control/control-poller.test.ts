import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRiskParams } from '../../../config/risk.ts';
import { ManualClock } from '../../../core/time/manual-clock.ts';
import { startCloudControl } from '../../../fargate/control/cloud-control.ts';
import { ControlPoller } from '../../../fargate/control/control-poller.ts';
import type { ControlQueue, QueuedNotice } from '../../../fargate/control/control-queue.ts';
import { ControlTable } from '../../../fargate/control/control-table.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';
import { type ControlDynalite, startControlDynalite } from './control-dynalite.ts';

const TOKEN = 'admin-token-for-tests';
let db: ControlDynalite;

beforeAll(async () => {
  db = await startControlDynalite();
});
afterAll(() => db.close());

async function setup(queue?: ControlQueue) {
  const table = await db.freshTable();
  const control = new FakeTradingControl(TOKEN);
  const clock = new ManualClock();
  const lines: string[] = [];
  const poller = new ControlPoller({
    table,
    ...(queue ? { queue } : {}),
    control,
    adminToken: TOKEN,
    clock,
    log: (l) => lines.push(l),
  });
  return { table, control, clock, poller, lines };
}

const kill = (table: ControlTable, epoch: number, reason = 'stop now') =>
  table.flip(
    { killed: true, reason, actor: 'arn:aws:iam::1:user/ops', at: '2026-12-07T00:00:00.000Z' },
    epoch,
  );

/** A queue the test feeds; receive() waits until a message arrives or the poller stops. */
class StubQueue implements ControlQueue {
  private pending: QueuedNotice[] = [];
  private wake: (() => void) | undefined;
  readonly deleted: string[] = [];
  receives = 0;

  push(body: string): void {
    this.pending.push({ body, receipt: `r${this.pending.length}` });
    this.wake?.();
  }

  async receive(_wait: number, signal: AbortSignal): Promise<QueuedNotice[]> {
    this.receives++;
    if (this.pending.length === 0)
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    const out = this.pending;
    this.pending = [];
    return out;
  }

  async delete(receipt: string): Promise<void> {
    this.deleted.push(receipt);
  }
}

describe('ControlPoller', () => {
  it('halts the trader on the first 250 ms poll after the item flips, and acknowledges with the kill report', async () => {
    const { table, control, clock, poller } = await setup();
    await poller.start();
    expect(await kill(table, 0)).toMatchObject({ epoch: 1, killed: true });
    clock.advance(249);
    await poller.settled();
    expect(control.state).toBe('ACTIVE');
    clock.advance(1);
    // The timer fired a poll: wait for that poll's read and apply.
    await new Promise((r) => setImmediate(r));
    await poller.settled();
    await poller.settled();
    expect(control.state).toBe('HALTED');
    expect(control.kills).toEqual(['stop now (by arn:aws:iam::1:user/ops)']);
    const ack = await table.ack();
    expect(ack).toMatchObject({
      epoch: 1,
      kill: { cancelled: 3, reason: 'stop now (by arn:aws:iam::1:user/ops)' },
    });
    // The same epoch is not applied twice.
    await poller.poll();
    expect(control.kills).toHaveLength(1);
    await poller.stop();
  });

  it('a kill notice on the queue halts at once, before any poll of the item', async () => {
    const queue = new StubQueue();
    const { table, control, poller } = await setup(queue);
    await poller.start();
    const state = await kill(table, 0, 'from the queue');
    if (state === 'conflict') throw new Error('conflict');
    queue.push(
      JSON.stringify({
        epoch: state.epoch,
        paramsVersion: 0,
        killed: true,
        reason: 'from the queue',
        actor: 'me',
      }),
    );
    for (let i = 0; i < 20 && control.state !== 'HALTED'; i++) await new Promise((r) => setImmediate(r));
    await poller.settled();
    expect(control.state).toBe('HALTED');
    expect(poller.stats).toMatchObject({ notices: 1, kills: 1 });
    await poller.stop();
    expect(queue.deleted).toEqual(['r0']);
  });

  it('a message that is no notice is only a nudge: the item decides', async () => {
    const { table, control, poller } = await setup();
    await poller.start();
    await poller.onNotice('not json');
    expect(control.state).toBe('ACTIVE');
    await kill(table, 0);
    await poller.onNotice(undefined);
    expect(control.state).toBe('HALTED');
    await poller.stop();
  });

  it('applies a reset with the task’s own admin token and a params version once, acknowledging each', async () => {
    const { table, control, poller } = await setup();
    await poller.start();
    await kill(table, 0);
    await poller.poll();
    await table.flip({ killed: false, reason: 'reset', actor: 'ops', at: 'now' }, 1);
    await poller.poll();
    expect(control.state).toBe('ACTIVE');
    expect((await table.ack())?.reset).toMatchObject({ ok: true });

    const params = { ...loadRiskParams(), kellyFraction: 0.1 };
    await table.changeParams({ riskParams: JSON.stringify(params), actor: 'ops', at: 'now' }, 0);
    await poller.poll();
    await poller.poll();
    expect(control.risk.kellyFraction).toBe(0.1);
    expect(poller.stats.paramChanges).toBe(1);
    expect(await table.ack()).toMatchObject({ paramsVersion: 1, params: { ok: true } });
    await poller.stop();
  });

  it('a stored params body the kernel refuses is acknowledged with the kernel’s problems', async () => {
    const { table, control, poller } = await setup();
    await poller.start();
    await table.changeParams(
      { riskParams: JSON.stringify({ kellyFraction: 'lots' }), actor: 'ops', at: 'now' },
      0,
    );
    await poller.poll();
    const ack = await table.ack();
    expect(ack?.params).toMatchObject({ ok: false, status: 400 });
    expect(control.risk.kellyFraction).toBe(loadRiskParams().kellyFraction);
    await poller.stop();
  });

  it('at start, a kill recorded while no task ran halts the new task', async () => {
    const { table, control, poller } = await setup();
    await kill(table, 0, 'while down');
    await poller.start();
    expect(control.state).toBe('HALTED');
    expect(control.kills).toEqual(['while down (by arn:aws:iam::1:user/ops)']);
    await poller.stop();
  });

  it('counts and logs a failed poll, and keeps polling', async () => {
    const control = new FakeTradingControl(TOKEN);
    const lines: string[] = [];
    const missing = new ControlTable(db.client, 'no-such-table');
    const poller = new ControlPoller({
      table: missing,
      control,
      adminToken: TOKEN,
      clock: new ManualClock(),
      log: (l) => lines.push(l),
    });
    await poller.poll();
    await poller.poll();
    expect(poller.stats.pollErrors).toBe(2);
    expect(lines[0]).toMatch(/^control poll failed: /);
  });
});

describe('startCloudControl', () => {
  it('reports the status at start, on its interval, and right after a kill', async () => {
    const table = await db.freshTable();
    const control = new FakeTradingControl(TOKEN);
    const clock = new ManualClock();
    const cloud = await startCloudControl({
      table,
      control,
      adminToken: TOKEN,
      owner: 'task-1',
      clock,
      reportEveryMs: 5_000,
      log: () => {},
    });
    expect((await table.report())?.status.tradingState).toBe('ACTIVE');
    expect(cloud.reports.written).toBe(1);
    await kill(table, 0);
    await cloud.poller.poll();
    await cloud.reports.stop();
    const report = await table.report();
    expect(report).toMatchObject({ owner: 'task-1', status: { tradingState: 'HALTED', openOrders: 0 } });
    expect(cloud.reports.written).toBe(2);
    await cloud.stop();
  });
});
