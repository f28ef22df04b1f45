/**
 * Venue symbol ⇄ unified symbol. Unified symbols follow the ccxt convention users already know:
 * BASE/QUOTE for spot, BASE/QUOTE:SETTLE for perpetuals, BASE/QUOTE:SETTLE-YYMMDD for dated futures.
 * Each venue writes pairs its own way (BTCUSDT, BTC-USDT, BTC-USD, XBT/USD) and some rename assets.
 */
import type { ExchangeId } from './exchange.ts';
import type { InstrumentKind } from './instrument.ts';

/** Quote assets that Binance/Bybit glue to the base without a separator; longest first when matching. */
const CONCATENATED_QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'BUSD',
  'TUSD',
  'USDP',
  'BIDR',
  'IDRT',
  'BVND',
  'AEUR',
  'EURI',
  'DAI',
  'PAX',
  'BTC',
  'ETH',
  'BNB',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'AUD',
  'JPY',
  'RUB',
  'UAH',
  'NGN',
  'ZAR',
  'PLN',
  'RON',
  'ARS',
  'MXN',
  'COP',
  'CZK',
  'XRP',
  'TRX',
  'DOGE',
  'DOT',
  'VAI',
  'USD',
].sort((a, b) => b.length - a.length);

/** Venue-specific asset names → common names. */
const ASSET_ALIASES: Partial<Record<ExchangeId, Readonly<Record<string, string>>>> = {
  kraken: { XBT: 'BTC', XDG: 'DOGE' },
  kucoin: { BCHSV: 'BSV' },
};

/** A unified symbol: BASE/QUOTE, BASE/QUOTE:SETTLE or BASE/QUOTE:SETTLE-YYMMDD. */
export const UNIFIED_SYMBOL = /^[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+(-\d{6})?)?$/;

export interface ParsedSymbol {
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
  /** Unified symbol. */
  readonly symbol: string;
}

function alias(exchange: ExchangeId, asset: string): string {
  return ASSET_ALIASES[exchange]?.[asset] ?? asset;
}

function unaliased(exchange: ExchangeId, asset: string): string {
  const table = ASSET_ALIASES[exchange];
  if (!table) return asset;
  for (const [venueName, common] of Object.entries(table)) if (common === asset) return venueName;
  return asset;
}

function splitConcatenated(pair: string): [string, string] | undefined {
  for (const quote of CONCATENATED_QUOTES) {
    if (pair.length > quote.length && pair.endsWith(quote)) return [pair.slice(0, -quote.length), quote];
  }
  return undefined;
}

/**
 * Map a venue symbol to its unified form. `kind` tells the venues that reuse one spelling for spot
 * and derivatives (Bybit's BTCUSDT is both) which one is meant. Returns undefined when the symbol
 * cannot be split (an unknown quote asset).
 */
export function parseVenueSymbol(
  exchange: ExchangeId,
  venueSymbol: string,
  kind: InstrumentKind = exchange === 'binance-futures' ? 'perp' : 'spot',
): ParsedSymbol | undefined {
  const upper = venueSymbol.toUpperCase();
  let base: string;
  let quote: string;
  let expiry = '';
  switch (exchange) {
    case 'coinbase':
    case 'kucoin': {
      const parts = upper.split('-');
      if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
      [base, quote] = [parts[0], parts[1]];
      break;
    }
    case 'kraken': {
      const parts = upper.split('/');
      if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
      [base, quote] = [parts[0], parts[1]];
      break;
    }
    case 'binance':
    case 'binance-futures':
    case 'bybit': {
      const [pair, dated] = upper.split('_');
      const split = pair ? splitConcatenated(pair) : undefined;
      if (!split) return undefined;
      [base, quote] = split;
      if (dated) {
        expiry = dated;
        kind = 'future';
      }
      break;
    }
  }
  base = alias(exchange, base);
  quote = alias(exchange, quote);
  const settle = kind === 'spot' ? '' : `:${quote}${expiry ? `-${expiry}` : ''}`;
  return { base, quote, kind, symbol: `${base}/${quote}${settle}` };
}

/** Unified symbol → venue spelling (used to subscribe). */
export function toVenueSymbol(exchange: ExchangeId, unified: string): string {
  const [pair = '', settle = ''] = unified.split(':');
  const [base = '', quote = ''] = pair.split('/');
  const expiry = settle.includes('-') ? settle.slice(settle.indexOf('-') + 1) : '';
  const b = unaliased(exchange, base);
  const q = unaliased(exchange, quote);
  switch (exchange) {
    case 'coinbase':
    case 'kucoin':
      return `${b}-${q}`;
    case 'kraken':
      return `${b}/${q}`;
    default:
      return `${b}${q}${expiry ? `_${expiry}` : ''}`;
  }
}
