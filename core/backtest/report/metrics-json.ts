/**
 * JSON without NaN or Infinity (JSON has neither; JSON.stringify would silently write null and
 * lose why). Every non-finite number becomes null and its path is recorded in a top-level
 * `nonFinite` object — {"profitFactor": null, ..., "nonFinite": {"profitFactor": "Infinity"}} —
 * so a reader can tell "no losing trade" from "missing". `nonFinite` is always present (possibly
 * empty) so the file has one shape. Key order follows the input object: the output is stable.
 */
import type { Metrics } from '../analytics/metrics.ts';
import { MICROS_PER_SECOND } from '../analytics/periods.ts';
import { annualizationSupported } from '../analytics/returns.ts';

export type NonFiniteKind = 'Infinity' | '-Infinity' | 'NaN';

function kindOf(v: number): NonFiniteKind {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** A deep copy with non-finite numbers replaced by null; their paths ("a.b.0") in `nonFinite`. */
export function finiteCopy(
  value: unknown,
  nonFinite: Record<string, NonFiniteKind> = {},
  path = '',
): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    nonFinite[path] = kindOf(value);
    return null;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const arr = Array.from(value as ArrayLike<unknown>);
    return arr.map((v, i) => finiteCopy(v, nonFinite, path ? `${path}.${i}` : String(i)));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = finiteCopy(v, nonFinite, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return value;
}

/** Any object → pretty JSON with a `nonFinite` map at the top level. */
export function toFiniteJson(value: object): string {
  const nonFinite: Record<string, NonFiniteKind> = {};
  const copy = finiteCopy(value, nonFinite) as Record<string, unknown>;
  return `${JSON.stringify({ ...copy, nonFinite }, null, 2)}\n`;
}

/**
 * metrics.json: every Metrics key, then `annualized` — false when the run is under 30 days, and the
 * annualized keys (annualizedReturn, volatility, sharpe, sortino) are null (flagged "NaN"); the
 * per-sample and over-the-run keys hold the figures then.
 */
export function metricsToJson(metrics: Metrics): string {
  return toFiniteJson({
    ...metrics,
    annualized: annualizationSupported(metrics.periodSec * MICROS_PER_SECOND),
  });
}
