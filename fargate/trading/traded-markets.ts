/**
 * The markets a live trader trades, as `npm start -- --markets` spells them:
 * `<exchange>:<venue symbol>` separated by commas (`binance:BTCUSDT,kraken:XBT/CHF`). The venue
 * symbol is the exchange's own spelling, as in config/instruments.json; a market named twice is
 * one market.
 */
import { EXCHANGES, type ExchangeId, isExchangeId } from '../../core/market/exchange.ts';

export interface TradedMarket {
  readonly exchange: ExchangeId;
  readonly venueSymbol: string;
}

/** Parses the option's text; throws one message naming every bad entry. */
export function parseTradedMarkets(text: string): TradedMarket[] {
  const markets: TradedMarket[] = [];
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    // The first colon splits: no exchange id has one, and a venue symbol may not either, but a
    // slash (Kraken's XBT/CHF) or a dash (Coinbase's BTC-USD) stays in the symbol.
    const at = entry.indexOf(':');
    const exchange = at > 0 ? entry.slice(0, at) : '';
    const venueSymbol = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!isExchangeId(exchange) || venueSymbol === '') {
      problems.push(
        `"${entry}" (expected <exchange>:<venue symbol>, exchange one of ${EXCHANGES.join(', ')})`,
      );
      continue;
    }
    if (!markets.some((m) => m.exchange === exchange && m.venueSymbol === venueSymbol))
      markets.push({ exchange, venueSymbol });
  }
  if (problems.length > 0) throw new Error(`--markets: ${problems.join('; ')}`);
  if (markets.length === 0) throw new Error('--markets: no market given');
  return markets;
}
