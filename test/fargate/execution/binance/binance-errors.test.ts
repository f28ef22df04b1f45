import { describe, expect, it } from 'vitest';
import { binanceOutcome } from '../../../../fargate/execution/binance/binance-errors.ts';

describe('Binance error → outcome', () => {
  it.each([
    [400, -1021, 'Timestamp for this request is outside of the recvWindow.', 'resync-clock'],
    [400, -5028, 'Timestamp for this request is outside of the ME recvWindow.', 'resync-clock'],
    [400, -1022, 'Signature for this request is not valid.', 'halt'],
    [401, -2014, 'API-key format invalid.', 'halt'],
    [401, -2015, 'Invalid API-key, IP, or permissions for action.', 'halt'],
    [418, -1003, 'Way too many requests; IP banned', 'halt'],
    [429, -1003, 'Too many requests', 'retry'],
    [400, -1008, 'Server is currently overloaded', 'retry'],
    [
      400,
      -1007,
      'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
      'unknown-status',
    ],
    [503, 0, 'Unknown error, please check your request or try again later.', 'unknown-status'],
    [503, 0, 'Service Unavailable.', 'retry'],
    [408, 0, '', 'unknown-status'],
    [400, -1013, 'Filter failure: LOT_SIZE', 'reject'],
  ])('HTTP %i code %i → %s', (status, code, msg, kind) => {
    expect(binanceOutcome(status, code, msg).kind).toBe(kind);
  });

  it.each([
    [-1013, 'Filter failure: PRICE_FILTER', 'tick'],
    [-1013, 'Filter failure: LOT_SIZE', 'lot'],
    [-1013, 'Filter failure: NOTIONAL', 'min_notional'],
    [-2010, 'Order would immediately match and take.', 'post_only_cross'],
    [-2010, 'Account has insufficient balance for requested action.', 'insufficient_margin'],
    [
      -5022,
      'Due to the order could not be executed as maker, the Post Only order will be rejected.',
      'post_only_cross',
    ],
    [-2019, 'Margin is insufficient.', 'insufficient_margin'],
    [-2011, 'Unknown order sent.', 'unknown_order'],
    [-1121, 'Invalid symbol.', 'unknown_instrument'],
  ])('reject %i %s → %s', (code, msg, reason) => {
    const o = binanceOutcome(400, code, msg);
    expect(o).toMatchObject({ kind: 'reject', reason, code });
  });
});
