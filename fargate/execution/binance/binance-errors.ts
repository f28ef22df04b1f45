/**
 * Binance error codes (spot and USD-M) → the outcome the OMS acts on. Table and sources:
 * docs/execution.md (Binance). HTTP status decides first: 429/418 throttle, 5xx "status unknown"
 * except the USD-M 503 bodies that say the request failed.
 */
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionOutcome } from '../execution-outcome.ts';

const RESYNC = new Set([-1021, -5028]);
const HALT = new Set([-1022, -2014, -2015]);
const UNKNOWN = new Set([-1006, -1007]);
const RETRY = new Set([-1008, -1003, -1015]);

export function binanceOutcome(httpStatus: number, code: number, message: string): ExecutionOutcome {
  if (httpStatus === 418) return { kind: 'halt', code, message };
  if (httpStatus === 429) return { kind: 'retry', afterMs: 1000, code, message };
  if (RESYNC.has(code)) return { kind: 'resync-clock', code, message };
  if (HALT.has(code)) return { kind: 'halt', code, message };
  if (UNKNOWN.has(code)) return { kind: 'unknown-status', code, message };
  if (RETRY.has(code)) return { kind: 'retry', afterMs: 1000, code, message };
  if (httpStatus >= 500) {
    // USD-M 503 bodies: these two say the request did not execute.
    if (message.startsWith('Service Unavailable') || message.startsWith('Internal error'))
      return { kind: 'retry', afterMs: 1000, code, message };
    return { kind: 'unknown-status', code, message };
  }
  if (httpStatus === 408) return { kind: 'unknown-status', code, message };
  return { kind: 'reject', reason: rejectReason(code, message), code, message };
}

function rejectReason(code: number, message: string): RejectReason {
  switch (code) {
    case -1013:
      if (message.includes('PRICE_FILTER')) return 'tick';
      if (message.includes('LOT_SIZE')) return 'lot';
      if (message.includes('NOTIONAL')) return 'min_notional';
      return 'invalid_size';
    case -2010:
      if (message.includes('immediately match')) return 'post_only_cross';
      if (message.includes('insufficient balance')) return 'insufficient_margin';
      return 'venue_rejected';
    case -5022:
      return 'post_only_cross';
    case -2018:
    case -2019:
      return 'insufficient_margin';
    case -4164:
      return 'min_notional';
    case -2011:
    case -2013:
      return 'unknown_order';
    case -1121:
      return 'unknown_instrument';
    default:
      // No closer word in the shared vocabulary: a venue-side refusal.
      return 'venue_rejected';
  }
}
