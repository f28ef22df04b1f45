/**
 * KuCoin codes (REST `{"code":"…","msg":"…"}`) → the outcome the OMS acts on. Table and sources:
 * docs/execution.md (KuCoin). HTTP 429 and code 429000 wait for the pool's reset; 5xx and 500000
 * leave the request's fate unknown (query by clientOid). A code not in the table is
 * `unknown-status`: the order may be live.
 */
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionOutcome } from '../execution-outcome.ts';

const DEFAULT_BACKOFF_MS = 1000;
const HALT = new Set([400001, 400003, 400004, 400005, 400006, 400007, 411100]);

/** `code` as KuCoin sends it: a digit string ("400002"). Anything else reads as 0 (not in any table). */
export function kucoinCode(raw: unknown): number {
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
  return typeof raw === 'string' && /^[0-9]{1,9}$/.test(raw) ? Number(raw) : 0;
}

/**
 * @param resetInMs `gw-ratelimit-reset` of the response, for 429000
 */
export function kucoinOutcome(
  httpStatus: number,
  code: number,
  msg: string,
  resetInMs?: number,
): ExecutionOutcome {
  const message = msg;
  if (httpStatus === 429 || code === 429000) {
    const afterMs = resetInMs !== undefined && resetInMs > 0 ? resetInMs : DEFAULT_BACKOFF_MS;
    return { kind: 'retry', afterMs, code, message };
  }
  if (code === 400002) return { kind: 'resync-clock', code, message };
  if (HALT.has(code)) return { kind: 'halt', code, message };
  if (httpStatus >= 500 || code === 500000) return { kind: 'unknown-status', code, message };
  const reason = rejectReason(code, msg);
  if (reason) return { kind: 'reject', reason, code, message };
  return { kind: 'unknown-status', code, message };
}

function rejectReason(code: number, msg: string): RejectReason | undefined {
  switch (code) {
    case 200004:
      return 'insufficient_margin';
    case 400100:
      if (msg.includes('available.amount') || /insufficient/i.test(msg)) return 'insufficient_margin';
      if (/not exist/i.test(msg)) return 'unknown_order';
      return 'venue_rejected'; // parameter error
    case 600203:
      return 'unknown_instrument'; // pair not tradable
    case 200001: // order creation suspended for the pair
    case 200002: // cancel suspended
    case 200003: // too many orders
      // No closer word in the shared vocabulary: a venue-side refusal.
      return 'venue_rejected';
    default:
      return undefined;
  }
}
