/**
 * The typed quality issues. Every validator reports one of these codes (never a free string), so
 * counters, weights in the rules file and alerts all group by the same names.
 *
 * Two kinds (the score treats them differently, see quality-score.ts):
 * - conditions, true for a while (crossed_book, wide_spread, stale_data): an occurrence is an
 *   EPISODE (the moment the condition starts, or for staleness the update that ends it), and the
 *   issue stays current while the condition holds;
 * - events, true at one message (everything else): an occurrence is the message.
 */

export const QUALITY_ISSUES = [
  'crossed_book',
  'wide_spread',
  'oversized_level',
  'oversized_trade',
  'nonpositive_size',
  'duplicate_trade_id',
  'duplicate_order_id',
  'exchange_ts_backwards',
  'local_ts_backwards',
  'sequence_gap',
  'checksum_mismatch',
  'rejected_input',
  'stale_data',
] as const;

export type QualityIssue = (typeof QUALITY_ISSUES)[number];

export const ISSUE_COUNT = QUALITY_ISSUES.length;

function at(code: QualityIssue): number {
  return QUALITY_ISSUES.indexOf(code);
}

/** Index of each issue in per-issue typed arrays (the hot path indexes arrays, it does not hash strings). */
export const Issue = {
  CrossedBook: at('crossed_book'),
  WideSpread: at('wide_spread'),
  OversizedLevel: at('oversized_level'),
  OversizedTrade: at('oversized_trade'),
  NonpositiveSize: at('nonpositive_size'),
  DuplicateTradeId: at('duplicate_trade_id'),
  DuplicateOrderId: at('duplicate_order_id'),
  ExchangeTsBackwards: at('exchange_ts_backwards'),
  LocalTsBackwards: at('local_ts_backwards'),
  SequenceGap: at('sequence_gap'),
  ChecksumMismatch: at('checksum_mismatch'),
  RejectedInput: at('rejected_input'),
  StaleData: at('stale_data'),
} as const;

export function isQualityIssue(value: string): value is QualityIssue {
  return (QUALITY_ISSUES as readonly string[]).includes(value);
}
