/**
 * Binance's public history endpoints on the simulator, from the trades it printed (TradeHistory):
 *
 *   GET /api/v3/klines | /fapi/v1/klines    symbol, interval, startTime, endTime (ms), limit (default
 *                                            500; max 1000 spot, 1500 USD-M) → [[openTime, "open",
 *                                            "high", "low", "close", "volume", closeTime,
 *                                            "quoteVolume", trades, "takerBuyBase", "takerBuyQuote", "0"]]
 *   GET /api/v3/aggTrades | /fapi/v1/aggTrades  symbol, fromId, startTime, endTime (ms; at most one
 *                                            hour apart), limit (default 500, max 1000) →
 *                                            [{"a","p","q","f","l","T","m"(,"M" spot)}]
 *
 * Each simulated trade is its own aggregate (f = l = a). Weights as Binance documents them: spot
 * klines 2, aggTrades 4; USD-M klines 1/2/5/10 by limit, aggTrades 20. Errors use Binance's codes.
 */
import type { Micros } from '../../../core/market/events.ts';
import { candles } from './candles.ts';
import { firstAtOrAfter, firstIdAtOrAfter, type TradeHistory } from './trade-history.ts';

export interface HistoryAnswer {
  readonly status: number;
  readonly weight: number;
  readonly body: string;
}

const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
};

const HOUR_MS = 3_600_000;

function error(status: number, code: number, msg: string): HistoryAnswer {
  return { status, weight: 1, body: JSON.stringify({ code, msg }) };
}

/** An optional non-negative integer query parameter; NaN when malformed, undefined when absent. */
function optionalInt(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  return /^\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
}

export class BinanceHistoryApi {
  constructor(
    private readonly history: TradeHistory,
    private readonly futures: boolean,
    private readonly now: () => Micros,
  ) {}

  /** The answer for a history path, undefined for any other path. */
  answer(method: string, url: URL): HistoryAnswer | undefined {
    const prefix = this.futures ? '/fapi/v1' : '/api/v3';
    if (method !== 'GET') return undefined;
    if (url.pathname === `${prefix}/klines`) return this.klines(url);
    if (url.pathname === `${prefix}/aggTrades`) return this.aggTrades(url);
    return undefined;
  }

  private symbol(url: URL): string | HistoryAnswer {
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    if (!symbol)
      return error(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    return symbol;
  }

  private klines(url: URL): HistoryAnswer {
    const symbol = this.symbol(url);
    if (typeof symbol !== 'string') return symbol;
    const interval = url.searchParams.get('interval') ?? '';
    const ms = INTERVAL_MS[interval];
    if (ms === undefined) return error(400, -1120, 'Invalid interval.');
    const max = this.futures ? 1500 : 1000;
    const limit = optionalInt(url, 'limit') ?? 500;
    const start = optionalInt(url, 'startTime');
    const end = optionalInt(url, 'endTime');
    if (!(limit >= 1 && limit <= max) || Number.isNaN(start) || Number.isNaN(end))
      return error(400, -1100, 'Illegal characters found in a parameter.');
    const weight = this.futures ? (limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10) : 2;
    const s = this.history.of(symbol);
    if (!s) return { status: 200, weight, body: '[]' };
    const toUs = (end ?? Math.floor(this.now() / 1000)) * 1000;
    // Without startTime Binance returns the newest `limit` candles.
    const fromUs = start !== undefined ? start * 1000 : toUs - limit * ms * 1000;
    const list = candles(s.truth, s.trades, ms * 1000, fromUs, toUs, limit);
    const rows = list.map(
      (c) =>
        `[${c.openTime / 1000},"${c.open}","${c.high}","${c.low}","${c.close}","${c.volume}",${Math.floor(c.closeTime / 1000) + 0},"${c.quoteVolume}",${c.trades},"${c.takerBuyVolume}","${c.takerBuyQuoteVolume}","0"]`,
    );
    return { status: 200, weight, body: `[${rows.join(',')}]` };
  }

  private aggTrades(url: URL): HistoryAnswer {
    const symbol = this.symbol(url);
    if (typeof symbol !== 'string') return symbol;
    const limit = optionalInt(url, 'limit') ?? 500;
    const fromId = optionalInt(url, 'fromId');
    const start = optionalInt(url, 'startTime');
    const end = optionalInt(url, 'endTime');
    if (!(limit >= 1 && limit <= 1000) || Number.isNaN(fromId) || Number.isNaN(start) || Number.isNaN(end))
      return error(400, -1100, 'Illegal characters found in a parameter.');
    if (start !== undefined && end !== undefined && end - start > HOUR_MS)
      return error(400, -1127, 'More than 1 hours between startTime and endTime.');
    const weight = this.futures ? 20 : 4;
    const s = this.history.of(symbol);
    if (!s) return { status: 200, weight, body: '[]' };
    const trades = s.trades;
    let i: number;
    if (fromId !== undefined) i = firstIdAtOrAfter(trades, fromId);
    else if (start !== undefined) i = firstAtOrAfter(trades, start * 1000);
    else i = Math.max(0, trades.length - limit);
    const endUs = end !== undefined ? end * 1000 + 999 : Number.POSITIVE_INFINITY;
    const rows: string[] = [];
    const tail = this.futures ? '' : ',"M":true';
    for (; i < trades.length && rows.length < limit; i++) {
      const t = trades[i]!;
      if (t.ts > endUs) break;
      const id = t.tradeId;
      rows.push(
        `{"a":${id},"p":"${s.truth.price(t.price)}","q":"${s.truth.size(t.size)}","f":${id},"l":${id},"T":${Math.floor(t.ts / 1000)},"m":${t.side === 'sell'}${tail}}`,
      );
    }
    return { status: 200, weight, body: `[${rows.join(',')}]` };
  }
}
