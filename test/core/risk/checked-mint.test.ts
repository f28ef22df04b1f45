import { describe, expect, it } from 'vitest';
import { CheckedOrder, claimCheckedMint } from '../../../core/risk/order-check.ts';
import { RiskGate } from '../../../core/risk/risk-gate.ts';
import { order } from './support/risk-fixtures.ts';

describe('who can make a CheckedOrder', () => {
  it('the gate claimed the mint at load: no later claim gets it', () => {
    expect(RiskGate).toBeDefined();
    expect(claimCheckedMint()).toBeUndefined();
  });

  it('the constructor refuses any token but the module-private one', () => {
    const Ctor = CheckedOrder as unknown as new (token: symbol, request: unknown) => CheckedOrder;
    expect(() => new Ctor(Symbol('checked'), order())).toThrow(/pre-trade checks only/);
  });
});
