import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../core/capture/replay-capture.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { BOOK, LOCAL_TS_SLOT, TRADE } from '../../../core/recording/recording-tables.ts';
import { BinanceFeed } from '../../../core/venues/binance/binance-feed.ts';
import { combineListeners } from '../../../core/venues/combine-listeners.ts';
import type { SymbolBook } from '../../../core/venues/symbol-book.ts';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { RecordingListener } from '../../../fargate/recorder/recording-listener.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { fixture } from '../../support/fixtures.ts';
import { MemorySink } from './memory-sink.ts';

async function record(attach: boolean) {
  const capture = readCapture(fixture('binance/cryptofeed_BINANCE.ws.1.0.gz'));
  const sink = new MemorySink();
  const recorder = new Recorder({ sink, pollIntervalMs: 0, policy: { maxDelayMs: 1e9 } });
  const listener = new RecordingListener(recorder);
  const seen: Array<{ symbol: string; localTs: number; bid: number; sequence: number }> = [];
  const probe = {
    onBook: (b: SymbolBook) =>
      seen.push({ symbol: b.symbol, localTs: b.localTs, bid: b.book.bestBid(), sequence: b.sequence }),
  };
  const feed = new BinanceFeed({
    market: 'spot',
    instruments: new InstrumentRegistry(),
    listener: combineListeners(listener, probe),
  });
  if (attach) listener.attach(feed);
  replayCapture(capture.records, feed);
  await recorder.close();
  return { sink, listener, feed, seen };
}

describe('RecordingListener on a real Binance capture', () => {
  it('records one book row per applied message, in order, with the book as it was then', async () => {
    const { sink, seen } = await record(true);
    const rows = sink.rows('book');
    expect(rows.length).toBe(seen.length);
    expect(rows.length).toBeGreaterThan(50);
    rows.forEach((r, i) => {
      const s = seen[i]!;
      expect(r.symbol).toBe(s.symbol.replace('/', '-'));
      expect(r.numbers[LOCAL_TS_SLOT]).toBe(s.localTs);
      expect(r.numbers[BOOK.levels]).toBe(s.bid);
      expect(r.numbers[BOOK.sequence]).toBe(s.sequence);
    });
  });

  it('records every trade with its instrument scales once attached to the feed', async () => {
    const { sink, listener, feed } = await record(true);
    expect(listener.unscaledTrades).toBe(0);
    const trades = sink.rows('trade');
    expect(trades.length).toBe(feed.counters.trades);
    const books = new Map([...feed.books()].map((b) => [b.venueSymbol, b.instrument]));
    for (const t of trades) {
      const i = books.get(t.venueSymbol)!;
      expect([t.numbers[TRADE.priceScale], t.numbers[TRADE.sizeScale]]).toEqual([i.priceScale, i.sizeScale]);
    }
    // book_state transitions are recorded as events.
    expect(sink.rows('event').length).toBeGreaterThan(0);
  });

  it('without the feed, a trade before its symbol’s first book cannot be scaled: counted, not guessed', async () => {
    const sink = new MemorySink();
    const recorder = new Recorder({ sink, pollIntervalMs: 0 });
    const trade = (id: number) =>
      `{"e":"trade","E":1723161255208,"s":"BTCUSDT","t":${id},"p":"61837.64000000","q":"0.00100000","T":1723161255207,"m":true}`;
    for (const attach of [false, true]) {
      const listener = new RecordingListener(recorder);
      const feed = new BinanceFeed({ market: 'spot', instruments: new InstrumentRegistry(), listener });
      if (attach) listener.attach(feed);
      feed.onMessage(trade(1), 1723161255208000);
      feed.onMessage(trade(2), 1723161255209000);
      expect(feed.counters.trades).toBe(2);
      expect(listener.unscaledTrades).toBe(attach ? 0 : 2);
    }
    await recorder.close();
    const [first] = sink.rows('trade');
    expect(sink.rows('trade')).toHaveLength(2);
    // 61837.64 × 0.001, at the inferred scales (2 and the 8 decimals the wire writes).
    const n = first!.numbers;
    expect([n[TRADE.price], n[TRADE.priceScale], n[TRADE.size], n[TRADE.sizeScale]]).toEqual([
      6183764, 2, 100000, 8,
    ]);
  });
});
