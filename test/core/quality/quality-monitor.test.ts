import { describe, expect, it } from 'vitest';
import type { QualityEvent } from '../../../core/market/events.ts';
import { QUALITY_ISSUES } from '../../../core/quality/issue-codes.ts';
import { ASKS, BIDS, BTC, BTCUSDT, cleanStream, Harness, keepClean, SECOND, T0 } from './monitor-harness.ts';
import { rulesJson, TEST_WEIGHTS, testRules } from './rules-fixture.ts';

const WINDOW = 60 * SECOND;
const W = TEST_WEIGHTS;

describe('QualityMonitor: clean stream', () => {
  it('scores 100 with no issues and zero counts', () => {
    const h = new Harness();
    const end = cleanStream(h, 10);
    expect(h.monitor.now).toBe(end);
    expect(h.score()).toBe(100);
    expect(h.issues()).toEqual([]);
    for (const code of QUALITY_ISSUES) expect(h.counts()[code]).toBe(0);
  });

  it('knows nothing of a pair it never saw', () => {
    const h = new Harness();
    expect(h.monitor.score('kraken', 'ETH/USD')).toBeUndefined();
    expect(h.monitor.issues('kraken', 'ETH/USD')).toEqual([]);
    expect(h.monitor.snapshot()).toEqual([]);
  });
});

describe('QualityMonitor: crossed book', () => {
  it('costs the crossed_book weight while crossed and for a window after it ends, once per episode', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.update(t + 1, [[6_183_765, BTC]]); // bid above the best ask
    h.update(t + 2, [[6_183_766, BTC]]); // still crossed: same episode
    expect(h.score()).toBe(100 - W.crossed_book);
    expect(h.issues()).toEqual(['crossed_book']);
    expect(h.counts().crossed_book).toBe(1);
    // Still crossed after more than a window: a condition keeps costing while it lasts.
    const later = keepClean(h, t + 2, 70);
    expect(h.score()).toBe(100 - W.crossed_book);
    expect(h.counts().crossed_book).toBe(1);

    h.update(later + 1, [
      [6_183_765, 0],
      [6_183_766, 0],
    ]); // uncrossed
    expect(h.score()).toBe(100 - W.crossed_book); // it was crossed within the window
    const end = keepClean(h, later + 1, 61);
    expect(h.score(later + WINDOW)).toBe(100 - W.crossed_book);
    expect(h.score(later + 1 + WINDOW)).toBe(100); // forgiven one window after it ended
    expect(h.issues()).toEqual([]);

    // A second, short episode is counted apart and forgiven one window later.
    h.update(end + 1, [[6_183_765, BTC]]);
    h.update(end + 2, [[6_183_765, 0]]);
    expect(h.score()).toBe(100 - W.crossed_book);
    keepClean(h, end + 2, 61);
    expect(h.score(end + 2 + WINDOW)).toBe(100);
    expect(h.counts().crossed_book).toBe(2);
  });

  it('ignores a book that is not trusted', () => {
    const h = new Harness();
    h.snapshot(T0, BIDS, ASKS);
    h.sb.trust = 'resyncing';
    h.update(T0 + 1, [[6_183_765, BTC]]);
    expect(h.counts().crossed_book).toBe(0);
  });
});

describe('QualityMonitor: sequence breaks', () => {
  it('a gap event costs the sequence_gap weight, counted once, and is forgiven after the window', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.gap(t + 1);
    expect(h.score()).toBe(100 - W.sequence_gap);
    expect(h.issues()).toEqual(['sequence_gap']);
    // Resync: the counter's increment is the same gap the event reported.
    h.snapshot(t + 2, BIDS, ASKS);
    expect(h.counts().sequence_gap).toBe(1);
    keepClean(h, t + 2, 61);
    expect(h.score(t + 1 + WINDOW - 1)).toBe(100 - W.sequence_gap);
    expect(h.score(t + 1 + WINDOW)).toBe(100);
    expect(h.score()).toBe(100);
    expect(h.counts().sequence_gap).toBe(1);
  });

  it('two gaps cost twice', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.gap(t + 1);
    h.snapshot(t + 2, BIDS, ASKS);
    h.gap(t + 3);
    expect(h.score()).toBe(100 - 2 * W.sequence_gap);
  });

  it('a gap only the counters saw (no event) is picked up at the next book update', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.sb.counters.gaps += 1; // e.g. found while the book was already stale
    h.sb.counters.checksumsFailed += 1;
    h.update(t + 5);
    expect(h.counts().sequence_gap).toBe(1);
    expect(h.counts().checksum_mismatch).toBe(1);
    expect(h.score()).toBe(100 - W.sequence_gap - W.checksum_mismatch);
  });

  it('a checksum mismatch event is its own issue', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.monitor.onEvent({
      type: 'book_state',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      exchangeTs: 0,
      localTs: t + 1,
      state: 'stale',
      reason: 'checksum mismatch: 123 != 456',
    });
    expect(h.issues()).toEqual(['checksum_mismatch']);
  });

  it('refused inputs counted on the book become rejected_input', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.sb.counters.rejected += 2;
    h.update(t + 1);
    expect(h.counts().rejected_input).toBe(2);
    expect(h.score()).toBe(100 - 2 * W.rejected_input);
  });
});

