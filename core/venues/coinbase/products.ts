/**
 * Coinbase reference data → instruments. Reads the Exchange REST `GET /products` array
 * (`id`, `base_currency`, `quote_currency`, `quote_increment`, `base_increment`, `base_min_size`,
 * `min_market_funds`) and the Advanced Trade `GET /api/v3/brokerage/products` object
 * (`{"products":[...]}` with `product_id`, `base_currency_id`, `quote_currency_id`,
 * `price_increment`/`quote_increment`, `base_increment`, `base_min_size`, `quote_min_size`).
 *
 * Scales: priceScale is the number of significant fraction digits of the tick, so a price integer
 * counts ticks when the tick is a power of ten ("0.0001" → scale 4, tickSize 1) and is a multiple of
 * tickSize otherwise ("0.0005" → scale 4, tickSize 5). The same for sizes with base_increment. No
 * float touches a tick or lot: they go through parseDecimal.
 */
import { parseCaptureLine } from '../../capture/capture-record.ts';
import type { Instrument } from '../../market/instrument.ts';
import { makeInstrument } from '../../market/instrument.ts';
import { significantFractionDigits } from '../../num/fraction-digits.ts';
import { parseDecimal } from '../../num/parse-decimal.ts';
import { MAX_SCALE } from '../../num/pow10.ts';
import { isObject, type JsonObject, parseJson } from '../wire-guards.ts';

export interface ProductRejection {
  readonly id: string;
  readonly reason: string;
}

export interface CoinbaseProducts {
  readonly instruments: Instrument[];
  /** Entries that could not be turned into an instrument, with why. */
  readonly rejected: ProductRejection[];
}

function text(v: JsonObject, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const x = v[k];
    if (typeof x === 'string' && x.length > 0) return x;
  }
  return undefined;
}

/** An increment's scale and its value in units of that scale; undefined when not a positive decimal. */
function increment(s: string | undefined): { scale: number; units: number } | undefined {
  if (s === undefined) return undefined;
  const scale = significantFractionDigits(s);
  if (scale > MAX_SCALE) return undefined;
  const units = parseDecimal(s, scale);
  return units > 0 ? { scale, units } : undefined;
}

/** Parse a products response (JSON text or already-parsed JSON). */
export function parseCoinbaseProducts(body: string | unknown): CoinbaseProducts {
  const parsed: unknown = typeof body === 'string' ? parseJson(body) : body;
  const list: unknown = isObject(parsed) ? parsed.products : parsed;
  const instruments: Instrument[] = [];
  const rejected: ProductRejection[] = [];
  if (!Array.isArray(list)) {
    rejected.push({ id: '', reason: 'not a products array' });
    return { instruments, rejected };
  }
  for (const entry of list) {
    if (!isObject(entry)) {
      rejected.push({ id: '', reason: 'entry is not an object' });
      continue;
    }
    const id = text(entry, 'id', 'product_id');
    if (id === undefined) {
      rejected.push({ id: '', reason: 'no id' });
      continue;
    }
    // Advanced Trade also lists futures (product_type FUTURE); only spot products are read here.
    if (typeof entry.product_type === 'string' && entry.product_type !== 'SPOT') {
      rejected.push({ id, reason: `product_type ${entry.product_type} is not spot` });
      continue;
    }
    const dash = id.indexOf('-');
    const base =
      text(entry, 'base_currency', 'base_currency_id') ?? (dash > 0 ? id.slice(0, dash) : undefined);
    const quote =
      text(entry, 'quote_currency', 'quote_currency_id') ?? (dash > 0 ? id.slice(dash + 1) : undefined);
    if (!base || !quote) {
      rejected.push({ id, reason: 'no base/quote currency' });
      continue;
    }
    const tick = increment(text(entry, 'price_increment', 'quote_increment'));
    if (!tick) {
      rejected.push({ id, reason: 'no valid quote_increment' });
      continue;
    }
    const lot = increment(text(entry, 'base_increment'));
    if (!lot) {
      rejected.push({ id, reason: 'no valid base_increment' });
      continue;
    }
    // A minimum finer than the lot (not seen, but possible) widens the size scale rather than round.
    const minText = text(entry, 'base_min_size');
    const sizeScale = Math.min(
      MAX_SCALE,
      Math.max(lot.scale, minText ? significantFractionDigits(minText) : 0),
    );
    const lotSize = parseDecimal(text(entry, 'base_increment')!, sizeScale);
    const minSize = minText ? parseDecimal(minText, sizeScale) : 0;
    const minNotional = Number(text(entry, 'min_market_funds', 'quote_min_size') ?? '0');
    instruments.push(
      makeInstrument({
        exchange: 'coinbase',
        venueSymbol: id,
        symbol: `${base.toUpperCase()}/${quote.toUpperCase()}`,
        base: base.toUpperCase(),
        quote: quote.toUpperCase(),
        kind: 'spot',
        priceScale: tick.scale,
        sizeScale,
        tickSize: tick.units,
        lotSize,
        minSize: Number.isNaN(minSize) || minSize < 0 ? 0 : minSize,
        minNotional: Number.isFinite(minNotional) && minNotional > 0 ? minNotional : 0,
        source: 'reference',
      }),
    );
  }
  return { instruments, rejected };
}

/**
 * Products from a recorded reference-data file (cryptofeed `cryptofeed_COINBASE.0`: lines
 * `<url> -> <unix_ts>: <json>`); the first REST line whose URL ends in `/products` is read.
 */
export function parseCoinbaseProductsCapture(text: string): CoinbaseProducts {
  for (const line of text.split('\n')) {
    const r = parseCaptureLine(line);
    if (r?.kind === 'rest' && /\/products(\?|$)/.test(r.url)) return parseCoinbaseProducts(r.body);
  }
  return { instruments: [], rejected: [{ id: '', reason: 'no /products line' }] };
}
