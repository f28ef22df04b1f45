/**
 * Loads config/instruments.json into Instruments, validated whole (every error reported at once,
 * unknown keys refused).
 */
import { z } from 'zod';
import { EXCHANGES } from '../core/market/exchange.ts';
import { type Instrument, makeInstrument } from '../core/market/instrument.ts';
import { parseVenueSymbol } from '../core/market/symbols.ts';
import { significantFractionDigits } from '../core/num/fraction-digits.ts';
import { parseDecimal } from '../core/num/parse-decimal.ts';
import file from './instruments.json' with { type: 'json' };

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'a positive decimal string such as "0.01"');

const InstrumentEntry = z.strictObject({
  exchange: z.enum(EXCHANGES),
  venueSymbol: z.string().min(1),
  kind: z.enum(['spot', 'perp', 'future']),
  tick: decimalString,
  lot: decimalString,
  priceScale: z.number().int().min(0).max(18).optional(),
  sizeScale: z.number().int().min(0).max(18).optional(),
  minSize: decimalString.optional(),
  minNotional: z.number().nonnegative().optional(),
});

const InstrumentsFile = z.strictObject({
  $comment: z.string().optional(),
  instruments: z.array(InstrumentEntry),
});

export type InstrumentEntry = z.infer<typeof InstrumentEntry>;

export function instrumentFromEntry(e: InstrumentEntry): Instrument {
  const parsed = parseVenueSymbol(e.exchange, e.venueSymbol, e.kind);
  if (!parsed) throw new Error(`config/instruments.json: cannot split ${e.exchange} symbol ${e.venueSymbol}`);
  const priceScale = e.priceScale ?? significantFractionDigits(e.tick);
  const sizeScale = e.sizeScale ?? significantFractionDigits(e.lot);
  const tickSize = parseDecimal(e.tick, priceScale);
  const lotSize = parseDecimal(e.lot, sizeScale);
  if (!(tickSize > 0) || !(lotSize > 0)) {
    throw new Error(`config/instruments.json: ${e.exchange} ${e.venueSymbol}: tick/lot finer than the scale`);
  }
  return makeInstrument({
    exchange: e.exchange,
    venueSymbol: e.venueSymbol,
    symbol: parsed.symbol,
    base: parsed.base,
    quote: parsed.quote,
    kind: parsed.kind,
    priceScale,
    sizeScale,
    tickSize,
    lotSize,
    minSize: e.minSize ? parseDecimal(e.minSize, sizeScale) : 0,
    minNotional: e.minNotional ?? 0,
    source: 'config',
  });
}

/** Validate an instruments document; throws one error listing every problem. */
export function parseInstrumentsConfig(json: unknown): Instrument[] {
  const result = InstrumentsFile.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`config/instruments.json is invalid:\n${lines.join('\n')}`);
  }
  return result.data.instruments.map(instrumentFromEntry);
}

/** The bundled instruments. */
export function configuredInstruments(): Instrument[] {
  return parseInstrumentsConfig(file);
}
