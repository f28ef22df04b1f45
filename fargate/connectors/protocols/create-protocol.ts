/** The wire protocol of a configured venue. */
import type { ResolvedVenue } from '../../../config/venues.ts';
import { BinanceProtocol } from './binance-protocol.ts';
import { BybitProtocol } from './bybit-protocol.ts';
import { CoinbaseProtocol } from './coinbase-protocol.ts';
import { KrakenProtocol } from './kraken-protocol.ts';
import { KucoinProtocol } from './kucoin-protocol.ts';
import type { VenueProtocol } from './venue-protocol.ts';

export function createProtocol(venue: ResolvedVenue): VenueProtocol {
  switch (venue.exchange) {
    case 'binance':
    case 'binance-futures':
      return new BinanceProtocol(venue);
    case 'coinbase':
      return new CoinbaseProtocol(venue);
    case 'kraken':
      return new KrakenProtocol(venue);
    case 'bybit':
      return new BybitProtocol(venue);
    case 'kucoin':
      return new KucoinProtocol(venue);
  }
}
