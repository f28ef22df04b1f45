import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { BinanceHistoryApi } from '../../../../local/exchanges/history/binance-history-api.ts';
import { BybitHistoryApi } from '../../../../local/exchanges/history/bybit-history-api.ts';
import { TradeHistory } from '../../../../local/exchanges/history/trade-history.ts';
import { TruthBook } from '../../../../local/exchanges/truth/truth-book.ts';

const BTC = makeInstrument({
  exchange: 'binance-futures',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 1,
  sizeScale: 3,
});
const T0 = Date.UTC(2024, 7, 8, 12, 0, 0) * 1000;

function history(): TradeHistory {
  const h = new TradeHistory();
  const truth = new TruthBook(BTC, 100);
  // Two trades in the 12:00 minute, one at 12:01:30.
  h.onTrade(truth, { tradeId: 101, price: 610_001, size: 2, side: 'buy', ts: T0 + 1_000_000 });
  h.onTrade(truth, { tradeId: 102, price: 610_005, size: 3, side: 'sell', ts: T0 + 2_000_000 });
  h.onTrade(truth, { tradeId: 103, price: 609_990, size: 1, side: 'buy', ts: T0 + 90_000_000 });
  return h;
}

const url = (path: string): URL => new URL(`http://sim${path}`);

describe('simulated history endpoints', () => {
  it('Binance klines: the REST row shape, exact quote volume, the venue weight', () => {
    const api = new BinanceHistoryApi(history(), true, () => T0 + 120_000_000);
    const a = api.answer(
      'GET',
      url(`/fapi/v1/klines?symbol=BTCUSDT&interval=1m&startTime=${T0 / 1000}&limit=1000`),
    )!;
    expect(a.weight).toBe(5);
    expect(JSON.parse(a.body)).toEqual([
      [
        T0 / 1000,
        '61000.1',
        '61000.5',
        '61000.1',
        '61000.5',
        '0.005',
        T0 / 1000 + 59_999,
        '305.0017',
        2,
        '0.002',
        '122.0002',
        '0',
      ],
      [
        T0 / 1000 + 60_000,
        '60999',
        '60999',
        '60999',
        '60999',
        '0.001',
        T0 / 1000 + 119_999,
        '60.999',
        1,
        '0.001',
        '60.999',
        '0',
      ],
    ]);
    expect(api.answer('GET', url('/fapi/v1/klines?symbol=BTCUSDT&interval=7m'))!.body).toContain('-1120');
    expect(api.answer('GET', url('/api/v3/klines?symbol=BTCUSDT&interval=1m'))).toBeUndefined();
  });

  it('Binance aggTrades: fromId and time windows, at most an hour apart', () => {
    const api = new BinanceHistoryApi(history(), false, () => T0);
    const byId = JSON.parse(api.answer('GET', url('/api/v3/aggTrades?symbol=BTCUSDT&fromId=102'))!.body);
    expect(byId).toEqual([
      { a: 102, p: '61000.5', q: '0.003', f: 102, l: 102, T: T0 / 1000 + 2000, m: true, M: true },
      { a: 103, p: '60999.0', q: '0.001', f: 103, l: 103, T: T0 / 1000 + 90_000, m: false, M: true },
    ]);
    const window = api.answer(
      'GET',
      url(`/api/v3/aggTrades?symbol=BTCUSDT&startTime=${T0 / 1000}&endTime=${T0 / 1000 + 1500}`),
    )!;
    expect(window.weight).toBe(4);
    expect(JSON.parse(window.body).map((t: { a: number }) => t.a)).toEqual([101]);
    const tooLong = api.answer(
      'GET',
      url(`/api/v3/aggTrades?symbol=BTCUSDT&startTime=0&endTime=${3_600_001}`),
    )!;
    expect(tooLong.status).toBe(400);
    expect(JSON.parse(tooLong.body).code).toBe(-1127);
  });

  it('Bybit kline (newest first) and recent-trade, in the v5 envelope', () => {
    const api = new BybitHistoryApi(history(), () => T0 + 120_000_000);
    const k = JSON.parse(
      api.answer('GET', url(`/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=${T0 / 1000}`))!
        .body,
    );
    expect(k.retCode).toBe(0);
    expect(k.result.list.map((r: string[]) => r[0])).toEqual([String(T0 / 1000 + 60_000), String(T0 / 1000)]);
    expect(k.result.list[1]).toEqual([
      String(T0 / 1000),
      '61000.1',
      '61000.5',
      '61000.1',
      '61000.5',
      '0.005',
      '305.0017',
    ]);
    const t = JSON.parse(
      api.answer('GET', url('/v5/market/recent-trade?category=linear&symbol=BTCUSDT&limit=2'))!.body,
    );
    expect(t.result.list).toEqual([
      {
        execId: '103',
        symbol: 'BTCUSDT',
        price: '60999.0',
        size: '0.001',
        side: 'Buy',
        time: String(T0 / 1000 + 90_000),
        isBlockTrade: false,
      },
      {
        execId: '102',
        symbol: 'BTCUSDT',
        price: '61000.5',
        size: '0.003',
        side: 'Sell',
        time: String(T0 / 1000 + 2000),
        isBlockTrade: false,
      },
    ]);
    const spot = JSON.parse(
      api.answer('GET', url('/v5/market/recent-trade?category=spot&symbol=BTCUSDT&limit=61'))!.body,
    );
    expect(spot.retCode).toBe(10001);
  });
});
