/**
 * The simulator's Bybit refusals: retCode and retMsg per category, as Bybit answers them (HTTP 200
 * with a retCode body). Codes per docs/execution.md (Bybit error table); the retMsg texts follow
 * what Bybit's API returns where we have seen it, otherwise the error page's wording.
 */
import type { RejectReason } from '../../../../core/strategy/reject-reason.ts';

export type BybitCategory = 'linear' | 'spot';

export class BybitRefusal {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const paramError = (what: string): BybitRefusal => new BybitRefusal(10001, `params error: ${what}`);

export const TOO_MANY_VISITS = 'Too many visits!';

export function insufficientBalance(category: BybitCategory): BybitRefusal {
  return category === 'linear'
    ? new BybitRefusal(110007, 'ab not enough for new order')
    : new BybitRefusal(170131, 'Insufficient balance.');
}

export function unknownOrder(category: BybitCategory, action: 'cancel' | 'replace'): BybitRefusal {
  return category === 'linear'
    ? new BybitRefusal(110001, `order not exists or too late to ${action}`)
    : new BybitRefusal(170213, 'Order does not exist.');
}

export function duplicateLinkId(category: BybitCategory): BybitRefusal {
  return category === 'linear'
    ? new BybitRefusal(110072, 'OrderLinkedID is duplicate')
    : new BybitRefusal(170141, 'Duplicate clientOrderId');
}

export const REDUCE_ONLY_REFUSED = new BybitRefusal(110017, 'Reduce-only rule not satisfied');

/** A pre-trade filter failure (qty step, tick, minimums) or a matching refusal of a request. */
export function filterRefusal(category: BybitCategory, reason: RejectReason): BybitRefusal {
  const linear = category === 'linear';
  switch (reason) {
    case 'tick':
    case 'invalid_price':
      return linear
        ? paramError('price does not match the tick size')
        : new BybitRefusal(170134, 'Order price has too many decimals.');
    case 'lot':
    case 'invalid_size':
      return linear
        ? new BybitRefusal(110017, 'orderQty will be truncated to zero')
        : new BybitRefusal(170137, 'Order quantity has too many decimals.');
    case 'min_size':
      return linear
        ? paramError('The number of contracts exceeds minimum limit allowed')
        : new BybitRefusal(170136, 'Order quantity exceeded lower limit.');
    case 'min_notional':
      return linear
        ? new BybitRefusal(110094, 'Order does not meet minimum order value')
        : new BybitRefusal(170140, 'Order value exceeded lower limit.');
    case 'unknown_order':
      return unknownOrder(category, 'replace');
    case 'post_only_cross':
      return linear
        ? paramError('PostOnly amend would take liquidity')
        : new BybitRefusal(170218, 'The LIMIT-MAKER order is rejected due to invalid price.');
    default:
      return paramError(reason);
  }
}
