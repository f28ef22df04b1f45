/**
 * Row kinds and flags of the columnar event tape. One row is one book level, one trade, one clear,
 * one order-level (L3) event or one funding/ticker update — the hftbacktest event record, split into
 * columns so a backtest reads typed arrays instead of re-parsing JSON.
 *
 * Design decisions:
 * - Kind and flags are separate Uint8 columns (hftbacktest packs them into one u64); the hot loop
 *   switches on `kind` and tests flag bits without shifting.
 * - A venue message that changes several levels becomes several rows; the last carries EOM, so the
 *   simulator applies a message whole before it looks at the book (no half-applied crossed books).
 */

export const EventKind = {
  /** Set a level to an absolute size (0 removes). */
  Depth: 1,
  /** A public trade; flags carry the aggressor side. */
  Trade: 2,
  /** Forget the whole book of the instrument (a snapshot follows, or the book went stale). */
  Clear: 3,
  /** A level of a snapshot (after a Clear): applied like Depth. */
  Snapshot: 4,
  /** Order-level rows (venues with an L3 feed): the L3 FIFO queue model reads them; books ignore them. */
  L3Add: 10,
  L3Cancel: 11,
  L3Modify: 12,
  L3Fill: 13,
  /** Derivative ticker: `price` = mark price units (NaN unknown), `size` = funding rate as a fraction
   * (NaN unknown), `aux` = next funding time µs (NaN unknown). */
  Funding: 20,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export const EventFlag = {
  /** The row is on the bid side (Depth/Snapshot/L3 rows); ask when clear. */
  Bid: 1,
  /** Trade: the aggressor bought (lifted the ask). */
  Buy: 2,
  /** Trade: the aggressor sold (hit the bid). Neither Buy nor Sell: aggressor unknown. */
  Sell: 4,
  /** Last row of a venue message. */
  Eom: 8,
} as const;
