/**
 * Kraken REST reference data, `GET /0/public/AssetPairs` → Instruments.
 *
 *   wsname         → venueSymbol ("XBT/USD"; v2 spells assets the common way, "BTC/USD": naming 'v2')
 *   pair_decimals  → priceScale; tick_size (newer responses) → tickSize, else one unit
 *   lot_decimals   → sizeScale
 *   ordermin       → minSize (size units); costmin (newer responses) → minNotional
 * Wire decimals default to the scales. On v1 they are NOT the scales for every pair (XMR/USD prices
 * arrive as "354.15000000" with pair_decimals 2): KrakenV1Feed replaces them from the snapshot's
 * strings before it computes checksums.
 */
import type { Instrument } from '../../market/instrument.ts';
import { makeInstrument } from '../../market/instrument.ts';
import { parseVenueSymbol } from '../../market/symbols.ts';
import { parseDecimal } from '../../num/parse-decimal.ts';
import { isObject, parseJson } from '../wire-guards.ts';
import { positiveOr } from './positive-or.ts';

export interface AssetPairsResult {
  readonly instruments: Instrument[];
  /** Pair keys left out, with why (no wsname: dark-pool ".d" pairs; bad decimals). */
  readonly skipped: Array<{ readonly key: string; readonly reason: string }>;
}

export interface AssetPairsOptions {
  /** 'v1' keeps wsname as is ("XBT/USD"); 'v2' uses the common asset names ("BTC/USD"). */
  naming?: 'v1' | 'v2';
}

function isDecimals(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 18;
}

/** Parse an AssetPairs response body. Undefined when the body is not that response. */
export function parseKrakenAssetPairs(
  body: string,
  options: AssetPairsOptions = {},
): AssetPairsResult | undefined {
  const parsed = parseJson(body);
  if (!isObject(parsed) || !isObject(parsed.result)) return undefined;
  const instruments: Instrument[] = [];
  const skipped: Array<{ key: string; reason: string }> = [];
  for (const [key, pair] of Object.entries(parsed.result)) {
    if (!isObject(pair)) {
      skipped.push({ key, reason: 'not an object' });
      continue;
    }
    const { wsname, pair_decimals: priceScale, lot_decimals: sizeScale } = pair;
    if (typeof wsname !== 'string') {
      skipped.push({ key, reason: 'no wsname' });
      continue;
    }
    if (!isDecimals(priceScale) || !isDecimals(sizeScale)) {
      skipped.push({ key, reason: 'pair_decimals/lot_decimals missing or invalid' });
      continue;
    }
    const symbol = parseVenueSymbol('kraken', wsname);
    if (!symbol) {
      skipped.push({ key, reason: `cannot split ${wsname}` });
      continue;
    }
    const tick = typeof pair.tick_size === 'string' ? parseDecimal(pair.tick_size, priceScale) : Number.NaN;
    const minSize = typeof pair.ordermin === 'string' ? parseDecimal(pair.ordermin, sizeScale) : Number.NaN;
    const minNotional = typeof pair.costmin === 'string' ? Number(pair.costmin) : Number.NaN;
    instruments.push(
      makeInstrument({
        exchange: 'kraken',
        venueSymbol: options.naming === 'v2' ? `${symbol.base}/${symbol.quote}` : wsname,
        symbol: symbol.symbol,
        base: symbol.base,
        quote: symbol.quote,
        kind: 'spot',
        priceScale,
        sizeScale,
        tickSize: positiveOr(tick, 1),
        lotSize: 1,
        minSize: positiveOr(minSize, 0),
        minNotional: positiveOr(minNotional, 0),
        source: 'reference',
      }),
    );
  }
  return { instruments, skipped };
}
