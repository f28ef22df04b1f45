/**
 * Coinbase Advanced Trade failures → the outcome the OMS acts on. Create answers
 * `{success:false, error_response:{error, message, preview_failure_reason, new_order_failure_reason}}`
 * and cancels `{results:[{success:false, failure_reason}]}`; auth and transport failures are HTTP
 * statuses. Enum names as in Coinbase's SDK (coinbase-advanced-py). Coinbase's failures carry no
 * number: the outcome's `code` is the HTTP status and its `message` the venue's reason string.
 *
 * HTTP 401 is `resync-clock`: Coinbase answers a bad key, a bad signature and a JWT outside its
 * nbf/exp window alike, and only the window is curable: resync-clock means resync and retry once,
 * so a key that is really bad fails that one retry too. 403 (key lacks the permission) halts.
 */
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionOutcome } from '../execution-outcome.ts';

const DEFAULT_BACKOFF_MS = 1000;

const REJECT = new Map<string, RejectReason>([
  ['INSUFFICIENT_FUND', 'insufficient_margin'],
  ['INSUFFICIENT_FUNDS', 'insufficient_margin'],
  ['PREVIEW_INSUFFICIENT_FUND', 'insufficient_margin'],
  ['INVALID_LEDGER_BALANCE', 'insufficient_margin'],
  ['INVALID_LIMIT_PRICE_POST_ONLY', 'post_only_cross'],
  ['PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY', 'post_only_cross'],
  ['INVALID_SIZE_PRECISION', 'lot'],
  ['PREVIEW_INVALID_SIZE_PRECISION', 'lot'],
  ['INVALID_PRICE_PRECISION', 'tick'],
  ['PREVIEW_INVALID_PRICE_PRECISION', 'tick'],
  ['INVALID_LIMIT_PRICE', 'invalid_price'],
  ['PREVIEW_INVALID_LIMIT_PRICE', 'invalid_price'],
  ['PREVIEW_INVALID_BASE_SIZE_TOO_SMALL', 'min_size'],
  ['PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL', 'min_notional'],
  ['PREVIEW_INVALID_BASE_SIZE_TOO_LARGE', 'max_order_size'],
  ['PREVIEW_INVALID_QUOTE_SIZE_TOO_LARGE', 'max_order_size'],
  ['INVALID_NO_LIQUIDITY', 'no_liquidity'],
  ['INVALID_PRODUCT_ID', 'unknown_instrument'],
  ['PREVIEW_INVALID_PRODUCT_ID', 'unknown_instrument'],
  ['INELIGIBLE_PAIR', 'unknown_instrument'],
  ['UNTRADABLE_PRODUCT', 'unknown_instrument'],
  ['UNKNOWN_CANCEL_ORDER', 'unknown_order'],
  // No closer word in the shared vocabulary: a venue-side refusal.
  ['UNSUPPORTED_ORDER_CONFIGURATION', 'venue_rejected'],
  ['INVALID_SIDE', 'venue_rejected'],
  ['ORDER_ENTRY_DISABLED', 'venue_rejected'],
  ['INVALID_REQUEST', 'venue_rejected'],
  ['COMMANDER_REJECTED_NEW_ORDER', 'venue_rejected'],
  ['INVALID_CANCEL_REQUEST', 'venue_rejected'],
  ['COMMANDER_REJECTED_CANCEL_ORDER', 'venue_rejected'],
]);

/** The client id is already taken: the order may be ours and live — query it. */
const UNKNOWN = new Set([
  'DUPLICATE_CLIENT_ORDER_ID',
  'UNKNOWN_FAILURE_REASON',
  'UNKNOWN_CANCEL_FAILURE_REASON',
]);

/**
 * @param reasons the failure strings of the answer, most specific first
 *   (new_order_failure_reason, preview_failure_reason, error; or a cancel's failure_reason)
 * @param resetInMs from the rate-limit headers, for 429
 */
export function coinbaseOutcome(
  httpStatus: number,
  reasons: readonly (string | undefined)[],
  resetInMs?: number,
): ExecutionOutcome {
  const code = httpStatus;
  const known = reasons.filter((r): r is string => typeof r === 'string' && r.length > 0);
  const message = known.join('; ');
  if (httpStatus === 401) return { kind: 'resync-clock', code, message: message || 'Unauthorized' };
  if (httpStatus === 403) return { kind: 'halt', code, message };
  if (httpStatus === 429) {
    const afterMs = resetInMs !== undefined && resetInMs > 0 ? resetInMs : DEFAULT_BACKOFF_MS;
    return { kind: 'retry', afterMs, code, message };
  }
  if (httpStatus >= 500) return { kind: 'unknown-status', code, message };
  for (const r of known) {
    const reason = REJECT.get(r);
    if (reason) return { kind: 'reject', reason, code, message };
    if (UNKNOWN.has(r)) return { kind: 'unknown-status', code, message };
  }
  return { kind: 'unknown-status', code, message };
}
