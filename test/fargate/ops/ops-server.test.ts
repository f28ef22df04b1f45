import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadValidationRules } from '../../../config/validation-rules.ts';
import { replayCapture } from '../../../core/capture/replay-capture.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { QualityMonitor } from '../../../core/quality/quality-monitor.ts';
import { BinanceFeed } from '../../../core/venues/binance/binance-feed.ts';
import { combineListeners } from '../../../core/venues/combine-listeners.ts';
import { LiveMarketState } from '../../../fargate/ops/live-market-state.ts';
import { type OpsServer, startOpsServer } from '../../../fargate/ops/ops-server.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { fixture } from '../../support/fixtures.ts';

describe('ops server on a replayed real capture', () => {
  let server: OpsServer;
  let clock = 0;
  const quality = new QualityMonitor(loadValidationRules());
  const state = new LiveMarketState({ now: () => clock, quality });

  beforeAll(async () => {
    const capture = readCapture(fixture('binance/hftbacktest_usdm_btcusdt_20240808.gz'));
    const feed = new BinanceFeed({
      market: 'usdm',
      instruments: new InstrumentRegistry(),
      listener: combineListeners(state.listenerFor('binance-futures'), quality),
    });
    state.attach('binance-futures', feed);
    state.onConnection({
      type: 'connection',
      exchange: 'binance-futures',
      symbol: '',
      exchangeTs: 0,
      localTs: 0,
      state: 'connected',
      detail: 'test',
    });
    replayCapture(capture.records, feed);
    clock = capture.records.at(-1)!.localTs;
    server = await startOpsServer({ state, port: 0, maxAgeMs: 2000 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves Prometheus metrics with the seed names', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // The recorder's clock ran ~1.3 s behind Binance's here, so no positive latency is recorded.
    expect(text).not.toMatch(/market_data_latency_ms\{exchange="binance-futures"/);
    expect(text).toMatch(
      /order_book_quality_score\{exchange="binance-futures",symbol="BTC\/USDT:USDT"\} 100/,
    );
    expect(text).toMatch(/market_data_messages_total\{exchange="binance-futures"\} 93953/);
    expect(text).toMatch(/order_book_gaps_total\{exchange="binance-futures"\} 0/);
    expect(text).toMatch(/exchange_connection_status\{exchange="binance-futures"\} 2/);
    expect(text).toMatch(/order_book_trusted\{exchange="binance-futures",symbol="BTC\/USDT:USDT"\} 1/);
  });

  it('reports per-venue freshness on /health and turns unhealthy when a venue goes silent', async () => {
    let res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      ok: boolean;
      venues: Array<{ exchange: string; fresh: boolean; trustedBooks: number }>;
    };
    expect(body.venues[0]).toMatchObject({ exchange: 'binance-futures', fresh: true, trustedBooks: 1 });
    clock += 5_000_000;
    res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      ok: false,
      venues: [
        { exchange: 'binance-futures', ok: false, problems: [expect.stringMatching(/^silent for \d+ ms/)] },
      ],
    });
    clock -= 5_000_000;
  });

  it('serves the state as JSON with exact top of book', async () => {
    const res = await fetch(`${server.url}/api/state`);
    const { venues } = (await res.json()) as {
      venues: Array<{
        books: Array<{ symbol: string; bestBid: string; bestAsk: string; trust: string }>;
        trades: unknown[];
      }>;
    };
    const book = venues[0]!.books[0]!;
    expect(book).toMatchObject({
      symbol: 'BTC/USDT:USDT',
      trust: 'trusted',
      bestBid: '61659.7',
      bestAsk: '61659.8',
    });
    expect(venues[0]!.trades.length).toBe(20);
  });
});

describe('latency metric', () => {
  it('records receive − exchange time of book updates as p50/p99 in ms', async () => {
    const state = new LiveMarketState({ now: () => 10_000_000 });
    const feed = new BinanceFeed({
      market: 'spot',
      instruments: new InstrumentRegistry(),
      listener: state.listenerFor('binance'),
    });
    state.attach('binance', feed);
    feed.onSnapshot('BTCUSDT', '{"lastUpdateId":1,"bids":[["9.01","1.5"]],"asks":[["12.01","1.5"]]}', 1000);
    for (let i = 0; i < 100; i++) {
      // exchange time E (ms) = receive time − (2 ms, or 8 ms for the slowest 2 %)
      const local = 2_000_000 + i * 1000;
      const E = (local - (i >= 98 ? 8000 : 2000)) / 1000;
      feed.onMessage(
        `{"e":"depthUpdate","E":${E},"s":"BTCUSDT","U":${i + 2},"u":${i + 2},"b":[["9.0${i % 10}","1.0"]],"a":[]}`,
        local,
      );
    }
    const server = await startOpsServer({ state, port: 0 });
    try {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain('market_data_latency_ms{exchange="binance",quantile="0.5"} 2');
      expect(text).toMatch(/market_data_latency_ms\{exchange="binance",quantile="0.99"\} 8/);
    } finally {
      await server.close();
    }
  });
});
