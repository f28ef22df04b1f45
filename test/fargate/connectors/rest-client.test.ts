import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/sim/random.ts';
import { systemClock } from '../../../fargate/connectors/clock.ts';
import { RestClient } from '../../../fargate/connectors/rest-client.ts';
import { WeightedLimiter } from '../../../fargate/rate-limit/weighted-limiter.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function venueServer(
  responses: Array<{ status: number; body?: string; headers?: Record<string, string> }>,
) {
  const hits: number[] = [];
  const server: TestServer = await startTestServer({
    onHttp: (_req, res) => {
      hits.push(Date.now());
      const r = responses[Math.min(hits.length - 1, responses.length - 1)]!;
      res.statusCode = r.status;
      for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
      res.end(r.body ?? '');
    },
  });
  cleanups.push(() => server.close());
  return { server, hits };
}

function client(baseUrl: string, failures: string[], usedWeightHeader?: string) {
  const clock = systemClock();
  const limiter = new WeightedLimiter({ limit: 6000, windowMs: 60_000, burstFraction: 0.2 }, clock);
  const rest = new RestClient({
    exchange: 'binance',
    baseUrl,
    limiter,
    clock,
    random: seededRandom(3),
    retry: { initialMs: 20, maxMs: 200, multiplier: 2, jitter: 0.5, alertAfterFailures: 5 },
    timeoutMs: 2000,
    ...(usedWeightHeader ? { usedWeightHeader } : {}),
    onFailure: (url, detail, n) => failures.push(`${url} ${detail} #${n}`),
  });
  return { rest, limiter };
}

describe('RestClient', () => {
  it('waits out a 429 (Retry-After) for the whole venue, retries a 500, then delivers the body', async () => {
    const { server, hits } = await venueServer([
      { status: 429, headers: { 'retry-after': '0.15' } },
      { status: 500 },
      {
        status: 200,
        body: '{"lastUpdateId":1,"bids":[],"asks":[]}',
        headers: { 'x-mbx-used-weight-1m': '5700' },
      },
    ]);
    const failures: string[] = [];
    const { rest, limiter } = client(server.httpUrl, failures, 'x-mbx-used-weight-1m');
    const res = await rest.get('/api/v3/depth?symbol=BTCUSDT&limit=100', 5, new AbortController().signal);
    expect(res.body).toBe('{"lastUpdateId":1,"bids":[],"asks":[]}');
    expect(res.receivedAt).toBeGreaterThan(1.6e15);
    expect(hits.length).toBe(3);
    expect(hits[1]! - hits[0]!).toBeGreaterThanOrEqual(140);
    expect(rest.stats).toEqual({ requests: 3, ok: 1, failures: 2, throttled: 1 });
    expect(failures[0]).toMatch(/HTTP 429, paused \d+ ms #1$/);
    expect(failures[1]).toMatch(/HTTP 500 #2$/);
    // 429 paused the venue; the used-weight header (5700 of 6000) emptied the bucket.
    expect(limiter.stats.pauses).toBe(2);
    expect(limiter.bucket.available(performance.now())).toBeLessThan(50);
    expect(limiter.stats.grantedWeight).toBe(15);
  });

  it('backs off on a failing endpoint instead of hammering it, and stops when aborted', async () => {
    const { server, hits } = await venueServer([{ status: 503 }]);
    const failures: string[] = [];
    const { rest } = client(server.httpUrl, failures);
    const ac = new AbortController();
    const p = rest.get('/x', 1, ac.signal);
    await new Promise((r) => setTimeout(r, 400));
    ac.abort(new Error('connection lost'));
    await expect(p).rejects.toThrow('connection lost');
    // 20, 40, 80, 160 ms (+0–50 %) → at most 5 requests in 400 ms.
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(hits.length).toBeLessThanOrEqual(5);
    const n = hits.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(hits.length).toBe(n);
  });
});
