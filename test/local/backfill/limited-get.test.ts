import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../fargate/connectors/clock.ts';
import { WeightedLimiter } from '../../../fargate/rate-limit/weighted-limiter.ts';
import { limitedGet } from '../../../local/backfill/limited-get.ts';

/** A manual clock whose timers fire when the test advances it. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    nowMicros: () => now * 1000,
    nowMs: () => now,
    setTimer(ms, fn) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => {
        const i = timers.indexOf(t);
        if (i >= 0) timers.splice(i, 1);
      };
    },
    advance(ms) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

describe('limited GET', () => {
  it('waits for its weight, and on a 429 pauses for Retry-After and tries again', async () => {
    const clock = manualClock();
    const limiter = new WeightedLimiter({ limit: 20, windowMs: 1000, burstFraction: 0.5 }, clock);
    const replies = [
      new Response('{"code":-1003}', { status: 429, headers: { 'retry-after': '2' } }),
      new Response('[1]', { status: 200, headers: { 'x-mbx-used-weight-1m': '4' } }),
    ];
    let calls = 0;
    const get = limitedGet({
      limiter,
      fetch: async () => {
        calls++;
        return replies.shift()!;
      },
    });
    const body = get('http://venue/x', 4);
    // Let the first reply be read and the retry queue up behind the pause (no time passes).
    for (let i = 0; i < 100 && limiter.queued === 0; i++) await new Promise((r) => setImmediate(r));
    expect(limiter.queued).toBe(1);
    expect(calls).toBe(1);
    expect(limiter.stats.pauses).toBe(1); // the 429 paused the limiter
    clock.advance(2000);
    expect(await body).toBe('[1]');
    expect(calls).toBe(2);
    const refused = limitedGet({ limiter, fetch: async () => new Response('nope', { status: 400 }) });
    await expect(refused('http://venue/y', 1)).rejects.toThrow(/HTTP 400 nope/);
  });
});
