import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../core/capture/replay-capture.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { createKrakenFeed } from '../../../../core/venues/kraken/create-kraken-feed.ts';
import { KrakenV1Feed } from '../../../../core/venues/kraken/kraken-v1-feed.ts';
import { KrakenV2Feed } from '../../../../core/venues/kraken/kraken-v2-feed.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';

describe('createKrakenFeed', () => {
  it('builds the feed for the API version', () => {
    const instruments = new InstrumentRegistry();
    expect(createKrakenFeed({ instruments, version: 1 })).toBeInstanceOf(KrakenV1Feed);
    expect(createKrakenFeed({ instruments, version: 2, depth: 25 })).toBeInstanceOf(KrakenV2Feed);
  });

  it('v1 replays the recorded trade capture through the VenueFeed interface', () => {
    const feed = createKrakenFeed({ instruments: new InstrumentRegistry(), version: 1 });
    const capture = readCapture('test/fixtures/kraken/cryptofeed_KRAKEN.ws.48.0.gz');
    expect(capture.exchange).toBe('kraken');
    replayCapture(capture.records, feed);
    expect(feed.exchange).toBe('kraken');
    expect(feed.counters.trades).toBe(10);
    expect(feed.counters.rejected).toBe(0);
  });
});
