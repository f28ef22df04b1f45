import { describe, expect, it } from 'vitest';
import {
  isOpResponse,
  isOrderbookMessage,
  isPublicTradeMessage,
  isTickerMessage,
  parseOrderbookTopic,
} from '../../../../core/venues/bybit/wire.ts';
import type { JsonObject } from '../../../../core/venues/wire-guards.ts';

const obj = (s: string) => JSON.parse(s) as JsonObject;

describe('Bybit wire', () => {
  it('parses orderbook topics and refuses other shapes', () => {
    expect(parseOrderbookTopic('orderbook.500.XRPUSDT')).toEqual({ depth: 500, symbol: 'XRPUSDT' });
    expect(parseOrderbookTopic('orderbook.1.BTC-26DEC25')).toEqual({ depth: 1, symbol: 'BTC-26DEC25' });
    for (const t of [
      'orderbook.XRPUSDT',
      'orderbook.0.XRPUSDT',
      'orderbook.50.',
      'orderbook.50.A.B',
      'tickers.X',
    ])
      expect(parseOrderbookTopic(t)).toBeUndefined();
  });

  it('orderbook guard: levels string tuples, type snapshot|delta (u and seq are read by the feed)', () => {
    const ok =
      '{"topic":"orderbook.50.X","type":"delta","ts":1,"data":{"s":"X","b":[["1","2"]],"a":[],"u":5,"seq":9},"cts":1}';
    expect(isOrderbookMessage(obj(ok))).toBe(true);
    expect(isOrderbookMessage(obj(ok.replace('[["1","2"]]', '[[1,2]]')))).toBe(false);
    expect(isOrderbookMessage(obj(ok.replace('"delta"', '"update"')))).toBe(false);
    expect(isOrderbookMessage(obj(ok.replace('"cts":1', '"cts":"1"')))).toBe(false);
  });

  it('trade, ticker and op guards', () => {
    expect(
      isPublicTradeMessage(
        obj(
          '{"topic":"publicTrade.X","type":"snapshot","ts":1,"data":[{"T":1,"s":"X","S":"Sell","v":"1","p":"2","i":"id"}]}',
        ),
      ),
    ).toBe(true);
    expect(
      isPublicTradeMessage(
        obj('{"topic":"publicTrade.X","ts":1,"data":[{"T":1,"s":"X","S":"Sell","v":1,"p":"2","i":"id"}]}'),
      ),
    ).toBe(false);
    expect(
      isTickerMessage(
        obj('{"topic":"tickers.X","type":"delta","ts":1,"data":{"symbol":"X","markPrice":"1"}}'),
      ),
    ).toBe(true);
    expect(
      isTickerMessage(obj('{"topic":"tickers.X","type":"delta","ts":1,"data":{"symbol":"X","markPrice":1}}')),
    ).toBe(false);
    expect(isOpResponse(obj('{"success":true,"op":"subscribe"}'))).toBe(true);
    expect(isOpResponse(obj('{"op":"pong","args":["1"]}'))).toBe(true);
    expect(isOpResponse(obj('{"success":"yes","op":"subscribe"}'))).toBe(false);
  });
});
