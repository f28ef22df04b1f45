import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import type { BinanceRest } from '../../../../fargate/execution/binance/binance-rest.ts';
import {
  COUNTDOWN_PATH,
  CountdownCancelAll,
} from '../../../../fargate/execution/binance-futures/countdown-cancel-all.ts';

function fakeRest(fail = false) {
  const calls: Array<{ path: string; params: Record<string, string> }> = [];
  const rest = {
    signed: async (_m: string, path: string, params: Record<string, string>) => {
      calls.push({ path, params });
      if (fail) throw new Error('venue down');
      return {};
    },
  } as unknown as BinanceRest;
  return { rest, calls };
}

describe('USD-M countdownCancelAll dead-man switch', () => {
  it('armed per symbol, refreshed every refreshMs while trading, disarmed with 0 on stop', async () => {
    const clock = new ManualClock();
    const { rest, calls } = fakeRest();
    const c = new CountdownCancelAll(rest, clock, { countdownMs: 120_000, refreshMs: 30_000 });
    await c.arm('BTCUSDT');
    await c.arm('ETHUSDT');
    expect(calls.map((x) => [x.path, x.params.symbol, x.params.countdownTime])).toEqual([
      [COUNTDOWN_PATH, 'BTCUSDT', '120000'],
      [COUNTDOWN_PATH, 'ETHUSDT', '120000'],
    ]);
    clock.advance(29_999);
    expect(calls).toHaveLength(2);
    clock.advance(1);
    expect(calls).toHaveLength(4);
    clock.advance(60_000);
    expect(calls).toHaveLength(8);
    await c.stop();
    expect(calls.slice(-2).map((x) => x.params.countdownTime)).toEqual(['0', '0']);
    clock.advance(120_000);
    expect(calls).toHaveLength(10);
  });

  it('a failed refresh is counted and reported', async () => {
    const clock = new ManualClock();
    const { rest } = fakeRest(true);
    const errors: string[] = [];
    const c = new CountdownCancelAll(rest, clock, { onError: (s) => errors.push(s) });
    await c.arm('BTCUSDT');
    expect(c.failures).toBe(1);
    expect(c.arms).toBe(0);
    expect(errors).toEqual(['BTCUSDT']);
  });

  it('refuses a refresh period that does not beat the countdown', () => {
    expect(
      () =>
        new CountdownCancelAll(fakeRest().rest, new ManualClock(), {
          countdownMs: 10_000,
          refreshMs: 10_000,
        }),
    ).toThrow(RangeError);
  });
});
