import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import type { TradeEvent } from '../../../core/market/events.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import {
  BOOK,
  EVENT,
  LOCAL_TS_SLOT,
  RAW,
  REC_SEQ_SLOT,
  TRADE,
} from '../../../core/recording/recording-tables.ts';
import { Recorder, type RecorderOptions, type RecorderWarning } from '../../../fargate/recorder/recorder.ts';
import { MemorySink } from './memory-sink.ts';

const BTC = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 8,
});

function setup(options: Partial<RecorderOptions> = {}) {
  const sink = new MemorySink();
  let now = 0;
  const warnings: RecorderWarning[] = [];
  const recorder = new Recorder({
    sink,
    clock: () => now,
    pollIntervalMs: 0,
    session: 7,
    onWarning: (w) => warnings.push(w),
    ...options,
  });
  return {
    sink,
    recorder,
    warnings,
    setNow: (ms: number) => {
      now = ms;
    },
  };
}

function trade(i: number): TradeEvent {
  return {
    type: 'trade',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    exchangeTs: 1_000 + i,
    localTs: 2_000 + i,
    tradeId: String(i),
    price: 6183764 + i,
    size: 100 + i,
    side: i % 2 === 0 ? 'buy' : 'sell',
  };
}

describe('Recorder batching', () => {
  it('flushes when maxRows rows wait — after the record call returns, never inside it', async () => {
    const { sink, recorder } = setup({ policy: { maxRows: 3, maxDelayMs: 1e9 } });
    recorder.recordMessage('binance', 'c1', 1, 'a');
    recorder.recordMessage('binance', 'c1', 2, 'b');
    await tick();
    expect(sink.batches).toHaveLength(0);
    recorder.recordMessage('binance', 'c1', 3, 'c');
    expect(sink.batches).toHaveLength(0); // synchronous call: nothing written yet
    await tick();
    await tick();
    expect(sink.rows('raw').map((r) => r.texts[RAW.body])).toEqual(['a', 'b', 'c']);
    expect(recorder.stats().raw).toMatchObject({ accepted: 3, written: 3, waiting: 0, batches: 1 });
    await recorder.close();
  });

  it('flushes when the oldest waiting row is maxDelayMs old (fake clock)', async () => {
    const { sink, recorder, setNow } = setup({ policy: { maxRows: 1000, maxDelayMs: 1000 } });
    setNow(5_000);
    recorder.recordTrade(trade(0), BTC);
    setNow(5_600);
    recorder.recordTrade(trade(1), BTC);
    setNow(5_999);
    recorder.poll();
    await tick();
    expect(sink.batches).toHaveLength(0);
    setNow(6_000); // the first row has waited 1 s
    recorder.poll();
    await tick();
    expect(sink.rows('trade')).toHaveLength(2);
    // The age restarts with the next row.
    setNow(6_500);
    recorder.recordTrade(trade(2), BTC);
    setNow(7_400);
    recorder.poll();
    await tick();
    expect(sink.rows('trade')).toHaveLength(2);
    setNow(7_500);
    recorder.poll();
    await tick();
    expect(sink.rows('trade')).toHaveLength(3);
    await recorder.close();
  });

  it('flushes on its own timer with the real clock', async () => {
    const sink = new MemorySink();
    const recorder = new Recorder({ sink, policy: { maxDelayMs: 20 }, pollIntervalMs: 5 });
    recorder.recordMessage('binance', 'c1', 1, 'a');
    for (let i = 0; i < 100 && sink.batches.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sink.rows('raw')).toHaveLength(1);
    await recorder.close();
  });

  it('keeps a slow sink from blocking: drops the OLDEST waiting rows, counts them, warns (rate-limited)', async () => {
    const { sink, recorder, warnings, setNow } = setup({
      policy: { maxRows: 2, maxDelayMs: 1e9, maxBufferedRows: 4 },
      warnIntervalMs: 1000,
    });
    sink.hold();
    recorder.recordTrade(trade(0), BTC);
    recorder.recordTrade(trade(1), BTC);
    await tick(); // batch 1 (rows 0, 1) is now in flight, and stuck
    expect(recorder.stats().trade).toMatchObject({ inFlight: 2, waiting: 0 });
    for (let i = 2; i < 12; i++) {
      expect(recorder.recordTrade(trade(i), BTC)).toBeUndefined(); // returns at once, nothing to await
      setNow(i * 100);
    }
    const stats = recorder.stats().trade;
    expect(stats).toMatchObject({ accepted: 12, waiting: 4, inFlight: 2, dropped: 6 });
    // One warning at the first drop; the rest are held back by the rate limit.
    expect(warnings).toEqual([{ type: 'dropped', kind: 'trade', dropped: 1, totalDropped: 1 }]);
    sink.release();
    await recorder.close();
    expect(warnings.at(-1)).toEqual({ type: 'dropped', kind: 'trade', dropped: 5, totalDropped: 6 });
    // What was in flight, then the newest four: the oldest waiting rows were the ones dropped.
    expect(sink.rows('trade').map((r) => r.texts[TRADE.tradeId])).toEqual(['0', '1', '8', '9', '10', '11']);
    expect(recorder.stats().trade).toMatchObject({ written: 6, dropped: 6, waiting: 0, inFlight: 0 });
  });

  it('bounds raw frames by characters as well as rows', async () => {
    const { recorder } = setup({ policy: { maxRows: 100, maxDelayMs: 1e9, maxBufferedChars: 10 } });
    for (let i = 0; i < 5; i++) recorder.recordMessage('binance', '', i, 'xxxx');
    expect(recorder.stats().raw).toMatchObject({ waiting: 2, dropped: 3 });
    await recorder.close();
  });

  it('close() writes every accepted row of every table, then closes the sink; later rows are ignored', async () => {
    const { sink, recorder } = setup({ policy: { maxRows: 1000, maxDelayMs: 1e9 } });
    const book = new L2Book();
    book.set(true, 6183763, 378826000);
    book.set(false, 6183764, 154698000);
    recorder.recordMessage('binance', 'c1', 10, '{"m":1}');
    recorder.recordRest('binance', '/api/v3/depth?symbol=BTCUSDT&limit=5000', 11, '{"lastUpdateId":1}');
    recorder.recordOpen('binance', 'c1', 9, 'wss://stream.binance.com:9443/stream');
    recorder.recordBookLevels(BTC, 12, 5, 77, book.bids, book.asks);
    recorder.recordTrade(trade(3), BTC);
    recorder.recordEvent({
      type: 'book_state',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      exchangeTs: 0,
      localTs: 13,
      state: 'trusted',
      reason: 'snapshot applied',
    });
    recorder.recordEvent({
      type: 'quality',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      exchangeTs: 0,
      localTs: 14,
      score: 87.5,
      issues: ['wide_spread', 'stale_data'],
    });
    expect(
      recorder.recordEvent({
        type: 'book_delta',
        exchange: 'binance',
        symbol: 'BTC/USDT',
        exchangeTs: 0,
        localTs: 15,
        sequence: null,
        bids: [],
        asks: [],
      }),
    ).toBe(false);
    await recorder.close();
    expect(sink.closed).toBe(true);
    const s = recorder.stats();
    expect([s.raw.written, s.book.written, s.trade.written, s.event.written]).toEqual([3, 1, 1, 2]);

    const raw = sink.rows('raw');
    expect(raw.map((r) => [r.numbers[RAW.type], r.texts[RAW.url], r.texts[RAW.body]])).toEqual([
      [0, '', '{"m":1}'],
      [1, '/api/v3/depth?symbol=BTCUSDT&limit=5000', '{"lastUpdateId":1}'],
      [2, 'wss://stream.binance.com:9443/stream', ''],
    ]);
    expect(raw[0]).toMatchObject({ exchange: 'binance', symbol: 'ALL' });

    const [b] = sink.rows('book');
    expect(b).toMatchObject({ exchange: 'binance', symbol: 'BTC-USDT', venueSymbol: 'BTCUSDT' });
    const n = b!.numbers;
    expect([
      n[LOCAL_TS_SLOT],
      n[BOOK.exchangeTs],
      n[BOOK.sequence],
      n[BOOK.priceScale],
      n[BOOK.sizeScale],
    ]).toEqual([12, 5, 77, 2, 8]);
    expect(n.slice(BOOK.levels, BOOK.levels + 4)).toEqual([6183763, 378826000, 6183764, 154698000]);
    expect(Number.isNaN(n[BOOK.levels + 4])).toBe(true); // beyond the book: no level

    const events = sink.rows('event');
    expect(events.map((e) => [e.numbers[EVENT.type], e.texts[EVENT.state], e.texts[EVENT.issues]])).toEqual([
      [0, 'trusted', ''],
      [1, '', 'wide_spread; stale_data'],
    ]);
    expect(events[1]!.numbers[EVENT.score]).toBe(87.5);

    // One counter orders every row the recorder took, across tables.
    const seqs = [...raw, b!, ...sink.rows('trade'), ...events].map((r) => r.numbers[REC_SEQ_SLOT]);
    expect(new Set(seqs).size).toBe(7);

    recorder.recordMessage('binance', 'c1', 20, 'late');
    expect(recorder.stats().ignoredAfterClose).toBe(1);
  });
});
