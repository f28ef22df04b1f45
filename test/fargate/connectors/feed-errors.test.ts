/**
 * A feed that throws: the connector catches it, counts it as a 'feed_error' rejection, logs one line
 * per interval (repeats counted), makes the shard's books stale and recovers them through the
 * reconnect + snapshot machinery, with its backoff — and keeps running.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import { seededRandom } from '../../../core/sim/random.ts';
import type { RejectReason } from '../../../core/venues/feed-types.ts';
import { type Clock, systemClock } from '../../../fargate/connectors/clock.ts';
import { VenueConnector } from '../../../fargate/connectors/venue-connector.ts';
import { createVenueFeed, type FeedFactory } from '../../../fargate/connectors/venue-feed-factory.ts';
import { BinanceLikeMarket } from '../helpers/binance-like-market.ts';
import { Collector } from '../helpers/collect.ts';
import { waitFor } from '../helpers/test-server.ts';
import { testVenue } from '../helpers/test-venue.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The real Binance feed, throwing a RangeError on the frames `throwsOn` picks (before handling them). */
function throwingFeed(throwsOn: (raw: string) => boolean): FeedFactory {
  return (venue, instruments, listener) => {
    const feed = createVenueFeed(venue, instruments, listener);
    return {
      exchange: feed.exchange,
      get counters() {
        return feed.counters;
      },
      books: () => feed.books(),
      onSnapshot: (s, body, ts) => feed.onSnapshot(s, body, ts),
      onDisconnect: (ts) => feed.onDisconnect(ts),
      onMessage(raw, ts) {
        if (throwsOn(raw)) throw new RangeError('index 1000 out of range');
        feed.onMessage(raw, ts);
      },
    };
  };
}

class RejectCollector extends Collector {
  readonly rejects: Array<[RejectReason, string]> = [];
  onReject(reason: RejectReason, detail: string): void {
    this.rejects.push([reason, detail]);
  }
}

/** The final update id of a Binance depth diff frame (undefined for other frames). */
function updateId(raw: string): number | undefined {
  const m = /"u":(\d+)/.exec(raw);
  return m ? Number(m[1]) : undefined;
}

async function setup(throwsOn: (raw: string) => boolean, clock: Clock = systemClock()) {
  const market = await BinanceLikeMarket.start();
  cleanups.push(() => market.close());
  const collector = new RejectCollector();
  const rejects = collector.rejects;
  const connector = new VenueConnector({
    venue: testVenue('binance', {
      wsUrl: market.wsUrl,
      restBaseUrl: market.server.httpUrl,
      symbols: ['BTCUSDT'],
      idleTimeoutMs: 60_000,
      reconnect: { initialMs: 20, maxMs: 200, multiplier: 2, jitter: 0.5, alertAfterFailures: 100 },
    }),
    instruments: new InstrumentRegistry(configuredInstruments()),
    listener: collector,
    clock,
    random: seededRandom(3),
    createFeed: throwingFeed(throwsOn),
    feedErrorLogIntervalMs: 1_000,
  });
  cleanups.push(() => connector.stop());
  market.startTicking(5);
  connector.start();
  const shard = connector.shards[0]!;
  const book = () => [...shard.feed.books()][0];
  const feedErrorLines = () => collector.logs.filter((l) => l.includes('the feed threw'));
  return { market, collector, rejects, connector, shard, book, feedErrorLines };
}

