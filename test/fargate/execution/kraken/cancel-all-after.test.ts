import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import { CancelAllAfter } from '../../../../fargate/execution/kraken/cancel-all-after.ts';
import type { KrakenRest } from '../../../../fargate/execution/kraken/kraken-rest.ts';

function fakeRest(fail: () => boolean) {
  const calls: string[] = [];
  const rest = {
    call: async (method: string, params: Record<string, string>) => {
      calls.push(`${method} ${params.timeout}`);
      if (fail()) throw new Error('venue unreachable');
      return {
        currentTime: '2026-01-01T00:00:00Z',
        triggerTime: params.timeout === '0' ? '0' : '2026-01-01T00:01:00Z',
      };
    },
  } as unknown as KrakenRest;
  return { rest, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('CancelAllOrdersAfter switch', () => {
  it('arms with the timeout, refreshes every period, keeps going after a failed refresh, disarms with 0', async () => {
    let failing = false;
    const { rest, calls } = fakeRest(() => failing);
    const clock = new ManualClock(0);
    const errors: unknown[] = [];
    const s = new CancelAllAfter(rest, clock, {
      timeoutS: 60,
      refreshMs: 20_000,
      onError: (e) => errors.push(e),
    });
    await s.arm();
    expect(calls).toEqual(['CancelAllOrdersAfter 60']);
    expect(s.triggerTime).toBe('2026-01-01T00:01:00Z');
    clock.advance(19_999);
    expect(calls).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(calls).toHaveLength(2);
    failing = true;
    clock.advance(20_000);
    await flush();
    expect(s.failures).toBe(1);
    expect(errors).toHaveLength(1);
    failing = false;
    clock.advance(20_000);
    await flush();
    expect(s.refreshes).toBe(3);
    await s.stop();
    expect(calls.at(-1)).toBe('CancelAllOrdersAfter 0');
    expect(s.triggerTime).toBe('0');
    expect(s.armed).toBe(false);
    clock.advance(100_000);
    await flush();
    expect(calls).toHaveLength(5);
  });

  it('refuses a refresh period that does not come before the timeout', () => {
    const { rest } = fakeRest(() => false);
    expect(() => new CancelAllAfter(rest, new ManualClock(0), { timeoutS: 10, refreshMs: 10_000 })).toThrow(
      /before the timeout/,
    );
  });
});
