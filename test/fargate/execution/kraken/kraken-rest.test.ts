import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';
import { KrakenRest, krakenCallCost } from '../../../../fargate/execution/kraken/kraken-rest.ts';
import { KrakenNonce } from '../../../../fargate/execution/kraken/nonce.ts';
import {
  createKrakenSigner,
  decodeKrakenSecret,
  krakenSignature,
} from '../../../../fargate/execution/kraken/sign.ts';
import { SecretRedactor } from '../../../../fargate/execution/redact-secrets.ts';
import { WeightedLimiter } from '../../../../fargate/rate-limit/weighted-limiter.ts';
import { venueRefusal } from '../../helpers/venue-refusal.ts';

const SECRET = Buffer.alloc(64, 9).toString('base64');
const KEY = 'kraken-test-key-0001';

function setUp(answers: Array<() => unknown>) {
  const clock = new ManualClock(0);
  const limiter = new WeightedLimiter({ limit: 100, windowMs: 60_000, burstFraction: 0.5 }, clock);
  const redactor = new SecretRedactor();
  redactor.addSecret(KEY);
  redactor.addSecret(SECRET);
  const bodies: string[] = [];
  const signs: string[] = [];
  const logs: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    bodies.push(String(init.body));
    const h = init.headers as Record<string, string>;
    expect(h['API-Key']).toBe(KEY);
    signs.push(h['API-Sign']!);
    // The signature covers the exact path and body sent.
    const path = new URL(url).pathname;
    const nonce = new URLSearchParams(String(init.body)).get('nonce')!;
    expect(h['API-Sign']).toBe(krakenSignature(decodeKrakenSecret(SECRET), path, nonce, String(init.body)));
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return new Response(JSON.stringify(next()), { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  let wall = 1_700_000_000_000;
  const rest = new KrakenRest({
    baseUrl: 'http://venue',
    apiKey: KEY,
    signer: createKrakenSigner(SECRET),
    nonce: new KrakenNonce(() => wall),
    limiter,
    redactor,
    wallNowMs: () => wall,
    fetch,
    log: (l) => logs.push(l),
  });
  return { rest, bodies, signs, logs, limiter, advanceWall: (ms: number) => (wall += ms) };
}

describe('KrakenRest', () => {
  it('sends nonce first in a form body and resolves with the result', async () => {
    const { rest, bodies } = setUp([() => ({ error: [], result: { txid: ['OABC'] } })]);
    expect(await rest.call('AddOrder', { pair: 'XBTUSD', type: 'buy' })).toEqual({ txid: ['OABC'] });
    expect(bodies[0]).toMatch(/^nonce=\d+&pair=XBTUSD&type=buy$/);
  });

  it('EAPI:Invalid nonce is sent once more with a higher nonce; a second refusal surfaces', async () => {
    const { rest, bodies } = setUp([
      () => ({ error: ['EAPI:Invalid nonce'] }),
      () => ({ error: [], result: { count: 1 } }),
      () => ({ error: ['EAPI:Invalid nonce'] }),
      () => ({ error: ['EAPI:Invalid nonce'] }),
    ]);
    expect(await rest.call('CancelAll', {})).toEqual({ count: 1 });
    const nonces = bodies.map((b) => Number(new URLSearchParams(b).get('nonce')));
    expect(nonces[1]).toBeGreaterThan(nonces[0]!);
    expect(rest.stats.nonceRetries).toBe(1);
    await expect(rest.call('CancelAll', {})).rejects.toBeInstanceOf(VenueRequestError);
    expect(bodies).toHaveLength(4);
  });

  it("maps Kraken's error strings to outcomes, with the throttle's unix time turned into a wait", async () => {
    const { rest } = setUp([
      () => ({ error: ['EAPI:Invalid signature'] }),
      () => ({ error: ['EOrder:Insufficient funds'] }),
      () => ({ error: ['EService: Throttled: 1700000005'] }),
    ]);
    const outcome = async () => {
      try {
        await rest.call('AddOrder', {});
      } catch (e) {
        return (e as VenueRequestError).outcome;
      }
      throw new Error('expected a refusal');
    };
    expect(await outcome()).toMatchObject({ kind: 'halt', message: 'EAPI:Invalid signature' });
    expect(await outcome()).toMatchObject({ kind: 'reject', reason: 'insufficient_margin' });
    expect(await outcome()).toMatchObject({ kind: 'retry', afterMs: 5000 });
  });

  it('an error that echoes the key or the signature reaches no log line or message unmasked', async () => {
    const { rest, signs, logs } = setUp([() => ({ error: [`EGeneral:Invalid arguments:${KEY}`] })]);
    const error = await venueRefusal(rest.call('OpenOrders', {}));
    expect(error.message).not.toContain(KEY);
    expect(logs.join('\n')).not.toContain(KEY);
    for (const s of signs) expect(logs.join('\n')).not.toContain(s);
  });

  it('trading calls cost nothing on the REST call counter; history queries cost 2', () => {
    expect(krakenCallCost('AddOrder')).toBe(0);
    expect(krakenCallCost('CancelOrder')).toBe(0);
    expect(krakenCallCost('TradesHistory')).toBe(2);
    expect(krakenCallCost('OpenOrders')).toBe(1);
  });
});