describe('QualityMonitor: duplicates', () => {
  it('a duplicate trade id costs the duplicate_trade_id weight per duplicate', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.trade(t + 1, { id: '3735683259' });
    h.trade(t + 2, { id: '3735683259' });
    expect(h.score()).toBe(100 - W.duplicate_trade_id);
    h.trade(t + 3, { id: '3735683259' });
    expect(h.score()).toBe(100 - 2 * W.duplicate_trade_id);
    expect(h.counts().duplicate_trade_id).toBe(2);
    keepClean(h, t + 3, 61);
    expect(h.score(t + 2 + WINDOW)).toBe(100 - W.duplicate_trade_id); // the second one is still in
    expect(h.score(t + 3 + WINDOW)).toBe(100);
  });

  it('a replayed L3 received costs the duplicate_order_id weight', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.l3(t + 1, 'received', 'o-1');
    h.l3(t + 2, 'open', 'o-1');
    h.l3(t + 3, 'done', 'o-1');
    expect(h.score()).toBe(100);
    h.l3(t + 4, 'received', 'o-1');
    expect(h.issues()).toEqual(['duplicate_order_id']);
    expect(h.score()).toBe(100 - W.duplicate_order_id);
  });
});

describe('QualityMonitor: clocks', () => {
  it('an exchange time going backwards on the book stream', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.update(t + 1, [], [], t - 5 * SECOND);
    expect(h.issues()).toEqual(['exchange_ts_backwards']);
    expect(h.score()).toBe(100 - W.exchange_ts_backwards);
  });

  it('a local receive time going backwards on the trade stream', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.trade(t - SECOND, { exchangeTs: t + 5 });
    expect(h.issues()).toEqual(['local_ts_backwards']);
  });

  it('trades and depth are separate clocks (a trade older than the last depth time is fine)', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.update(t + 100, [], [], t + 100);
    h.trade(t + 101, { exchangeTs: t + 50 });
    expect(h.score()).toBe(100);
  });

  it('diffs replayed after a snapshot with earlier times are not flagged (clocks restart at a snapshot)', () => {
    const h = new Harness();
    h.snapshot(T0 + SECOND, BIDS, ASKS, T0 + SECOND);
    h.update(T0 + 100, [[6_183_762, BTC]], [], T0 + 100); // buffered diff, received before the snapshot
    h.update(T0 + 200, [[6_183_762, BTC * 2]], [], T0 + 200);
    h.update(T0 + SECOND + 100, [[6_183_762, BTC * 3]], [], T0 + SECOND + 100);
    expect(h.score()).toBe(100);
  });
});

describe('QualityMonitor: spread and sizes', () => {
  it('uses the per-symbol spread override (BTC/USDT: 10 bps)', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    // Remove the asks and put one 0.2 % above the bid: ~20 bps.
    h.update(
      t + 1,
      [],
      [
        [6_183_764, 0],
        [6_183_800, 0],
        [6_196_130, BTC],
      ],
    );
    expect(h.issues()).toEqual(['wide_spread']);
    expect(h.score()).toBe(100 - W.wide_spread);
    h.update(t + 2, [], [[6_183_764, BTC]]);
    keepClean(h, t + 2, 61);
    expect(h.score(t + 1 + WINDOW)).toBe(100 - W.wide_spread); // wide until t + 2
    expect(h.score(t + 2 + WINDOW)).toBe(100);
  });

  it('flags a level over the maximum notional, once per message', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    // 20 BTC + 30 BTC at 61,838 ≈ 1.2M / 1.9M USDT > 1M each.
    h.update(
      t + 1,
      [],
      [
        [6_183_800, 20 * BTC],
        [6_183_900, 30 * BTC],
      ],
    );
    expect(h.counts().oversized_level).toBe(1);
    expect(h.score()).toBe(100 - W.oversized_level);
  });

  it('flags a negative level size', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.update(t + 1, [[6_183_700, -1]]);
    expect(h.issues()).toEqual(['nonpositive_size']);
  });

  it('flags zero-size and oversized trades (max 50 BTC)', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.trade(t + 1, { size: 0 });
    h.trade(t + 2, { size: 51 * BTC });
    h.trade(t + 3, { size: 50 * BTC });
    expect(h.counts().nonpositive_size).toBe(1);
    expect(h.counts().oversized_trade).toBe(1);
    expect(h.score()).toBe(100 - W.nonpositive_size - W.oversized_trade);
  });

  it('checks trade size limits before any book only when the instrument was given', () => {
    const blind = new Harness();
    blind.trade(T0, { size: 51 * BTC });
    expect(blind.counts().oversized_trade).toBe(0);
    const told = new Harness();
    told.monitor.setInstrument(BTCUSDT);
    told.trade(T0, { size: 51 * BTC });
    expect(told.counts().oversized_trade).toBe(1);
  });
});

