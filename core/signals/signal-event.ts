/**
 * The typed events every stage emits. One mutable event object per pipeline is filled and handed
 * to the sink synchronously (read it during the call, copy what you keep): emitting allocates
 * nothing. Counts by type are kept by the pipeline itself (`SignalCounts`).
 */
import type { Micros } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';

export const SIGNAL_TYPES = [
  // stage 1: detect
  'imbalance',
  'wall',
  'micro_move',
  'trade_flow',
  // stage 2: context
  'toxic_flow',
  'vwap_deviation',
  // stage 3: assess
  'risk',
  // stage 4: execute
  'route',
  'slice',
  // monitors
  'arbitrage',
  'funding',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export type SignalStage = 'detect' | 'context' | 'assess' | 'execute' | 'monitor';

export const STAGE_OF: Readonly<Record<SignalType, SignalStage>> = {
  imbalance: 'detect',
  wall: 'detect',
  micro_move: 'detect',
  trade_flow: 'detect',
  toxic_flow: 'context',
  vwap_deviation: 'context',
  risk: 'assess',
  route: 'execute',
  slice: 'execute',
  arbitrage: 'monitor',
  funding: 'monitor',
};

export interface SignalEvent {
  type: SignalType;
  exchange: ExchangeId;
  /** Unified symbol. */
  symbol: string;
  /** Receive time of the market event that raised it, µs. */
  ts: Micros;
  /**
   * The measured value: imbalance ∈ [−1, 1]; wall size ÷ median; micro-move bps; trade-flow
   * imbalance; VPIN; VWAP deviation bps; risk score 0–100; route effective price; slice size
   * (size units); arbitrage edge bps; funding rate per interval.
   */
  value: number;
  /** +1 buy side / bullish, −1 sell side / bearish, 0 neither. */
  direction: -1 | 0 | 1;
  /** A second figure where the type has one: wall price (units), arbitrage size (base), slippage bps… */
  detail: number;
}

export type SignalSink = (event: SignalEvent) => void;

/** Counts by signal type (a plain array indexed like SIGNAL_TYPES: incrementing allocates nothing). */
export class SignalCounts {
  readonly byIndex = new Float64Array(SIGNAL_TYPES.length);

  add(type: SignalType): void {
    this.byIndex[SIGNAL_INDEX[type]]!++;
  }

  get(type: SignalType): number {
    return this.byIndex[SIGNAL_INDEX[type]]!;
  }

  /** Non-zero counts as a record (allocates: for reports). */
  toRecord(): Partial<Record<SignalType, number>> {
    const out: Partial<Record<SignalType, number>> = {};
    for (let i = 0; i < SIGNAL_TYPES.length; i++)
      if (this.byIndex[i]! > 0) out[SIGNAL_TYPES[i]!] = this.byIndex[i]!;
    return out;
  }
}

export const SIGNAL_INDEX: Readonly<Record<SignalType, number>> = Object.fromEntries(
  SIGNAL_TYPES.map((t, i) => [t, i]),
) as Record<SignalType, number>;
