/**
 * The bundled real recordings each simulated venue replays by default (small gzipped real captures
 * in test/fixtures, listed with their sources in test/fixtures/README.md). Each inner list is ONE timeline (files of one recording session,
 * e.g. Kraken's book and trade connections); a venue with several timelines plays them side by side,
 * each looping on its own clock (their symbols must not overlap).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExchangeId } from '../../../core/market/exchange.ts';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../test/fixtures', import.meta.url));

export const DEFAULT_CAPTURES: Readonly<Record<ExchangeId, ReadonlyArray<readonly string[]>>> = {
  binance: [['binance/cryptofeed_BINANCE.ws.1.0.gz'], ['binance/hftbacktest_spot_btcusdt_20240808.gz']],
  'binance-futures': [
    ['binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz'],
    ['binance/hftbacktest_usdm_btcusdt_20240808.gz'],
  ],
  coinbase: [['coinbase/cryptofeed_COINBASE.ws.28.0.gz']],
  kraken: [['kraken/cryptofeed_KRAKEN.ws.50.0.gz', 'kraken/cryptofeed_KRAKEN.ws.48.0.gz']],
  bybit: [['bybit/nautilus_xrpusdt-ob500.data.zip']],
  kucoin: [['kucoin/cryptofeed_KUCOIN.ws.1.0.gz']],
};

/** Absolute paths of a venue's default capture sets. */
export function defaultCaptures(exchange: ExchangeId, dir = FIXTURES_DIR): string[][] {
  return DEFAULT_CAPTURES[exchange].map((set) => set.map((f) => join(dir, f)));
}
