/**
 * The instrument an imported file's rows are stored with: the configured one where config/
 * instruments.json knows the symbol (its scales are the platform's), otherwise one inferred from the
 * file: the finest decimals its prices and sizes use, so every value is an exact integer.
 */

import type { ParsedFile } from '../../core/import/import-record.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { type Instrument, makeInstrument } from '../../core/market/instrument.ts';
import { parseVenueSymbol } from '../../core/market/symbols.ts';
import { fractionDigits, MAX_SCALE } from '../../core/num/index.ts';

function scalesOf(file: ParsedFile): { price: number; size: number } {
  let price = 0;
  let size = 0;
  for (const r of file.records) {
    if (r.type === 'book')
      for (const c of r.changes) {
        price = Math.max(price, fractionDigits(c.price));
        size = Math.max(size, fractionDigits(c.size));
      }
    else if (r.type === 'trade') {
      price = Math.max(price, fractionDigits(r.price));
      size = Math.max(size, fractionDigits(r.size));
    }
  }
  return { price: Math.min(price, MAX_SCALE), size: Math.min(size, MAX_SCALE) };
}

export function importInstrument(
  exchange: ExchangeId,
  file: ParsedFile,
  configured: readonly Instrument[],
): Instrument | undefined {
  const known = configured.find((i) => i.exchange === exchange && i.venueSymbol === file.venueSymbol);
  const parsed = parseVenueSymbol(exchange, file.venueSymbol);
  if (!parsed) return known;
  const inferred = scalesOf(file);
  // A configured instrument whose scale is too coarse for the file would refuse rows: widen it.
  if (known && known.priceScale >= inferred.price && known.sizeScale >= inferred.size) return known;
  return makeInstrument({
    exchange,
    venueSymbol: file.venueSymbol,
    symbol: known?.symbol ?? parsed.symbol,
    base: known?.base ?? parsed.base,
    quote: known?.quote ?? parsed.quote,
    kind: known?.kind ?? parsed.kind,
    priceScale: Math.max(known?.priceScale ?? 0, inferred.price),
    sizeScale: Math.max(known?.sizeScale ?? 0, inferred.size),
    source: 'inferred',
  });
}
