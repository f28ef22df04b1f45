/**
 * Failed writes lose nothing that fits the buffer: the rows are kept and retried with backoff, the
 * oldest dropped (counted) only past the bound; warnings stay few; close() is bounded and counts
 * what it could not write. Manual clock and timers: no sleeps.
 */
import { setImmediate as tick } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TradeEvent } from '../../../core/market/events.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { TRADE } from '../../../core/recording/recording-tables.ts';
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
    side: 'buy',
  };
}

function diskFull(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** A recorder on a MemorySink, with a manual clock and manual timers (close()'s deadline). */
function setup(options: Partial<RecorderOptions> = {}) {
  const sink = new MemorySink();
  let now = 0;
  const warnings: RecorderWarning[] = [];
  const timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  const recorder = new Recorder({
    sink,
    clock: () => now,
    pollIntervalMs: 0,
    session: 7,
    random: () => 0, // no jitter: exact delays
    retry: { initialMs: 100, maxMs: 800, multiplier: 2, jitter: 0.2 },
    onWarning: (w) => warnings.push(w),
    setTimer: (ms, fn) => {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    ...options,
  });
  /** Move the clock, fire due timers, poll, and let the sink's promises settle. */
  const advance = async (ms: number) => {
    now += ms;
    for (const t of timers.splice(0)) {
      if (t.cancelled) continue;
      if (t.at <= now) t.fn();
      else timers.push(t);
    }
    recorder.poll();
    for (let i = 0; i < 4; i++) await tick();
  };
  const ids = () => sink.rows('trade').map((r) => r.texts[TRADE.tradeId]);
  return { sink, recorder, warnings, advance, ids, now: () => now };
}

describe('Recorder: failed writes', () => {
  it('keeps the rows of a failed write and retries them with backoff until the fault clears; nothing lost', async () => {
    const { sink, recorder, warnings, advance, ids } = setup({ policy: { maxRows: 2, maxDelayMs: 1e9 } });
    sink.fail = diskFull();
    for (let i = 0; i < 3; i++) recorder.recordTrade(trade(i), BTC);
    await advance(0); // the three go (maxRows reached; the flush starts after the record calls) and fail
    expect(sink.attempts).toBe(1);
    expect(recorder.stats().trade).toMatchObject({
      accepted: 3,
      written: 0,
      waiting: 3, // kept
      writeFailures: 1,
      retrying: true,
      failed: 0,
    });
    expect(warnings).toEqual([
      {
        type: 'write_failed',
        kind: 'trade',
        rows: 3,
        error: 'ENOSPC: no space left on device, write',
        code: 'ENOSPC',
        retryInMs: 100,
        heldBack: 0,
      },
    ]);
    // Backoff: nothing before the retry is due, however many rows wait.
    for (let i = 3; i < 6; i++) recorder.recordTrade(trade(i), BTC);
    await advance(99);
    expect(sink.attempts).toBe(1);
    await advance(1); // 100 ms: retry 1 fails, next in 200
    expect(sink.attempts).toBe(2);
    await advance(199);
    expect(sink.attempts).toBe(2);
    await advance(1);
    expect(sink.attempts).toBe(3);
    expect(warnings).toHaveLength(1); // the repeats are held back (warnIntervalMs 5 s)
    sink.fail = undefined;
    await advance(400);
    expect(sink.attempts).toBe(4);
    expect(ids()).toEqual(['0', '1', '2', '3', '4', '5']); // every row once, in order
    expect(warnings.at(-1)).toEqual({ type: 'write_recovered', failedAttempts: 3, outageMs: 700 });
    expect(recorder.stats().trade).toMatchObject({
      accepted: 6,
      written: 6,
      waiting: 0,
      dropped: 0,
      retrying: false,
    });
    // Back to normal batching: the next failure starts from the first delay again.
    sink.fail = diskFull();
    recorder.recordTrade(trade(6), BTC);
    recorder.recordTrade(trade(7), BTC);
    await advance(0);
    expect(recorder.stats().trade.retrying).toBe(true);
    sink.fail = undefined;
    await advance(100);
    expect(ids()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    await recorder.close();
    expect(recorder.stats().trade).toMatchObject({ accepted: 8, written: 8, failed: 0, unsettled: 0 });
  });

  it('past the buffer bound drops the oldest kept rows, counted; the rest are written once', async () => {
    const { sink, recorder, warnings, advance, ids } = setup({
      policy: { maxRows: 4, maxDelayMs: 1e9, maxBufferedRows: 6 },
    });
    sink.fail = diskFull();
    for (let i = 0; i < 4; i++) recorder.recordTrade(trade(i), BTC);
    await advance(0); // 0–3 fail
    for (let i = 4; i < 10; i++) recorder.recordTrade(trade(i), BTC); // 10 rows for a bound of 6
    expect(recorder.stats().trade).toMatchObject({ waiting: 6, dropped: 4 });
    expect(warnings.filter((w) => w.type === 'dropped')).toEqual([
      { type: 'dropped', kind: 'trade', dropped: 1, totalDropped: 1 },
    ]);
    sink.fail = undefined;
    await advance(100);
    expect(ids()).toEqual(['4', '5', '6', '7', '8', '9']);
    await recorder.close();
    const t = recorder.stats().trade;
    expect(t).toMatchObject({ accepted: 10, written: 6, dropped: 4, failed: 0, unsettled: 0 });
    expect(warnings.filter((w) => w.type === 'dropped').at(-1)).toMatchObject({ totalDropped: 4 });
  });

  it('a 30 s outage of every table costs a few warning lines, with the failures held back counted', async () => {
    const { sink, recorder, warnings, advance } = setup({
      policy: { maxRows: 10_000, maxDelayMs: 1_000 },
      retry: { initialMs: 250, maxMs: 5_000, multiplier: 2, jitter: 0.2 },
    });
    const record = (i: number) => {
      recorder.recordTrade(trade(i), BTC);
      recorder.recordMessage('binance', 'c', i, `frame ${i}`);
      recorder.recordEvent({
        type: 'connection',
        exchange: 'binance',
        symbol: '',
        exchangeTs: 0,
        localTs: i,
        state: 'connected',
        detail: '',
      });
    };
    sink.fail = diskFull();
    let i = 0;
    for (; i < 300; i++) {
      record(i);
      await advance(100);
    }
    sink.fail = undefined;
    for (; i < 400; i++) {
      record(i);
      await advance(100);
    }
    await recorder.close();
    const failed = warnings.filter((w) => w.type === 'write_failed');
    const failures = ['raw', 'trade', 'event'].reduce(
      (n, k) => n + recorder.stats()[k as 'raw'].writeFailures,
      0,
    );
    // One line per 5 s over 30 s, and one when it is over.
    expect(failed.length).toBeLessThanOrEqual(7);
    expect(warnings.filter((w) => w.type === 'write_recovered')).toEqual([
      { type: 'write_recovered', failedAttempts: failures, outageMs: expect.any(Number) },
    ]);
    // Every failure is either a line or held back and counted in a later line (or the recovery).
    const told = failed.length + failed.reduce((n, w) => n + (w.type === 'write_failed' ? w.heldBack : 0), 0);
    expect(told).toBeLessThanOrEqual(failures);
    expect(failures).toBeGreaterThanOrEqual(27); // ~9 attempts per table: 0.25, 0.5, 1, 2, 4, 5, 5… s
    for (const k of ['raw', 'trade', 'event'] as const)
      expect(recorder.stats()[k]).toMatchObject({ accepted: 400, written: 400, dropped: 0, failed: 0 });
    expect(sink.rows('trade')).toHaveLength(400);
  });

  it('close() stops retrying at closeTimeoutMs and counts the rows it could not write as failed', async () => {
    const { sink, recorder, advance } = setup({
      policy: { maxRows: 2, maxDelayMs: 1e9 },
      closeTimeoutMs: 1000,
    });
    sink.fail = Object.assign(new Error('EROFS: read-only file system, mkdir'), { code: 'EROFS' });
    for (let i = 0; i < 5; i++) recorder.recordTrade(trade(i), BTC);
    let closed = false;
    void recorder.close().then(() => {
      closed = true;
    });
    await advance(0);
    const attempts = sink.attempts;
    expect(attempts).toBeGreaterThanOrEqual(1);
    await advance(500); // retries still follow the backoff while closing
    expect(sink.attempts).toBeGreaterThan(attempts);
    expect(closed).toBe(false);
    await advance(500); // the deadline
    await advance(0);
    expect(closed).toBe(true);
    expect(sink.closed).toBe(true);
    expect(recorder.stats().trade).toMatchObject({
      accepted: 5,
      written: 0,
      failed: 5,
      unsettled: 0,
      waiting: 0,
      inFlight: 0,
    });
  });

  it('close() does not wait for a write that never ends: its rows are counted as unsettled', async () => {
    const { sink, recorder, advance } = setup({
      policy: { maxRows: 2, maxDelayMs: 1e9 },
      closeTimeoutMs: 1000,
    });
    sink.hold(); // a stuck file system
    for (let i = 0; i < 2; i++) recorder.recordTrade(trade(i), BTC);
    await advance(0); // 0, 1 in flight, stuck
    recorder.recordTrade(trade(2), BTC); // waits behind them
    let closed = false;
    void recorder.close().then(() => {
      closed = true;
    });
    await advance(999);
    expect(closed).toBe(false);
    await advance(1);
    expect(closed).toBe(true);
    expect(recorder.stats().trade).toMatchObject({ accepted: 3, written: 0, failed: 1, unsettled: 2 });
    sink.release(); // it did finish after all: the count follows
    await advance(0);
    expect(recorder.stats().trade).toMatchObject({ written: 2, failed: 1, unsettled: 0 });
  });

  it('any sequence of faults and recoveries: each row written at most once, all of them once the fault clears', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('record' as const), n: fc.integer({ min: 1, max: 7 }) }),
            fc.record({ op: fc.constant('fault' as const), on: fc.boolean() }),
            fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 700 }) }),
          ),
          { maxLength: 40 },
        ),
        fc.integer({ min: 3, max: 30 }),
        async (steps, bound) => {
          const { sink, recorder, advance, ids } = setup({
            policy: { maxRows: Math.min(3, bound), maxDelayMs: 200, maxBufferedRows: bound },
          });
          let next = 0;
          for (const step of steps) {
            if (step.op === 'record')
              for (let k = 0; k < step.n; k++) recorder.recordTrade(trade(next++), BTC);
            else if (step.op === 'fault') sink.fail = step.on ? diskFull() : undefined;
            else await advance(step.ms);
          }
          sink.fail = undefined;
          await advance(1_000); // past the longest backoff (800 ms)
          await recorder.close();
          const written = ids();
          expect(new Set(written).size).toBe(written.length);
          expect(written.map(Number)).toEqual([...written.map(Number)].sort((a, b) => a - b));
          const t = recorder.stats().trade;
          expect(t.accepted).toBe(next);
          expect(t.written).toBe(written.length);
          expect(t.written + t.dropped).toBe(next);
          expect(t.failed + t.unsettled).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
