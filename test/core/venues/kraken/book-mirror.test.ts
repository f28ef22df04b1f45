/**
 * A mirror built only from the listener's onBook changes (cleared on each snapshot event) equals
 * the feed's book after every message: levels the depth window drops are reported as removals.
 */
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import type { VenueFeed } from '../../../../core/venues/feed-types.ts';
import { KrakenV1Feed } from '../../../../core/venues/kraken/kraken-v1-feed.ts';
import { KrakenV2Feed } from '../../../../core/venues/kraken/kraken-v2-feed.ts';
import type { SymbolBook } from '../../../../core/venues/symbol-book.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';
import { FeedObserver } from '../../../../local/fuzz/feed-observer.ts';
import { fixture } from '../../../support/fixtures.ts';

function expectMirrored(feed: VenueFeed, mirror: FeedObserver): void {
  for (const sb of feed.books()) expect(mirror.levels(sb.symbol), sb.venueSymbol).toEqual(sb.book.snapshot());
}

describe('Kraken: listener changes mirror the book', () => {
  it('v1, the recorded book-1000 capture, after every message', () => {
    const mirror = new FeedObserver();
    let touched: SymbolBook | undefined;
    const feed = new KrakenV1Feed({
      instruments: new InstrumentRegistry(),
      listener: {
        ...mirror,
        onBook: (sb, changes) => {
          mirror.onBook(sb, changes);
          touched = sb;
        },
      },
    });
    const records = readCapture(fixture('kraken/cryptofeed_KRAKEN.ws.50.0.gz')).records;
    for (const r of records) {
      if (r.kind !== 'message') continue;
      touched = undefined;
      feed.onMessage(r.body, r.localTs);
      // The book the message changed (the others did not move).
      if (touched) expect(mirror.difference(touched)).toBeUndefined();
    }
    expectMirrored(feed, mirror);
    expect(feed.counters.checksumsVerified).toBe(4269);
  });

  it('v1 and v2, when updates push levels out of a small depth', () => {
    const v1Mirror = new FeedObserver();
    const v1 = new KrakenV1Feed({ instruments: new InstrumentRegistry(), listener: v1Mirror });
    v1.onMessage(
      '[1,{"as":[["101.0","1.0","1.1"],["102.0","1.0","1.1"]],"bs":[["100.0","1.0","1.1"],["99.0","1.0","1.1"]]},"book-2","XBT/USD"]',
      1,
    );
    v1.onMessage(
      '[1,{"a":[["100.5","2.0","1.2"]]},{"b":[["100.2","3.0","1.2"],["98.0","1.0","1.2"]]},"book-2","XBT/USD"]',
      2,
    );
    const sb1 = [...v1.books()][0]!;
    expect(sb1.book.asks.count).toBe(2);
    expect(sb1.book.bids.count).toBe(2);
    expectMirrored(v1, v1Mirror);

    const v2Mirror = new FeedObserver();
    const v2 = new KrakenV2Feed({
      instruments: new InstrumentRegistry(),
      listener: v2Mirror,
      depth: 2,
    });
    v2.onMessage(
      '{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":100.0,"qty":1.0},{"price":99.0,"qty":1.0},{"price":98.0,"qty":1.0}],"asks":[{"price":101.0,"qty":1.0},{"price":102.0,"qty":1.0}]}]}',
      1,
    );
    v2.onMessage(
      '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":100.5,"qty":2.0}],"asks":[{"price":100.8,"qty":2.0},{"price":103.0,"qty":1.0}]}]}',
      2,
    );
    const sb2 = [...v2.books()][0]!;
    expect(sb2.book.bids.count).toBe(2);
    expect(sb2.book.asks.count).toBe(2);
    expectMirrored(v2, v2Mirror);
  });
});
