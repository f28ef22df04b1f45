import { describe, expect, it } from 'vitest';
import { krakenOutcome } from '../../../../fargate/execution/kraken/errors.ts';

describe('krakenOutcome', () => {
  it.each([
    [['EAPI:Invalid key'], 'halt'],
    [['EAPI:Invalid signature'], 'halt'],
    [['EGeneral:Permission denied'], 'halt'],
    [['EGeneral:Temporary lockout'], 'halt'],
    [['EAPI:Invalid nonce'], 'retry'],
    [['EAPI:Rate limit exceeded'], 'retry'],
    [['EOrder:Rate limit exceeded'], 'retry'],
    [['EService:Unavailable'], 'unknown-status'],
    [['EService:Busy'], 'unknown-status'],
    [['ESomething:Never seen'], 'unknown-status'],
    [[], 'unknown-status'],
  ] as const)('%j → %s', (errors, kind) => {
    expect(krakenOutcome(200, errors).kind).toBe(kind);
  });

  it('maps order refusals to typed reasons, ignoring detail after the known prefix', () => {
    expect(krakenOutcome(200, ['EOrder:Insufficient funds'])).toEqual({
      kind: 'reject',
      reason: 'insufficient_margin',
      code: 200,
      message: 'EOrder:Insufficient funds',
    });
    expect(krakenOutcome(200, ['EOrder:Unknown order'])).toMatchObject({ reason: 'unknown_order' });
    expect(krakenOutcome(200, ['EQuery:Unknown asset pair'])).toMatchObject({ reason: 'unknown_instrument' });
    expect(krakenOutcome(200, ['EGeneral:Invalid arguments:volume'])).toMatchObject({
      kind: 'reject',
      reason: 'venue_rejected',
    });
    expect(krakenOutcome(200, ['EOrder:Order minimum not met'])).toMatchObject({ reason: 'min_size' });
  });

  it('waits until the time in "EService: Throttled: <unix time>"', () => {
    const now = 1_700_000_000_000;
    expect(krakenOutcome(200, ['EService: Throttled: 1700000005'], now)).toMatchObject({
      kind: 'retry',
      afterMs: 5000,
    });
    expect(krakenOutcome(200, ['EService: Throttled: 1700000005'])).toMatchObject({
      kind: 'retry',
      afterMs: 1000,
    });
  });

  it('treats HTTP 429 as a throttle whatever the body', () => {
    expect(krakenOutcome(429, ['EOrder:Insufficient funds'])).toMatchObject({ kind: 'retry' });
  });
});
