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
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { zodProblems } from './zod-problems.ts';

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

/** One venue symbol, one entry: a second entry would silently replace the first in the registry. */
const InstrumentsFile = z.strictObject({
  $comment: z.string().optional(),
  instruments: z.array(InstrumentEntry).superRefine((entries, ctx) => {
    const first = new Map<string, number>();
    entries.forEach((e, i) => {
      const key = `${e.exchange} ${e.venueSymbol}`;
      const at = first.get(key);
      if (at === undefined) first.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `${key} is defined twice: instruments[${at}] and instruments[${i}]`,
        });
    });
  }),
});

export type InstrumentEntry = z.infer<typeof InstrumentEntry>;

const FILE = 'instruments.json';

export function instrumentFromEntry(e: InstrumentEntry, label = configFileLabel(FILE)): Instrument {
  const parsed = parseVenueSymbol(e.exchange, e.venueSymbol, e.kind);
  if (!parsed) throw new ConfigError(label, [`cannot split ${e.exchange} symbol ${e.venueSymbol}`]);
  const priceScale = e.priceScale ?? significantFractionDigits(e.tick);
  const sizeScale = e.sizeScale ?? significantFractionDigits(e.lot);
  const tickSize = parseDecimal(e.tick, priceScale);
  const lotSize = parseDecimal(e.lot, sizeScale);
  if (!(tickSize > 0) || !(lotSize > 0)) {
    throw new ConfigError(label, [`${e.exchange} ${e.venueSymbol}: tick/lot finer than the scale`]);
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

/** Validate an instruments document; throws a ConfigError listing every problem. */
export function parseInstrumentsConfig(json: unknown, label = configFileLabel(FILE)): Instrument[] {
  const result = InstrumentsFile.safeParse(json, { reportInput: true });
  if (!result.success) throw new ConfigError(label, zodProblems(result.error.issues));
  return result.data.instruments.map((e) => instrumentFromEntry(e, label));
}

/** instruments.json from the config folder (read-config-file.ts), read and validated now. */
export function configuredInstruments(): Instrument[] {
  return parseInstrumentsConfig(readConfigFile(FILE));
}
