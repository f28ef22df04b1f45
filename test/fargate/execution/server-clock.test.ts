import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../../fargate/execution/server-clock.ts';

describe('ServerClock', () => {
  it('offset = server time − midpoint of the round trip', async () => {
    let local = 1_000_000;
    const clock = new ServerClock({ nowMs: () => local });
    await clock.sync(async () => {
      local += 40; // 40 ms there and back: the server answered at our 1_000_020
      return 1_002_020;
    });
    expect(clock.offsetMs).toBe(2000);
    expect(clock.lastRttMs).toBe(40);
    expect(clock.nowMs()).toBe(local + 2000);
    expect(clock.syncs).toBe(1);
  });
});
