/**
 * Pick the book for each instrument of a tape: a TickBook whose slot region is centred on the
 * instrument's median traded (else book) price, ± `regionFraction` (default 5 %), limited to the
 * prices actually seen and to `maxSlots` slots a side (default 2 M: 16 MB). Binance USD-M BTCUSDT
 * at 0.1 USDT ticks: ≈ 56 k slots. Levels outside the region go to the TickBook's sorted overflow.
 * An instrument whose prices are not all on its tick grid uses a 1-unit grid.
 */
import { EventKind } from '../../backtest/tape/event-kind.ts';
import type { Tape } from '../../backtest/tape/tape.ts';
import type { SimBook } from './sim-book.ts';
import { TickBook } from './tick-book.ts';

export interface PriceRegion {
  readonly low: number;
  readonly high: number;
  /** Price units per slot. */
  readonly step: number;
}

export interface RegionOptions {
  readonly regionFraction?: number;
  readonly maxSlots?: number;
}

const cache = new WeakMap<Tape, PriceRegion[]>();

/** Per instrument, the slot region for its books (cached per tape for the default options). */
export function priceRegions(tape: Tape, options: RegionOptions = {}): PriceRegion[] {
  const useCache = options.regionFraction === undefined && options.maxSlots === undefined;
  const cached = useCache ? cache.get(tape) : undefined;
  if (cached) return cached;
  const fraction = options.regionFraction ?? 0.05;
  const maxSlots = options.maxSlots ?? 2_000_000;
  const nInst = tape.instruments.length;
  const low = new Float64Array(nInst).fill(Number.POSITIVE_INFINITY);
  const high = new Float64Array(nInst).fill(Number.NEGATIVE_INFINITY);
  const onTick = new Uint8Array(nInst).fill(1);
  const ticks = tape.instruments.map((i) => Math.max(1, i.tickSize));
  const tradeSample: number[][] = tape.instruments.map(() => []);
  const bookSample: number[][] = tape.instruments.map(() => []);
  const every = Math.max(1, tape.length >>> 12);
  for (let r = 0; r < tape.length; r++) {
    const k = tape.kind[r]!;
    const i = tape.inst[r]!;
    const p = tape.price[r]!;
    if (k === EventKind.Trade) {
      if (r % every === 0 || tradeSample[i]!.length < 16) tradeSample[i]!.push(p);
      continue;
    }
    if (k !== EventKind.Depth && k !== EventKind.Snapshot) continue;
    if (p < low[i]!) low[i] = p;
    if (p > high[i]!) high[i] = p;
    if (p % ticks[i]! !== 0) onTick[i] = 0;
    if (r % every === 0) bookSample[i]!.push(p);
  }
  const out = tape.instruments.map((_, i): PriceRegion => {
    const step = onTick[i] ? ticks[i]! : 1;
    const sample = tradeSample[i]!.length > 0 ? tradeSample[i]! : bookSample[i]!;
    if (sample.length === 0 || !(low[i]! <= high[i]!)) return { low: 0, high: 0, step };
    sample.sort((a, b) => a - b);
    const centre = sample[sample.length >> 1]!;
    const half = Math.min(centre * fraction, (maxSlots / 2) * step);
    const lo = Math.max(low[i]!, Math.floor((centre - half) / step) * step);
    const hi = Math.min(high[i]!, Math.ceil((centre + half) / step) * step);
    return { low: lo, high: Math.max(lo, hi), step };
  });
  if (useCache) cache.set(tape, out);
  return out;
}

export function booksForTape(tape: Tape, options?: RegionOptions): SimBook[] {
  return priceRegions(tape, options).map((r) => new TickBook(r.low, r.high, r.step));
}
