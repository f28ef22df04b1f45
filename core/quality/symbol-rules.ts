/**
 * The thresholds that apply to one (exchange, symbol), resolved once when the monitor first sees the
 * pair: defaults ← symbols[symbol] ← symbols[symbol].exchanges[exchange], times converted to µs and
 * switched-off checks (null) to values that never trip (Infinity).
 */
import type { Micros } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import { THRESHOLD_KEYS, type Thresholds, type ValidationRules } from './rules-schema.ts';

export interface SymbolRules {
  readonly maxSpreadBps: number;
  /** Base currency; Infinity = unchecked. */
  readonly maxLevelSize: number;
  /** Quote currency; Infinity = unchecked. */
  readonly maxLevelNotional: number;
  readonly maxTradeSize: number;
  readonly maxTradeNotional: number;
  readonly maxAgeUs: Micros;
  readonly clockToleranceUs: Micros;
  readonly recentIds: number;
}

const MICROS_PER_MS = 1000;

function orInfinity(value: number | null): number {
  return value === null ? Number.POSITIVE_INFINITY : value;
}

export function resolveSymbolRules(
  rules: ValidationRules,
  exchange: ExchangeId,
  symbol: string,
): SymbolRules {
  const forSymbol = rules.symbols[symbol];
  const t: Thresholds = { ...rules.defaults, ...withoutUndefined(forSymbol) };
  const forExchange = forSymbol?.exchanges?.[exchange];
  Object.assign(t, withoutUndefined(forExchange));
  return {
    maxSpreadBps: orInfinity(t.maxSpreadBps),
    maxLevelSize: orInfinity(t.maxLevelSize),
    maxLevelNotional: orInfinity(t.maxLevelNotional),
    maxTradeSize: orInfinity(t.maxTradeSize),
    maxTradeNotional: orInfinity(t.maxTradeNotional),
    maxAgeUs: t.maxAgeMs === null ? Number.POSITIVE_INFINITY : t.maxAgeMs * MICROS_PER_MS,
    clockToleranceUs: t.clockToleranceMs * MICROS_PER_MS,
    recentIds: t.recentIds,
  };
}

/** Only the threshold keys an override actually sets (and not its `exchanges` map). */
function withoutUndefined(override: Partial<Thresholds> | undefined): Partial<Thresholds> {
  const out: Partial<Thresholds> = {};
  if (!override) return out;
  for (const key of THRESHOLD_KEYS) {
    const v = override[key];
    if (v !== undefined) (out as Record<keyof Thresholds, unknown>)[key] = v;
  }
  return out;
}
