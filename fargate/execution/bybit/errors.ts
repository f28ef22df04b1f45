/**
 * Bybit v5 retCodes (REST and the trade WebSocket) → the outcome the OMS acts on. Table and sources:
 * docs/execution.md (Bybit). HTTP status decides first: 403 is Bybit's IP limit ("access too
 * frequent", wait at least 10 minutes), 429 its system-level protection, 5xx leaves the request's
 * fate unknown. A retCode not in the table is `unknown-status`: the order may be live, so the OMS
 * queries by orderLinkId rather than forgetting it.
 */
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionOutcome } from '../execution-outcome.ts';

const IP_LIMIT_WAIT_MS = 10 * 60_000;
const DEFAULT_BACKOFF_MS = 1000;
/** "Order being processed": the previous request on this order is still in flight. */
const IN_FLIGHT_RETRY_MS = 200;

const HALT = new Set([10003, 10004, 10005, 10007, 10008, 10009, 10010, 10024, 10027]);
const UNKNOWN = new Set([10000, 10016, 110072, 170141, 20006]);
/** Rate limits: per-UID endpoint limit, IP limit, trade-WS per-IP / per-connection / per-session limits. */
const THROTTLED = new Set([10006, 10018, 10403, 10429, 20003]);
const IN_FLIGHT = new Set([110079, 40004]);

const REJECT = new Map<number, RejectReason>([
  [110001, 'unknown_order'], // order does not exist
  [170213, 'unknown_order'],
  [110008, 'unknown_order'], // order already finished or cancelled
  [110010, 'unknown_order'],
  [110003, 'fat_finger'], // price outside the venue's permitted band
  [30208, 'fat_finger'],
  [30209, 'fat_finger'],
  [110004, 'insufficient_margin'],
  [110006, 'insufficient_margin'],
  [110007, 'insufficient_margin'],
  [110012, 'insufficient_margin'],
  [110044, 'insufficient_margin'],
  [110045, 'insufficient_margin'],
  [170131, 'insufficient_margin'],
  [170218, 'post_only_cross'], // LIMIT-MAKER price would take
  [110063, 'amend_too_small'], // amend to a qty at or below what is filled
  [110094, 'min_notional'], // linear order value below the symbol's minimum
  [170134, 'tick'], // spot price has too many decimals
  [170136, 'min_size'], // spot qty below the lower limit
  [170137, 'lot'], // spot qty has too many decimals
  [170140, 'min_notional'], // spot order value below the lower limit
]);

/**
 * @param resetInMs time until the endpoint's window resets (X-Bapi-Limit-Reset-Timestamp − now), for 10006
 */
export function bybitOutcome(
  httpStatus: number,
  retCode: number,
  retMsg: string,
  resetInMs?: number,
): ExecutionOutcome {
  const code = retCode;
  const message = retMsg;
  if (httpStatus === 403) return { kind: 'retry', afterMs: IP_LIMIT_WAIT_MS, code, message };
  if (httpStatus === 429) return { kind: 'retry', afterMs: DEFAULT_BACKOFF_MS, code, message };
  if (httpStatus >= 500) return { kind: 'unknown-status', code, message };
  if (retCode === 10002) return { kind: 'resync-clock', code, message };
  if (HALT.has(retCode)) return { kind: 'halt', code, message };
  if (THROTTLED.has(retCode)) {
    const afterMs = resetInMs !== undefined && resetInMs > 0 ? resetInMs : DEFAULT_BACKOFF_MS;
    return { kind: 'retry', afterMs, code, message };
  }
  if (retCode === 10019) return { kind: 'retry', afterMs: DEFAULT_BACKOFF_MS, code, message }; // trade WS restarting: reconnect
  if (IN_FLIGHT.has(retCode)) return { kind: 'retry', afterMs: IN_FLIGHT_RETRY_MS, code, message };
  if (UNKNOWN.has(retCode)) return { kind: 'unknown-status', code, message };
  const reason = REJECT.get(retCode) ?? otherReject(retCode, retMsg);
  if (reason) return { kind: 'reject', reason, code, message };
  return { kind: 'unknown-status', code, message };
}

function otherReject(retCode: number, retMsg: string): RejectReason | undefined {
  switch (retCode) {
    case 110017:
      // The code's wording changed between doc versions: "qty truncated to zero" vs "ReduceOnly rule".
      return /truncat|zero/i.test(retMsg) ? 'lot' : 'venue_rejected';
    case 10001: // parameter error (bug or rounding)
    case 110009: // too many stop orders
    case 110020: // more than 500 active orders
    case 170217: // pair accepts LIMIT-MAKER only
      // No closer word in the shared vocabulary: a venue-side refusal.
      return 'venue_rejected';
    default:
      return undefined;
  }
}
