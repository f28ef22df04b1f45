/**
 * Fractional-Kelly position sizing for strategies. Full Kelly maximises long-run growth only when
 * the edge is known exactly; with an estimated edge it overbets, so strategies use a fraction of
 * it (0.25× by default, `kellyFraction` in the risk params). Results are clamped to [0, cap]: no
 * edge means no bet (never a negative "bet the other way"), and no estimate bets more than `cap`.
 * Bad inputs (NaN, probabilities outside [0, 1], non-positive ratios or variances) give 0.
 */
import type { Instrument } from '../market/instrument.ts';
import { POW10 } from '../num/pow10.ts';

export const DEFAULT_KELLY_FRACTION = 0.25;

function clamp(value: number, cap: number): number {
  if (!(value > 0)) return 0;
  const top = Number.isFinite(cap) && cap >= 0 ? cap : 1;
  return Math.min(value, top);
}

/**
 * From a win probability p and the win/loss ratio b (average win ÷ average loss):
 * full Kelly f* = p − (1 − p) / b; returns fraction × f*, clamped to [0, cap].
 */
export function kellyFromOdds(
  winProbability: number,
  winLossRatio: number,
  fraction = DEFAULT_KELLY_FRACTION,
  cap = 1,
): number {
  if (!(winProbability >= 0 && winProbability <= 1) || !(winLossRatio > 0) || !(fraction > 0)) return 0;
  return clamp(fraction * (winProbability - (1 - winProbability) / winLossRatio), cap);
}

/**
 * From the expected excess return per bet (edge) and its variance: full Kelly f* = edge / variance
 * (the continuous approximation); returns fraction × f*, clamped to [0, cap].
 */
export function kellyFromMoments(
  edge: number,
  variance: number,
  fraction = DEFAULT_KELLY_FRACTION,
  cap = 1,
): number {
  if (!Number.isFinite(edge) || !(variance > 0) || !(fraction > 0)) return 0;
  return clamp((fraction * edge) / variance, cap);
}

/**
 * The size (integer size units, rounded DOWN to a whole lot) whose notional at `price` (price
 * units) is at most `equityFraction` × `equity` (quote currency). 0 when that is below the
 * instrument's minimum size or the inputs are unusable.
 */
export function kellySizeUnits(
  instrument: Instrument,
  equity: number,
  equityFraction: number,
  price: number,
): number {
  if (!(equity > 0) || !(equityFraction > 0) || !(price > 0) || !Number.isFinite(price)) return 0;
  const scale = POW10[instrument.priceScale + instrument.sizeScale];
  if (scale === undefined) return 0;
  // Multiply before dividing: whole budgets at whole prices then divide exactly.
  const units = (equity * equityFraction * scale) / price;
  if (!Number.isFinite(units)) return 0;
  const lot = instrument.lotSize;
  const size = Math.floor(units / lot) * lot;
  if (!Number.isSafeInteger(size) || size < instrument.minSize || size <= 0) return 0;
  return size;
}
