/**
 * The benchmark's looped input must be applied in full: every id-shifted diff of every round, and the
 * bridge diff that opens each later round, goes into the book (no stale-id drops that would fake a
 * speedup, no crossed book that a correct feed would resync), and rounds ≥ 1 leave the same book.
 */
import { describe, expect, it } from 'vitest';
import { type HftbacktestCapture, loadHftbacktest } from '../../bench/load-hftbacktest.ts';
import { idSpan, ShiftedRounds, shiftIds } from '../../bench/shifted-rounds.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { BinanceFeed, type BinanceMarket } from '../../core/venues/binance/binance-feed.ts';
import { fixture } from '../support/fixtures.ts';

/** The first `n` diffs only: keeps the test fast while exercising the real wire text. */
function head(capture: HftbacktestCapture, n: number): HftbacktestCapture {
  const depth = capture.depth.slice(0, n);
  let levelsPerPass = 0;
  for (const d of depth) levelsPerPass += d.bids.length + d.asks.length;
  return { ...capture, depth, levelsPerPass };
}

function seeded(capture: HftbacktestCapture): BinanceFeed {
  const feed = new BinanceFeed({ market: capture.market, instruments: new InstrumentRegistry() });
  feed.onSnapshot(capture.symbol, capture.snapshot.json, capture.snapshot.localTs);
  return feed;
}

function bookOf(feed: BinanceFeed) {
  const sb = [...feed.books()][0]!;
  return { trust: sb.trust, sequence: sb.sequence, levels: sb.book.snapshot() };
}

const CASES: Array<[BinanceMarket, string]> = [
  ['spot', 'binance/hftbacktest_spot_btcusdt_20240808.gz'],
  ['usdm', 'binance/hftbacktest_usdm_btcusdt_20240808.gz'],
];

describe.each(CASES)('id-shifted rounds, %s', (market, file) => {
  const full = loadHftbacktest(fixture(file), market);
  const capture = head(full, 150);
  const ROUNDS = 3;

  it('loads the snapshot and an unbroken chain of diffs', () => {
    expect(full.depth.length).toBeGreaterThan(3000);
    expect(capture.levelsPerPass).toBeGreaterThan(1000);
  });

  it('every level of every round is applied, with no gap', () => {
    const feed = seeded(capture);
    const before = feed.counters.levelChanges;
    const rounds = new ShiftedRounds(capture);
    for (let r = 0; r < ROUNDS; r++) for (const line of rounds.round(r)) feed.onMessage(line, 0);
    const c = feed.counters;
    expect(c.levelChanges - before).toBe(rounds.levelChanges(ROUNDS));
    expect(rounds.bridgeLevels).toBeGreaterThan(0);
    expect(c.gaps).toBe(0);
    expect(c.rejected).toBe(0);
    expect(bookOf(feed).trust).toBe('trusted');
    expect(bookOf(feed).sequence).toBe(rounds.finalIdAfter(ROUNDS));
  });

  it('a later round leaves the same book as the first (each round does the same work)', () => {
    const once = seeded(capture);
    const thrice = seeded(capture);
    const rounds = new ShiftedRounds(capture);
    for (const line of rounds.round(0)) once.onMessage(line, 0);
    for (let r = 0; r < ROUNDS; r++) for (const line of rounds.round(r)) thrice.onMessage(line, 0);
    expect(bookOf(thrice).levels).toEqual(bookOf(once).levels);
  });

  it('control: replaying the unshifted diffs is NOT applied (what the shift prevents)', () => {
    const feed = seeded(capture);
    const before = feed.counters.levelChanges;
    for (let r = 0; r < ROUNDS; r++) for (const d of capture.depth) feed.onMessage(d.json, 0);
    expect(feed.counters.levelChanges - before).toBe(capture.levelsPerPass); // rounds 2 and 3 dropped as stale
  });

  it('rewrites exactly U, u and pu', () => {
    const d = capture.depth[1]!;
    const span = idSpan(capture);
    const parsed = JSON.parse(shiftIds(d.json, 2 * span)) as { data: Record<string, unknown> };
    const original = JSON.parse(d.json) as { data: Record<string, unknown> };
    expect(parsed.data.U).toBe(d.U + 2 * span);
    expect(parsed.data.u).toBe(d.u + 2 * span);
    if (market === 'usdm') expect(parsed.data.pu).toBe(d.pu + 2 * span);
    else expect(parsed.data.pu).toBeUndefined();
    expect({ ...parsed.data, U: 0, u: 0, pu: 0 }).toEqual({ ...original.data, U: 0, u: 0, pu: 0 });
  });
});
