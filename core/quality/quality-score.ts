/**
 * The 0–100 data-quality score of one (exchange, symbol):
 *
 *     score = clamp(100 − Σᵢ wᵢ · nᵢ, 0, 100)
 *
 *   wᵢ  the weight of issue i from the rules file (`weights`), points lost per occurrence;
 *   nᵢ  occurrences of issue i whose receive time lies in the sliding window (now − windowMs, now];
 *       an event issue occurs at its message, a condition (crossed_book, wide_spread, stale_data)
 *       once per episode. A condition that held at any time in the window counts at least 1, so
 *       one lasting longer than the window keeps costing until it ends, and a window after that.
 *
 * So a clean stream scores 100, one sequence gap costs exactly w(sequence_gap) for one window and
 * is forgiven after it, and enough trouble inside one window floors the score at 0.
 *
 * Design decisions: a linear penalty (not a ratio of bad to good messages) because one gap is as bad
 * on a busy book as on a quiet one — the book was wrong until resynced either way; a hard window (not
 * exponential decay) because "no gap in the last minute" is what an operator can check and a test can
 * pin down exactly.
 */

/** The score for per-issue window counts and weights (arrays indexed by Issue). */
export function qualityScore(counts: ArrayLike<number>, weights: ArrayLike<number>): number {
  let penalty = 0;
  for (let i = 0; i < counts.length; i++) penalty += (weights[i] ?? 0) * counts[i]!;
  return Math.min(100, Math.max(0, 100 - penalty));
}

/** Window occurrences needed before more cannot lower the score: the ring capacity for an issue. */
export function saturatingCount(weight: number, cap = 1024): number {
  return weight > 0 ? Math.min(cap, Math.ceil(100 / weight)) : 1;
}
