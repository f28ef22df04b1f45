/**
 * Kraken error strings (`{"error":["EOrder:Insufficient funds"],…}`) → the outcome the OMS acts on.
 * Table and sources: docs/execution.md (Kraken). Kraken's errors carry no number: the outcome's
 * `code` is the HTTP status and its `message` the venue's string. Matching ignores whitespace and
 * anything after the known prefix (`EService: Throttled: 1700000000`, `EGeneral:Invalid
 * arguments:volume`). A string not in the table is `unknown-status`: the order may be live.
 */
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionOutcome } from '../execution-outcome.ts';

const DEFAULT_BACKOFF_MS = 1000;
/** The REST call counter decays ~0.33–1 per second: a few seconds clears a breach. */
const CALL_COUNTER_BACKOFF_MS = 3000;

type Rule =
  | { readonly kind: 'halt' | 'resync-clock' | 'unknown-status' }
  | { readonly kind: 'retry'; readonly afterMs: number }
  | { readonly kind: 'reject'; readonly reason: RejectReason };

/** Keys are the error strings without whitespace. */
const RULES = new Map<string, Rule>([
  // A stale nonce: take a fresh one from the key's counter and send again.
  ['EAPI:Invalidnonce', { kind: 'retry', afterMs: 0 }],
  ['EAPI:Invalidkey', { kind: 'halt' }],
  ['EAPI:Invalidsignature', { kind: 'halt' }],
  ['EGeneral:Permissiondenied', { kind: 'halt' }],
  ['EGeneral:Temporarylockout', { kind: 'halt' }],
  ['EAPI:Featuredisabled', { kind: 'halt' }],
  ['EAPI:Ratelimitexceeded', { kind: 'retry', afterMs: CALL_COUNTER_BACKOFF_MS }],
  ['EOrder:Ratelimitexceeded', { kind: 'retry', afterMs: CALL_COUNTER_BACKOFF_MS }],
  ['EService:Throttled', { kind: 'retry', afterMs: DEFAULT_BACKOFF_MS }],
  ['EService:Unavailable', { kind: 'unknown-status' }],
  ['EService:Busy', { kind: 'unknown-status' }],
  ['EService:Deadlineelapsed', { kind: 'unknown-status' }],
  ['EGeneral:Internalerror', { kind: 'unknown-status' }],
  ['EOrder:Insufficientfunds', { kind: 'reject', reason: 'insufficient_margin' }],
  ['EOrder:Insufficientmargin', { kind: 'reject', reason: 'insufficient_margin' }],
  ['EOrder:Unknownorder', { kind: 'reject', reason: 'unknown_order' }],
  ['EOrder:Orderminimumnotmet', { kind: 'reject', reason: 'min_size' }],
  ['EOrder:Costminimumnotmet', { kind: 'reject', reason: 'min_notional' }],
  ['EOrder:Ticksizecheckfailed', { kind: 'reject', reason: 'tick' }],
  ['EOrder:Invalidprice', { kind: 'reject', reason: 'invalid_price' }],
  ['EOrder:Postonlyorder', { kind: 'reject', reason: 'post_only_cross' }],
  ['EQuery:Unknownassetpair', { kind: 'reject', reason: 'unknown_instrument' }],
  // No closer word in the shared vocabulary: a venue-side refusal (bug, limit or market state).
  ['EGeneral:Invalidarguments', { kind: 'reject', reason: 'venue_rejected' }],
  ['EOrder:Orderslimitexceeded', { kind: 'reject', reason: 'venue_rejected' }],
  ['EOrder:Positionslimitexceeded', { kind: 'reject', reason: 'venue_rejected' }],
  ['EService:Marketincancel_onlymode', { kind: 'reject', reason: 'venue_rejected' }],
  ['EService:Marketinpost_onlymode', { kind: 'reject', reason: 'venue_rejected' }],
]);

/** The rule key of an error string: whitespace removed, cut after the longest known prefix. */
function ruleOf(error: string): Rule | undefined {
  const compact = error.replace(/\s+/g, '');
  const exact = RULES.get(compact);
  if (exact) return exact;
  // `Category:Message:detail` — try `Category:Message`.
  const second = compact.indexOf(':', compact.indexOf(':') + 1);
  return second > 0 ? RULES.get(compact.slice(0, second)) : undefined;
}

/** Seconds since the epoch at the end of `EService: Throttled: 1700000000`, as wall ms. */
function throttledUntilMs(error: string): number | undefined {
  const m = /Throttled:\s*([0-9]{9,11})\s*$/.exec(error);
  return m ? Number(m[1]) * 1000 : undefined;
}

/**
 * @param errors the response's `error` array (its first entry decides)
 * @param wallNowMs wall clock, to turn `EService: Throttled: <unix time>` into a wait
 */
export function krakenOutcome(
  httpStatus: number,
  errors: readonly string[],
  wallNowMs?: number,
): ExecutionOutcome {
  const code = httpStatus;
  const message = errors.join('; ');
  if (httpStatus === 429) return { kind: 'retry', afterMs: DEFAULT_BACKOFF_MS, code, message };
  const first = errors[0];
  const rule = first === undefined ? undefined : ruleOf(first);
  if (!rule) return { kind: 'unknown-status', code, message };
  switch (rule.kind) {
    case 'reject':
      return { kind: 'reject', reason: rule.reason, code, message };
    case 'retry': {
      const until = first === undefined ? undefined : throttledUntilMs(first);
      const afterMs =
        until !== undefined && wallNowMs !== undefined
          ? Math.max(rule.afterMs, until - wallNowMs)
          : rule.afterMs;
      return { kind: 'retry', afterMs, code, message };
    }
    default:
      return { kind: rule.kind, code, message };
  }
}
