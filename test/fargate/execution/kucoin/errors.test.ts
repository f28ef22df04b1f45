import { describe, expect, it } from 'vitest';
import { kucoinCode, kucoinOutcome } from '../../../../fargate/execution/kucoin/errors.ts';

describe('kucoinOutcome', () => {
  it.each([
    [401, 400002, 'resync-clock'],
    [401, 400001, 'halt'],
    [401, 400003, 'halt'],
    [401, 400004, 'halt'],
    [401, 400005, 'halt'],
    [401, 400006, 'halt'],
    [400, 411100, 'halt'],
    [429, 429000, 'retry'],
    [500, 500000, 'unknown-status'],
    [200, 123456, 'unknown-status'],
  ] as const)('HTTP %i code %i → %s', (status, code, kind) => {
    expect(kucoinOutcome(status, code, 'msg').kind).toBe(kind);
  });

  it('gives rejects their typed reason', () => {
    expect(kucoinOutcome(200, 200004, 'Balance insufficient!')).toEqual({
      kind: 'reject',
      reason: 'insufficient_margin',
      code: 200004,
      message: 'Balance insufficient!',
    });
    expect(kucoinOutcome(400, 400100, 'account.available.amount')).toMatchObject({
      reason: 'insufficient_margin',
    });
    expect(kucoinOutcome(400, 400100, 'The order does not exist.')).toMatchObject({
      reason: 'unknown_order',
    });
    expect(kucoinOutcome(400, 400100, 'Parameter error')).toMatchObject({
      kind: 'reject',
      reason: 'venue_rejected',
    });
    expect(kucoinOutcome(200, 600203, 'Symbol cannot be traded')).toMatchObject({
      reason: 'unknown_instrument',
    });
  });

  it('waits for the pool reset on 429000', () => {
    expect(kucoinOutcome(429, 429000, 'Too Many Requests', 12_000)).toMatchObject({
      kind: 'retry',
      afterMs: 12_000,
    });
    expect(kucoinOutcome(200, 429000, 'Too Many Requests')).toMatchObject({ kind: 'retry', afterMs: 1000 });
  });

  it('reads the code as KuCoin sends it (a digit string)', () => {
    expect(kucoinCode('400002')).toBe(400002);
    expect(kucoinCode(200000)).toBe(200000);
    expect(kucoinCode('40x')).toBe(0);
    expect(kucoinCode(undefined)).toBe(0);
  });
});
