/** The venues the platform speaks to. Binance spot and USD-M futures are separate venues: separate
 * hosts, sequence rules and instruments. */
export const EXCHANGES = ['binance', 'binance-futures', 'coinbase', 'kraken', 'bybit', 'kucoin'] as const;
export type ExchangeId = (typeof EXCHANGES)[number];

export function isExchangeId(value: string): value is ExchangeId {
  return (EXCHANGES as readonly string[]).includes(value);
}
