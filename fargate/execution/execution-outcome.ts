/**
 * What a venue's answer to an order request means for the OMS, whatever the venue: one typed outcome
 * per venue error code (each venue's table lives in its folder).
 *
 * - `reject`: the venue refused this request; the order is terminal (or the cancel/amend refused).
 * - `retry`: transient; the same request may be sent again after `afterMs`.
 * - `resync-clock`: our timestamp was outside the venue's window; re-measure the offset, retry once.
 * - `halt`: stop sending to this venue (bad signature or key, IP ban): a person must look.
 * - `unknown-status`: the venue may or may not have executed it; query before acting again.
 */
import type { RejectReason } from '../../core/strategy/reject-reason.ts';

export type ExecutionOutcome =
  | {
      readonly kind: 'reject';
      readonly reason: RejectReason;
      readonly code: number;
      readonly message: string;
    }
  | { readonly kind: 'retry'; readonly afterMs: number; readonly code: number; readonly message: string }
  | { readonly kind: 'resync-clock'; readonly code: number; readonly message: string }
  | { readonly kind: 'halt'; readonly code: number; readonly message: string }
  | { readonly kind: 'unknown-status'; readonly code: number; readonly message: string };

/** A failed venue request, carrying its outcome. The message is redacted before it is made. */
export class VenueRequestError extends Error {
  constructor(
    readonly outcome: ExecutionOutcome,
    readonly httpStatus: number,
  ) {
    super(`${outcome.kind}: venue code ${outcome.code} (HTTP ${httpStatus}): ${outcome.message}`);
  }
}
