/**
 * The signal pipeline in the running local stack (simulators replaying real captures → connectors
 * → feeds → LiveSignals): `/signals` fills with every venue's instruments and their signals, and
 * `/metrics` counts the same signals and times the stages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSignalsSnapshot } from '../../fargate/signals/live-signals.ts';
import { type LocalStack, startLocalStack } from '../../local/stack/start-local-stack.ts';

describe('npm start: live signals', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, speed: 5 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const snapshot = async () => (await (await fetch(`${stack.url}/signals`)).json()) as LiveSignalsSnapshot;

  it('signals per venue from the live connectors, counted in /metrics', async () => {
    const state = (await (await fetch(`${stack.url}/api/state`)).json()) as { signals?: boolean };
    expect(state.signals).toBe(true);
    await expect
      .poll(async () => new Set((await snapshot()).instruments.map((i) => i.exchange)).size, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(4);
    await expect
      .poll(async () => Object.values((await snapshot()).totals).reduce((a, b) => a + b, 0), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const s = await snapshot();
    for (const i of s.instruments) if (i.weightedMid !== null) expect(i.weightedMid).toBeGreaterThan(0);
    expect(s.stageLatencyUs.detect.p50).toBeGreaterThan(0);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/hifa_stage_latency_ms_count\{stage="execute"\} [1-9]/);
    const [type, count] = Object.entries(s.totals)[0]!;
    const counted = new RegExp(`signal_count_total\\{type="${type}"\\} (\\d+)`).exec(metrics);
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(count);
  }, 60_000);
});
