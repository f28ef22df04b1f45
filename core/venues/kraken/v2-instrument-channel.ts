/**
 * Kraken v2 `instrument` channel → Instruments:
 *   `{"channel":"instrument","type":"snapshot"|"update","data":{"assets":[...],"pairs":[{"symbol":"BTC/USD",
 *     "price_precision":1,"qty_precision":8,"price_increment":0.1,"qty_increment":0.00000001,
 *     "qty_min":0.0001,"cost_min":0.5,...}]}}`
 * price_precision / qty_precision are the scales AND the decimals the v2 checksum formats with;
 * increments and minimums are read from their number text, exactly (never through a double).
 */
import type { Instrument } from '../../market/instrument.ts';
import { makeInstrument } from '../../market/instrument.ts';
import { parseVenueSymbol } from '../../market/symbols.ts';
import { parseDecimalRange } from '../../num/parse-decimal.ts';
import { MAX_SCALE } from '../../num/pow10.ts';
import { ArrayCursor, FieldScan, JsonKind } from './json-scan.ts';
import { positiveOr } from './positive-or.ts';

const SYMBOL = 0;
const PRICE_PRECISION = 1;
const QTY_PRECISION = 2;
const PRICE_INCREMENT = 3;
const QTY_INCREMENT = 4;
const QTY_MIN = 5;
const COST_MIN = 6;
const PAIR_KEYS = [
  'symbol',
  'price_precision',
  'qty_precision',
  'price_increment',
  'qty_increment',
  'qty_min',
  'cost_min',
];

export interface V2PairsRead {
  readonly instruments: Instrument[];
  /** One line per pair that could not be read. */
  readonly errors: string[];
}

/** Read the pairs of an instrument message's `data` object at `dataStart`. Undefined when malformed. */
export function readV2Pairs(raw: string, dataStart: number): V2PairsRead | undefined {
  const data = new FieldScan(['pairs']);
  if (data.scan(raw, dataStart) < 0) return undefined;
  const instruments: Instrument[] = [];
  const errors: string[] = [];
  if (!data.has(0)) return { instruments, errors }; // assets only
  const cursor = new ArrayCursor();
  if (data.kind[0] !== JsonKind.Array || !cursor.open(raw, data.start[0]!)) return undefined;
  const p = new FieldScan(PAIR_KEYS);
  while (cursor.next()) {
    if (p.scan(raw, cursor.start) < 0 || p.kind[SYMBOL] !== JsonKind.String) {
      errors.push('pair of unexpected shape');
      continue;
    }
    const symbol = p.text(raw, SYMBOL);
    const integer = (k: number): number =>
      p.kind[k] === JsonKind.Number ? parseDecimalRange(raw, p.start[k]!, p.end[k]!, 0) : Number.NaN;
    const priceScale = integer(PRICE_PRECISION);
    const sizeScale = integer(QTY_PRECISION);
    if (!(priceScale >= 0 && priceScale <= MAX_SCALE && sizeScale >= 0 && sizeScale <= MAX_SCALE)) {
      errors.push(`${symbol}: bad precisions`);
      continue;
    }
    const units = (k: number, scale: number): number =>
      p.isDecimal(k) ? parseDecimalRange(raw, p.start[k]!, p.end[k]!, scale) : Number.NaN;
    // cost_min gates orders only; a float is fine there (see Instrument.minNotional).
    const minNotional = p.isDecimal(COST_MIN) ? Number(p.text(raw, COST_MIN)) : 0;
    const parsed = parseVenueSymbol('kraken', symbol);
    instruments.push(
      makeInstrument({
        exchange: 'kraken',
        venueSymbol: symbol,
        symbol: parsed?.symbol ?? symbol,
        base: parsed?.base ?? symbol,
        quote: parsed?.quote ?? '',
        kind: 'spot',
        priceScale,
        sizeScale,
        tickSize: positiveOr(units(PRICE_INCREMENT, priceScale), 1),
        lotSize: positiveOr(units(QTY_INCREMENT, sizeScale), 1),
        minSize: positiveOr(units(QTY_MIN, sizeScale), 0),
        minNotional: positiveOr(minNotional, 0),
        wirePriceDecimals: priceScale,
        wireSizeDecimals: sizeScale,
        source: 'reference',
      }),
    );
  }
  if (cursor.malformed) errors.push('pairs array broken');
  return { instruments, errors };
}
