/**
 * A scenario (config/scenarios.ts) applied to one run: the strategy's order size and position limit
 * from the scenario's risk per trade, the simulator settings with the scenario's capital, and the
 * user's explicit parameters on top (they always win).
 *
 *   order size     = floor_lot(riskPerTrade × initialCapital / opening price)   (≥ one lot / min size)
 *   position limit = maxPositionOrders × order size
 *
 * The opening price is the first trade of the traded instrument on the tape (its first book price
 * when it has no trade), so the same scenario risks the same share of capital on BTC at 60 000 and
 * on XRP at 0.5. The traded instrument is the one the strategy will pick: its `symbol` parameter,
 * else the tape's first.
 */
import type { Scenario, Scenarios } from '../../config/scenarios.ts';
import { EventKind } from '../../core/backtest/tape/event-kind.ts';
import type { Tape } from '../../core/backtest/tape/tape.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../core/num/format-decimal.ts';
import type { SimConfigInput } from '../../core/sim/sim-config.ts';

export interface Sizing {
  readonly instrument: string;
  /** Opening price, quote per base. */
  readonly price: number;
  readonly orderSizeParam: string;
  readonly positionLimitParam: string;
  /** Base currency. */
  readonly orderSize: number;
  readonly positionLimit: number;
  /** orderSize × price, quote. */
  readonly orderNotional: number;
}

export interface ScenarioRun {
  /** Parameter overrides for the registry: scenario sizing, then the user's (user wins). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Simulator input: the scenario's settings and capital (CLI overrides applied by the caller). */
  readonly sim: SimConfigInput;
  /** How the scenario sized the strategy; undefined when the strategy has no sizing entry. */
  readonly sizing?: Sizing;
}

/** Index of the instrument a strategy trades (its `symbol` parameter, else the first). */
export function tradedInstrument(tape: Tape, symbol: unknown): number {
  if (typeof symbol !== 'string' || symbol === '') return 0;
  const i = tape.instrumentIndex(symbol);
  if (i < 0) {
    const known = tape.instruments.map((x) => x.symbol).join(', ');
    throw new Error(`symbol=${symbol}: not in the data (instruments: ${known})`);
  }
  return i;
}

/** First trade price of `inst` (units), else its first book level price; NaN when it has neither. */
export function openingPriceUnits(tape: Tape, inst: number): number {
  let book = Number.NaN;
  for (let r = 0; r < tape.length; r++) {
    if (tape.inst[r] !== inst) continue;
    const k = tape.kind[r]!;
    if (k === EventKind.Trade) return tape.price[r]!;
    if (Number.isNaN(book) && (k === EventKind.Snapshot || k === EventKind.Depth) && tape.size[r]! > 0)
      book = tape.price[r]!;
  }
  return book;
}

/** riskPerTrade × capital at `price`, floored to whole lots, at least one lot and the minimum size. */
export function orderSizeUnits(instrument: Instrument, price: number, notional: number): number {
  const lot = instrument.lotSize;
  const baseUnits = (notional / price) * 10 ** instrument.sizeScale;
  const lots = Math.max(1, Math.floor(baseUnits / lot + 1e-9), Math.ceil(instrument.minSize / lot));
  return lots * lot;
}

export function applyScenario(
  scenarios: Scenarios,
  scenario: Scenario,
  strategy: string,
  tape: Tape,
  userParams: Readonly<Record<string, unknown>> = {},
): ScenarioRun {
  const sim: SimConfigInput = { ...scenario.sim, initialCapital: scenario.initialCapital };
  const entry = scenarios.sizing[strategy];
  if (!entry || tape.length === 0) return { params: { ...userParams }, sim };
  const inst = tradedInstrument(tape, userParams.symbol);
  const instrument = tape.instruments[inst]!;
  const priceUnits = openingPriceUnits(tape, inst);
  if (!(priceUnits > 0)) return { params: { ...userParams }, sim };
  const price = priceUnits / 10 ** instrument.priceScale;
  const units = orderSizeUnits(instrument, price, scenario.riskPerTrade * scenario.initialCapital);
  // Exact decimal text → number: the parameter reads "0.052", not 0.052000000000000005.
  const orderSize = Number(formatDecimalTrimmed(units, instrument.sizeScale));
  const positionLimit = Number(
    formatDecimalTrimmed(units * scenario.maxPositionOrders, instrument.sizeScale),
  );
  return {
    params: { [entry.orderSize]: orderSize, [entry.positionLimit]: positionLimit, ...userParams },
    sim,
    sizing: {
      instrument: `${instrument.exchange}:${instrument.symbol}`,
      price,
      orderSizeParam: entry.orderSize,
      positionLimitParam: entry.positionLimit,
      orderSize,
      positionLimit,
      orderNotional: orderSize * price,
    },
  };
}