describe('a feed that throws', () => {
  it('on one frame: counted as feed_error, one log line, books stale, recovered from a new snapshot', async () => {
    let target = Number.NaN;
    let thrown = 0;
    const s = await setup((raw) => {
      // The first diff at or past the target (diffs span 1–3 ids), once.
      if (thrown > 0 || !((updateId(raw) ?? 0) >= target)) return false;
      thrown++;
      return true;
    });
    await waitFor(() => s.book()?.trust === 'trusted', 5000, 'trusted book');
    target = s.market.lastId + 3;
    await waitFor(() => thrown === 1, 5000, 'the throwing frame');
    // Synchronously in the same frame: counted, and the book no longer trusted.
    expect(s.book()!.trust).not.toBe('trusted');
    const c = s.shard.feed.counters;
    expect(c.rejected).toBe(1);
    expect(c.rejectedByReason).toEqual({ feed_error: 1 });
    expect(s.connector.feed.counters.rejectedByReason.feed_error).toBe(1);
    expect(s.shard.stats.feedErrors).toBe(1);
    expect(s.rejects).toEqual([['feed_error', 'on a frame: RangeError: index 1000 out of range']]);
    expect(s.feedErrorLines()).toEqual([
      expect.stringMatching(
        /^error binance #0 the feed threw on a frame \(RangeError: index 1000 out of range\): books stale, reconnecting in \d+ ms$/,
      ),
    ]);

    await waitFor(() => s.book()?.trust === 'trusted' && s.shard.stats.connects === 2, 5000, 'recovered');
    expect(s.collector.states()).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
    const states = s.collector.bookStates('BTC/USDT').map((e) => e.state);
    // trusted → stale at the exception → (resyncing) → trusted on the new connection's snapshot.
    expect([states[0], states[1], states.at(-1)]).toEqual(['trusted', 'stale', 'trusted']);
    expect(states.filter((x) => x === 'trusted')).toHaveLength(2);
    expect(s.shard.feed.counters.snapshots).toBe(2);
    expect(s.shard.stats.consecutiveFailures).toBe(0);
    expect(thrown).toBe(1);

    s.market.stopTicking();
    await waitFor(() => s.book()!.sequence === s.market.lastId, 2000, 'last update applied');
    const truth = s.market.trueBookText();
    expect(
      s
        .book()!
        .book.snapshot()
        .bids.map((l) => [...l]),
    ).toEqual(truth.bids.map(([p, q]) => [parseDecimal(p!, 2), parseDecimal(q!, 8)]));
    expect(s.feedErrorLines()).toHaveLength(1);
  });

  it('on every frame: backs off, logs one line per interval with the count held back, recovers when fixed', async () => {
    const real = systemClock();
    let skewMs = 0; // moves the connector's clock ahead (the log interval) without waiting
    const clock: Clock = {
      nowMicros: () => real.nowMicros() + skewMs * 1000,
      nowMs: () => real.nowMs() + skewMs,
      setTimer: real.setTimer,
    };
    let broken = false;
    const s = await setup((raw) => broken && updateId(raw) !== undefined, clock);
    const delays: number[] = [];
    s.collector.onEvent = (e) => {
      s.collector.events.push(e);
      if (e.type === 'connection' && e.state === 'reconnecting')
        delays.push(s.shard.stats.lastReconnectDelayMs);
    };
    await waitFor(() => s.book()?.trust === 'trusted', 5000, 'trusted book');
    broken = true;
    await waitFor(() => s.shard.stats.feedErrors >= 5, 10_000, 'five feed errors');
    // Each error dropped the connection; the streak is not reset by the next connection's first frame.
    expect(delays.slice(0, 5).map((d, i) => d >= Math.min(200, 20 * 2 ** i))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(s.feedErrorLines()).toHaveLength(1);
    const before = s.shard.stats.feedErrors;

    skewMs += 1_000;
    await waitFor(() => s.shard.stats.feedErrors > before, 5000, 'another feed error');
    const lines = s.feedErrorLines();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`(${before - 1} more like it since the last line)`);
    expect(s.shard.feed.counters.rejectedByReason.feed_error).toBe(s.shard.stats.feedErrors);

    broken = false;
    await waitFor(() => s.book()?.trust === 'trusted', 5000, 'recovered once fixed');
    expect(s.shard.stats.consecutiveFailures).toBe(0);
    expect(s.connector.state).toBe('connected');
  });
});
