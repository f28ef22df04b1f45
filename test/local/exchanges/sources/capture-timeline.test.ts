import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../core/capture/replay-capture.ts';
import type { ExchangeId } from '../../../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { createFeed } from '../../../../core/venues/create-feed.ts';
import type { VenueFeed } from '../../../../core/venues/feed-types.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';
import { instrumentsFor } from '../../../../local/capture/reference-data.ts';
import { captureTimeline } from '../../../../local/exchanges/sources/capture-timeline.ts';
import { applyDelta, copyBook } from '../../../../local/exchanges/truth/book-delta.ts';
import { FIXTURES } from '../harness.ts';

const CASES: Array<[ExchangeId, string[], number]> = [
  ['binance', ['binance/cryptofeed_BINANCE.ws.1.0.gz'], 4],
  ['binance-futures', ['binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz'], 4],
  ['kraken', ['kraken/cryptofeed_KRAKEN.ws.50.0.gz'], 10],
  ['coinbase', ['coinbase/cryptofeed_COINBASE.ws.28.0.gz'], 10],
  ['bybit', ['bybit/nautilus_xrpusdt-ob500.data.zip'], 1],
  ['kucoin', ['kucoin/cryptofeed_KUCOIN.ws.1.0.gz'], 9],
];

function feedFor(exchange: ExchangeId, path: string): VenueFeed {
  return createFeed({ exchange, instruments: new InstrumentRegistry(instrumentsFor(path)) });
}

describe('captureTimeline', () => {
  it.each(CASES)(
    '%s: first books + steps replay to exactly the books the core feed ends with',
    (exchange, files, symbols) => {
      const paths = files.map((f) => FIXTURES + f);
      const timeline = captureTimeline(paths);
      expect(timeline.exchange).toBe(exchange);
      expect(timeline.instruments.size).toBe(symbols);
      expect(timeline.steps.length).toBeGreaterThan(10);
      // Steps are in time order and within the recording.
      for (let i = 1; i < timeline.steps.length; i++)
        expect(timeline.steps[i]!.at).toBeGreaterThanOrEqual(timeline.steps[i - 1]!.at);
      expect(timeline.steps.at(-1)!.at).toBeLessThanOrEqual(timeline.duration);

      const books = new Map([...timeline.initial].map(([k, b]) => [k, copyBook(b)]));
      for (const s of timeline.steps) if (s.delta) applyDelta(books.get(s.venueSymbol)!, s.delta);

      const feed = feedFor(exchange, paths[0]!);
      replayCapture(readCapture(paths[0]!).records, feed);
      for (const sb of feed.books()) {
        if (!sb.trusted) continue;
        const mine = books.get(sb.venueSymbol)!;
        // Integers may be at another scale when the feed inferred differently: compare at the timeline's.
        const i = timeline.instruments.get(sb.venueSymbol)!;
        expect(i.priceScale).toBe(sb.instrument.priceScale);
        expect(i.sizeScale).toBe(sb.instrument.sizeScale);
        expect(mine.snapshot(), sb.venueSymbol).toEqual(sb.book.snapshot());
      }
    },
  );

  it('kraken: book and trade connections merge into one timeline with trades', () => {
    const t = captureTimeline([
      `${FIXTURES}kraken/cryptofeed_KRAKEN.ws.50.0.gz`,
      `${FIXTURES}kraken/cryptofeed_KRAKEN.ws.48.0.gz`,
    ]);
    expect(t.steps.filter((s) => s.trade).length).toBeGreaterThan(0);
    expect(t.steps.filter((s) => s.delta).length).toBe(4269);
  });
});
