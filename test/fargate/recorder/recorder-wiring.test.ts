import { describe, expect, it } from 'vitest';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { RAW, TRADE } from '../../../core/recording/recording-tables.ts';
import { BinanceFeed } from '../../../core/venues/binance/binance-feed.ts';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { RecorderWiring } from '../../../fargate/recorder/recorder-wiring.ts';
import { MemorySink } from './memory-sink.ts';

const T = 1723161255208000;
const trade = `{"e":"trade","E":1723161255208,"s":"BTCUSDT","t":1,"p":"61837.64000000","q":"0.00100000","T":1723161255207,"m":true}`;

describe('RecorderWiring (how npm start feeds the recorder)', () => {
  it('taps frames, REST bodies and opened connections as raw rows, named shard.connection', async () => {
    const sink = new MemorySink();
    const recorder = new Recorder({ sink, pollIntervalMs: 0 });
    const tap = new RecorderWiring(recorder).rawTap;
    tap.connection?.('binance', 'open', 'ws://x/stream', T, { shard: 1, connection: 2 });
    tap.connection?.('binance', 'lost', 'ws://x/stream', T + 1, { shard: 1, connection: 2 });
    tap.frame('binance', trade, T + 2, { shard: 1, connection: 2 });
    tap.rest?.('binance', 'http://x/api/v3/depth?symbol=BTCUSDT', 'BTCUSDT', '{"lastUpdateId":1}', T + 3);
    await recorder.close();
    expect(
      sink.rows('raw').map((r) => [r.numbers[RAW.type], r.texts[RAW.connection], r.texts[RAW.body]]),
    ).toEqual([
      [2, '1.2', ''], // open (its URL in the url column); 'lost' is not a row
      [0, '1.2', trade],
      [1, '', '{"lastUpdateId":1}'],
    ]);
  });

  it('gives one listener per venue and, once attached to the feed, scales a trade that precedes any book', async () => {
    const sink = new MemorySink();
    const recorder = new Recorder({ sink, pollIntervalMs: 0 });
    const wiring = new RecorderWiring(recorder);
    const listener = wiring.listenerFor('binance');
    expect(wiring.listenerFor('binance')).toBe(listener);
    const feed = new BinanceFeed({ market: 'spot', instruments: new InstrumentRegistry(), listener });
    wiring.attach('binance', feed);
    feed.onMessage(trade, T);
    await recorder.close();
    expect(listener.unscaledTrades).toBe(0);
    expect(sink.rows('trade').map((r) => [r.numbers[TRADE.price], r.numbers[TRADE.priceScale]])).toEqual([
      [6183764, 2],
    ]);
  });
});
