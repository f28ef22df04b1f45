import { describe, expect, it } from 'vitest';
import type { BybitRest } from '../../../../fargate/execution/bybit/bybit-rest.ts';
import { BybitDisconnectCancel, DCP_PATH } from '../../../../fargate/execution/bybit/disconnect-cancel.ts';
import { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';

function rest(refuse: ReadonlySet<string> = new Set()) {
  const calls: Array<{ path: string; body: Record<string, unknown> }> = [];
  const r = {
    signed: async (_m: string, path: string, body: Record<string, unknown>) => {
      calls.push({ path, body });
      if (refuse.has(String(body.product)))
        throw new VenueRequestError(
          { kind: 'reject', reason: 'venue_rejected', code: 10001, message: 'no DCP' },
          200,
        );
      return {};
    },
  } as unknown as BybitRest;
  return { r, calls };
}

describe('BybitDisconnectCancel', () => {
  it('sets the window once per product and returns the dcp topics to keep subscribed', async () => {
    const { r, calls } = rest();
    const dcp = new BybitDisconnectCancel(r, 15);
    expect(await dcp.arm(['linear', 'spot', 'linear'])).toEqual(['dcp.future', 'dcp.spot']);
    expect(calls).toEqual([
      { path: DCP_PATH, body: { product: 'DERIVATIVES', timeWindow: 15 } },
      { path: DCP_PATH, body: { product: 'SPOT', timeWindow: 15 } },
    ]);
    expect(dcp.arms).toBe(2);
  });

  it('a refused product is counted and reported, and its topic is not subscribed', async () => {
    const { r } = rest(new Set(['SPOT']));
    const errors: string[] = [];
    const dcp = new BybitDisconnectCancel(r, 10, (product) => errors.push(product));
    expect(await dcp.arm(['linear', 'spot'])).toEqual(['dcp.future']);
    expect([dcp.failures, errors]).toEqual([1, ['SPOT']]);
  });

  it('refuses a window outside Bybit’s 3–300 whole seconds', () => {
    const { r } = rest();
    for (const w of [2, 301, 5.5]) expect(() => new BybitDisconnectCancel(r, w)).toThrow(RangeError);
  });
});