describe('QualityMonitor: stale data', () => {
  it('is current once the book has been silent for longer than maxAgeMs at `now`', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    const lastBook = t - 10;
    expect(h.score(lastBook + 5 * SECOND)).toBe(100);
    expect(h.score(lastBook + 5 * SECOND + 1)).toBe(100 - W.stale_data);
    expect(h.issues(lastBook + 6 * SECOND)).toEqual(['stale_data']);
    expect(h.counts(lastBook + 6 * SECOND).stale_data).toBe(1);
  });

  it('trades do not keep a silent book fresh; the update that ends the silence counts one episode', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    for (let i = 1; i <= 8; i++) h.trade(t + i * SECOND);
    expect(h.issues()).toEqual(['stale_data']); // now = last trade, 8 s after the last book update
    h.update(t + 9 * SECOND);
    expect(h.counts().stale_data).toBe(1);
    expect(h.score()).toBe(100 - W.stale_data); // the episode stays for a window
    keepClean(h, t + 9 * SECOND, 61);
    expect(h.score(t + 9 * SECOND + WINDOW)).toBe(100);
  });

  it('one silent symbol goes stale while another keeps the monitor clock moving', () => {
    const h = new Harness();
    cleanStream(h, 1);
    h.monitor.onTrade({
      type: 'trade',
      exchange: 'binance',
      symbol: 'ETH/USDT',
      exchangeTs: T0 + 30 * SECOND,
      localTs: T0 + 30 * SECOND,
      tradeId: '1',
      price: 260_000,
      size: 10_000,
      side: 'sell',
    });
    expect(h.score()).toBe(100 - W.stale_data);
    expect(h.monitor.score('binance', 'ETH/USDT')).toBe(100);
  });

  it('maxAgeMs null switches staleness off', () => {
    const json = rulesJson();
    (json.symbols as Record<string, Record<string, unknown>>)['BTC/USDT']!.maxAgeMs = null;
    const h = new Harness(testRules(json));
    const t = cleanStream(h, 1);
    expect(h.score(t + 3_600 * SECOND)).toBe(100);
  });
});

describe('QualityMonitor: combined and reported', () => {
  it('penalties add up and floor at 0', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.update(t + 1, [[6_183_765, BTC]]); // crossed: 30
    h.gap(t + 2); // 20
    for (let i = 0; i < 6; i++) h.trade(t + 3 + i, { id: 'dup' }); // 5 duplicates: 50
    expect(h.score()).toBe(0);
    expect(h.issues()).toEqual(['crossed_book', 'duplicate_trade_id', 'sequence_gap']);
    expect(h.counts().duplicate_trade_id).toBe(5);
  });

  it('snapshot() lists every pair; events() and emit() give QualityEvents', () => {
    const h = new Harness();
    const t = cleanStream(h, 1);
    h.gap(t + 1);
    const snap = h.monitor.snapshot();
    expect(snap).toHaveLength(1);
    expect(snap[0]).toMatchObject({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      score: 80,
      issues: ['sequence_gap'],
    });
    expect(snap[0]!.counts.sequence_gap).toBe(1);

    const sink: QualityEvent[] = [];
    expect(h.monitor.emit((e) => sink.push(e), t + 2)).toBe(1);
    expect(sink[0]).toEqual({
      type: 'quality',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      exchangeTs: t, // the last trade's venue time
      localTs: t + 2,
      score: 80,
      issues: ['sequence_gap'],
    });
    h.snapshot(t + 2, BIDS, ASKS);
    const end = keepClean(h, t + 2, 61);
    expect(h.monitor.events()[0]).toMatchObject({ localTs: end, score: 100, issues: [] });
  });
});
