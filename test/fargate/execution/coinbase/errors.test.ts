import { describe, expect, it } from 'vitest';
import { coinbaseOutcome } from '../../../../fargate/execution/coinbase/errors.ts';

describe('coinbaseOutcome', () => {
  it('maps create failures to typed rejects, the most specific reason first', () => {
    expect(
      coinbaseOutcome(200, ['INSUFFICIENT_FUND', 'PREVIEW_INSUFFICIENT_FUND', 'UNKNOWN_FAILURE_REASON']),
    ).toEqual({
      kind: 'reject',
      reason: 'insufficient_margin',
      code: 200,
      message: 'INSUFFICIENT_FUND; PREVIEW_INSUFFICIENT_FUND; UNKNOWN_FAILURE_REASON',
    });
    expect(coinbaseOutcome(200, [undefined, 'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY'])).toMatchObject({
      reason: 'post_only_cross',
    });
    expect(coinbaseOutcome(200, ['INVALID_PRICE_PRECISION'])).toMatchObject({ reason: 'tick' });
    expect(coinbaseOutcome(200, ['INVALID_SIZE_PRECISION'])).toMatchObject({ reason: 'lot' });
    expect(coinbaseOutcome(200, ['PREVIEW_INVALID_BASE_SIZE_TOO_SMALL'])).toMatchObject({
      reason: 'min_size',
    });
    expect(coinbaseOutcome(200, ['INVALID_PRODUCT_ID'])).toMatchObject({ reason: 'unknown_instrument' });
    expect(coinbaseOutcome(200, ['UNKNOWN_CANCEL_ORDER'])).toMatchObject({ reason: 'unknown_order' });
  });

  it('queries rather than forgets when the failure is not understood', () => {
    expect(coinbaseOutcome(200, ['DUPLICATE_CLIENT_ORDER_ID']).kind).toBe('unknown-status');
    expect(coinbaseOutcome(200, ['SOMETHING_NEW']).kind).toBe('unknown-status');
    expect(coinbaseOutcome(200, []).kind).toBe('unknown-status');
    expect(coinbaseOutcome(503, ['INSUFFICIENT_FUND']).kind).toBe('unknown-status');
  });

  it('resyncs the clock on 401, halts on 403, waits for the reset on 429', () => {
    expect(coinbaseOutcome(401, [])).toEqual({ kind: 'resync-clock', code: 401, message: 'Unauthorized' });
    expect(coinbaseOutcome(403, ['PERMISSION_DENIED']).kind).toBe('halt');
    expect(coinbaseOutcome(429, [], 700)).toMatchObject({ kind: 'retry', afterMs: 700 });
    expect(coinbaseOutcome(429, [])).toMatchObject({ kind: 'retry', afterMs: 1000 });
  });
});
