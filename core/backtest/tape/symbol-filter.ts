/**
 * The `--symbols` filter of a tape build: an instrument is kept when any requested name matches its
 * unified or venue symbol, bare or prefixed with its exchange ("BTC/USDT", "BTCUSDT",
 * "binance-futures:BTCUSDT"), case-insensitively. No names keeps everything.
 */
import type { Instrument } from '../../market/instrument.ts';

export function symbolFilter(symbols: readonly string[] | undefined): (i: Instrument) => boolean {
  if (!symbols || symbols.length === 0) return () => true;
  const wanted = new Set(symbols.map((s) => s.toUpperCase()));
  return (i) =>
    wanted.has(i.symbol.toUpperCase()) ||
    wanted.has(i.venueSymbol.toUpperCase()) ||
    wanted.has(`${i.exchange}:${i.symbol}`.toUpperCase()) ||
    wanted.has(`${i.exchange}:${i.venueSymbol}`.toUpperCase());
}
