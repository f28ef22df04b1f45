/**
 * Bybit v5 public market history on the simulator, from the trades it printed (TradeHistory):
 *
 *   GET /v5/market/kline           category (spot|linear|inverse, default linear), symbol, interval
 *                                  (1 3 5 15 30 60 120 240 360 720 D), start, end (ms), limit (1–1000,
 *                                  default 200) → result.list [[startTime, open, high, low, close,
 *                                  volume, turnover]] as strings, NEWEST first (as Bybit sorts it)
 *   GET /v5/market/recent-trade    category, symbol, limit (spot 1–60, default 60; others 1–1000,
 *                                  default 500) → result.list [{execId, symbol, price, size, side,
 *                                  time, isBlockTrade}], newest first: only the latest trades, Bybit
 *                                  has no paging for them
 *   GET /v5/market/instruments-info  category, symbol (optional: every symbol of the category), status
 *                                  → symbol, contractType, baseCoin/quoteCoin/settleCoin, priceFilter
 *                                  (tickSize), lotSizeFilter (qtyStep, minOrderQty, maxOrderQty),
 *                                  leverageFilter — the fields ccxt's market loader reads
 *
 * Envelope `{"retCode":0,"retMsg":"OK","result":{…},"retExtInfo":{},"time":ms}`; errors retCode 10001.
 */
import type { Micros } from '../../../core/market/events.ts';
import type { TruthBook } from '../truth/truth-book.ts';
import type { HistoryAnswer } from './binance-history-api.ts';
import { candles } from './candles.ts';
import type { TradeHistory } from './trade-history.ts';

/** The instruments a simulated Bybit lists (all of them, traded or not). */
export type InstrumentSource = () => Iterable<TruthBook>;

const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1': 60_000,
  '3': 180_000,
  '5': 300_000,
  '15': 900_000,
  '30': 1_800_000,
  '60': 3_600_000,
  '120': 7_200_000,
  '240': 14_400_000,
  '360': 21_600_000,
  '720': 43_200_000,
  D: 86_400_000,
};

function optionalInt(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  return /^\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
}

export class BybitHistoryApi {
  constructor(
    private readonly history: TradeHistory,
    private readonly now: () => Micros,
    private readonly listed: InstrumentSource = () => [],
  ) {}

  answer(method: string, url: URL): HistoryAnswer | undefined {
    if (method !== 'GET') return undefined;
    switch (url.pathname) {
      case '/v5/market/kline':
        return this.kline(url);
      case '/v5/market/recent-trade':
        return this.recentTrade(url);
      case '/v5/market/instruments-info':
        return this.instruments(url);
      default:
        return undefined;
    }
  }

  private ok(result: unknown): HistoryAnswer {
    const time = Math.floor(this.now() / 1000);
    return {
      status: 200,
      weight: 1,
      body: JSON.stringify({ retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time }),
    };
  }

  private fail(msg: string): HistoryAnswer {
    const time = Math.floor(this.now() / 1000);
    return {
      status: 200,
      weight: 1,
      body: JSON.stringify({ retCode: 10001, retMsg: msg, result: {}, retExtInfo: {}, time }),
    };
  }

  private kline(url: URL): HistoryAnswer {
    const category = url.searchParams.get('category') ?? 'linear';
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    const ms = INTERVAL_MS[url.searchParams.get('interval') ?? ''];
    const limit = optionalInt(url, 'limit') ?? 200;
    const start = optionalInt(url, 'start');
    const end = optionalInt(url, 'end');
    if (!symbol) return this.fail('params error: symbol is required');
    if (ms === undefined) return this.fail('params error: invalid interval');
    if (!(limit >= 1 && limit <= 1000) || Number.isNaN(start) || Number.isNaN(end))
      return this.fail('params error');
    const s = this.history.of(symbol);
    const toUs = (end ?? Math.floor(this.now() / 1000)) * 1000;
    const fromUs = start !== undefined ? start * 1000 : toUs - limit * ms * 1000;
    // Bybit returns the newest `limit` candles of the range.
    const all = s ? candles(s.truth, s.trades, ms * 1000, fromUs, toUs, Number.MAX_SAFE_INTEGER) : [];
    const list = all
      .slice(-limit)
      .reverse()
      .map((c) => [String(c.openTime / 1000), c.open, c.high, c.low, c.close, c.volume, c.quoteVolume]);
    return this.ok({ symbol, category, list });
  }

  private recentTrade(url: URL): HistoryAnswer {
    const category = url.searchParams.get('category') ?? 'linear';
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    const spot = category === 'spot';
    const limit = optionalInt(url, 'limit') ?? (spot ? 60 : 500);
    if (!symbol) return this.fail('params error: symbol is required');
    if (!(limit >= 1 && limit <= (spot ? 60 : 1000))) return this.fail('params error: limit');
    const s = this.history.of(symbol);
    const trades = s ? s.trades.slice(-limit).reverse() : [];
    const list = trades.map((t) => ({
      execId: String(t.tradeId),
      symbol,
      price: s!.truth.price(t.price),
      size: s!.truth.size(t.size),
      side: t.side === 'buy' ? 'Buy' : 'Sell',
      time: String(Math.floor(t.ts / 1000)),
      isBlockTrade: false,
    }));
    return this.ok({ category, list });
  }

  private instruments(url: URL): HistoryAnswer {
    const category = url.searchParams.get('category') ?? 'linear';
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    const status = url.searchParams.get('status');
    // The simulator lists only instruments that trade: a PreLaunch (or any other status) query is empty.
    if (status !== null && status !== 'Trading') return this.ok({ category, list: [] });
    const wanted = (t: TruthBook) =>
      (category === 'spot' ? t.instrument.kind === 'spot' : t.instrument.kind !== 'spot') &&
      (symbol === '' || t.venueSymbol === symbol);
    const list = [];
    const seen = new Set<string>();
    for (const t of [...this.listed(), ...(symbol === '' ? [] : [this.history.of(symbol)?.truth])]) {
      if (t === undefined || seen.has(t.venueSymbol) || !wanted(t)) continue;
      seen.add(t.venueSymbol);
      list.push(instrumentInfo(t, category));
    }
    return this.ok({ category, list, nextPageCursor: '' });
  }
}

function instrumentInfo(t: TruthBook, category: string) {
  const i = t.instrument;
  const lot = t.size(i.lotSize);
  return {
    symbol: i.venueSymbol,
    ...(category === 'spot' ? {} : { contractType: 'LinearPerpetual', settleCoin: i.quote }),
    status: 'Trading',
    baseCoin: i.base,
    quoteCoin: i.quote,
    launchTime: '0',
    priceFilter: { tickSize: t.price(i.tickSize) },
    lotSizeFilter: {
      qtyStep: lot,
      basePrecision: lot,
      minOrderQty: lot,
      maxOrderQty: t.size(i.lotSize * 1_000_000),
    },
    ...(category === 'spot'
      ? {}
      : { leverageFilter: { minLeverage: '1', maxLeverage: '100', leverageStep: '0.01' } }),
  };
}
