/**
 * Risk params turned into what the checks compare against, per instrument index: sizes in the
 * instrument's integer size units (exact: a limit finer than one size unit is a problem, never
 * rounded), times in µs, money as numbers in the limits' currency (money gates, it never prices).
 * Built whole before use, so a params swap is one reference assignment.
 */
import type { Instrument } from '../market/instrument.ts';
import { parseDecimal } from '../num/parse-decimal.ts';
import { describeValue } from '../venues/describe-frame.ts';
import type { RiskParams, SymbolLimits } from './risk-params.ts';

const MICROS_PER_SECOND = 1_000_000;

export interface InstrumentLimits {
  /** Largest |worst-case position|, size units. */
  readonly maxPosition: number;
  readonly maxOrderSize: number;
  readonly maxMarketOrderSize: number;
  readonly fatFingerPct: number;
  readonly postOnlyFatFingerPct: number;
}

export interface ResolvedGroup {
  readonly name: string;
  readonly maxSharePct: number;
  /** Instrument indexes whose symbol is in the group. */
  readonly members: readonly number[];
}

export interface ResolvedLimits {
  readonly params: RiskParams;
  readonly instruments: readonly InstrumentLimits[];
  readonly perSecond: number;
  readonly perMinute: number;
  readonly drawdownWindowMicros: number;
  readonly drawdownMaxLoss: number;
  readonly dailyMaxLoss: number;
  readonly currency: string;
  readonly maxSharePct: number;
  readonly minGrossExposure: number;
  readonly groups: readonly ResolvedGroup[];
  /** Per instrument index, the indexes into `groups` it belongs to. */
  readonly groupsOf: readonly (readonly number[])[];
  readonly staleBooksHaltMicros: number;
  readonly kellyFraction: number;
}

export interface LimitProblems {
  readonly problems: readonly string[];
}

const SIZE_KEYS = ['maxPosition', 'maxOrderSize', 'maxMarketOrderSize'] as const;

/** Resolve validated params for these instruments (index = the instrument number orders carry). */
export function resolveLimits(
  params: RiskParams,
  instruments: readonly Instrument[],
): ResolvedLimits | LimitProblems {
  const problems: string[] = [];
  const perInstrument: InstrumentLimits[] = [];
  for (const instrument of instruments) {
    const own = params.limits[instrument.symbol];
    const key = own ? instrument.symbol : 'default';
    const merged: SymbolLimits = { ...params.limits.default, ...own };
    const sizes: number[] = [];
    for (const field of SIZE_KEYS) {
      const units = parseDecimal(merged[field], instrument.sizeScale);
      if (!Number.isSafeInteger(units))
        problems.push(
          `limits[${JSON.stringify(key)}].${field}: ${describeValue(merged[field])} is not a whole number of ${instrument.exchange} ${instrument.venueSymbol} size units (${instrument.sizeScale} decimals), or too large`,
        );
      sizes.push(units);
    }
    const [maxPosition = Number.NaN, maxOrderSize = Number.NaN, maxMarketOrderSize = Number.NaN] = sizes;
    if (maxMarketOrderSize > maxOrderSize)
      problems.push(
        `limits[${JSON.stringify(key)}].maxMarketOrderSize: must not exceed maxOrderSize (${describeValue(merged.maxMarketOrderSize)} > ${describeValue(merged.maxOrderSize)})`,
      );
    perInstrument.push(
      Object.freeze({
        maxPosition,
        maxOrderSize,
        maxMarketOrderSize,
        fatFingerPct: merged.fatFingerPct,
        postOnlyFatFingerPct: merged.postOnlyFatFingerPct,
      }),
    );
  }
  const groups: ResolvedGroup[] = [];
  const groupsOf: number[][] = instruments.map(() => []);
  params.concentration.groups.forEach((g, gi) => {
    const members: number[] = [];
    instruments.forEach((instrument, i) => {
      if (g.symbols.includes(instrument.symbol)) {
        members.push(i);
        groupsOf[i]?.push(gi);
      }
    });
    groups.push(Object.freeze({ name: g.name, maxSharePct: g.maxSharePct, members: Object.freeze(members) }));
  });
  if (problems.length > 0) return { problems };
  return Object.freeze({
    params,
    instruments: Object.freeze(perInstrument),
    perSecond: params.orderRate.perSecond,
    perMinute: params.orderRate.perMinute,
    drawdownWindowMicros: params.drawdown.windowMinutes * 60 * MICROS_PER_SECOND,
    drawdownMaxLoss: Number(params.drawdown.maxLoss.amount),
    dailyMaxLoss: Number(params.dailyLoss.maxLoss.amount),
    currency: params.dailyLoss.maxLoss.currency,
    maxSharePct: params.concentration.maxSharePct,
    minGrossExposure: Number(params.concentration.minGrossExposure.amount),
    groups: Object.freeze(groups),
    groupsOf: Object.freeze(groupsOf.map((g) => Object.freeze(g))),
    staleBooksHaltMicros: params.staleBooksHaltSeconds * MICROS_PER_SECOND,
    kellyFraction: params.kellyFraction,
  });
}
