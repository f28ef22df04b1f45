import { describe, expect, it } from 'vitest';
import { bybitOutcome } from '../../../../fargate/execution/bybit/errors.ts';

describe('bybitOutcome', () => {
  it.each([
    [10002, 'resync-clock'],
    [10003, 'halt'],
    [10004, 'halt'],
    [10005, 'halt'],
    [10010, 'halt'],
    [10027, 'halt'],
    [10006, 'retry'],
    [10000, 'unknown-status'],
    [10016, 'unknown-status'],
    [110072, 'unknown-status'],
    [110079, 'retry'],
    [110001, 'reject'],
    [10001, 'reject'],
    [999999, 'unknown-status'],
  ] as const)('retCode %i → %s', (retCode, kind) => {
    expect(bybitOutcome(200, retCode, 'msg').kind).toBe(kind);
  });

  it('gives rejects their typed reason and keeps the venue code and message', () => {
    expect(bybitOutcome(200, 110007, 'Insufficient available balance')).toEqual({
      kind: 'reject',
      reason: 'insufficient_margin',
      code: 110007,
      message: 'Insufficient available balance',
    });
    expect(bybitOutcome(200, 110001, 'Order does not exist')).toMatchObject({ reason: 'unknown_order' });
    expect(bybitOutcome(200, 110003, 'Order price is out of permissible range')).toMatchObject({
      reason: 'fat_finger',
    });
    expect(bybitOutcome(200, 170218, 'LIMIT-MAKER order rejected')).toMatchObject({
      reason: 'post_only_cross',
    });
    expect(bybitOutcome(200, 110017, 'orderQty will be truncated to zero')).toMatchObject({ reason: 'lot' });
    expect(bybitOutcome(200, 110017, 'Reduce-only rule not satisfied')).toMatchObject({
      reason: 'venue_rejected',
    });
  });

  it('names the qty/price filter failures of linear and spot', () => {
    const reasons = [110094, 170134, 170136, 170137, 170140].map((c) => {
      const o = bybitOutcome(200, c, 'filter');
      return o.kind === 'reject' ? o.reason : o.kind;
    });
    expect(reasons).toEqual(['min_notional', 'tick', 'min_size', 'lot', 'min_notional']);
  });

  it('waits for the window reset on 10006, 10 minutes on HTTP 403, and leaves 5xx unknown', () => {
    expect(bybitOutcome(200, 10006, 'Too many visits!', 420)).toMatchObject({ kind: 'retry', afterMs: 420 });
    expect(bybitOutcome(200, 10006, 'Too many visits!')).toMatchObject({ kind: 'retry', afterMs: 1000 });
    expect(bybitOutcome(403, 0, 'access too frequent')).toMatchObject({ kind: 'retry', afterMs: 600_000 });
    expect(bybitOutcome(502, 0, '')).toMatchObject({ kind: 'unknown-status' });
  });
});
