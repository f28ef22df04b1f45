/**
 * Fuzzing the Binance sync rules with the real captures: corrupt exactly one sequence field of one
 * frame (or the REST snapshot's lastUpdateId), replay, and require that the book never ends
 * trusted-but-wrong and never ends stuck. Snapshot requests made after the clean replay is synced
 * are answered a few frames later from the clean replay's book at that moment (what a REST call
 * would return), so recovery uses only data the clean stream holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../../core/capture/capture-record.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { formatDecimal } from '../../../../core/num/format-decimal.ts';
import { BinanceFeed } from '../../../../core/venues/binance/binance-feed.ts';
import { MAX_SKIPPED_RUN } from '../../../../core/venues/feed-core.ts';
import type { RejectReason } from '../../../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../../../core/venues/symbol-book.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';
import { fixture } from '../../../support/fixtures.ts';

type Market = 'spot' | 'usdm';
const FILES: Record<Market, string> = {
  spot: 'binance/hftbacktest_spot_btcusdt_20240808.gz',
  usdm: 'binance/hftbacktest_usdm_btcusdt_20240808.gz',
};
/** Records replayed after the capture's snapshot: enough for several resyncs, fast enough to fuzz. */
const WINDOW = 1_500;
/** Frames between a snapshot request and its answer (diffs buffered meanwhile, as live). */
const ANSWER_DELAY = 4;

const CORRUPTIONS = ['+1', '-1', '+1000', 'x10', 'zero', '2^53+1', '1e400', 'string', 'deleted'] as const;
type Corruption = (typeof CORRUPTIONS)[number];

function window(market: Market): CaptureRecord[] {
  const records = readCapture(fixture(FILES[market])).records;
  const snapAt = records.findIndex((r) => r.kind === 'rest');
  return records.slice(0, snapAt + 1 + WINDOW);
}
const RECORDS: Record<Market, CaptureRecord[]> = { spot: window('spot'), usdm: window('usdm') };

/** Replace the value of `"field":<integer>` in `body` (first occurrence), or delete the pair. */
function corrupt(body: string, field: string, how: Corruption): string {
  const re = new RegExp(`"${field}":(\\d+),?`);
  const m = re.exec(body);
  if (!m) throw new Error(`no ${field} in ${body.slice(0, 80)}`);
  const v = Number(m[1]);
  const comma = m[0].endsWith(',') ? ',' : '';
  const value: Record<Corruption, string> = {
    '+1': String(v + 1),
    '-1': String(v - 1),
    '+1000': String(v + 1000),
    x10: String(v * 10),
    zero: '0',
    '2^53+1': '9007199254740993',
    '1e400': '1e400',
    string: `"${v}"`,
    deleted: '',
  };
  const replacement = how === 'deleted' ? '' : `"${field}":${value[how]}${comma}`;
  return body.slice(0, m.index) + replacement + body.slice(m.index + m[0].length);
}

/** The REST body a snapshot of `sb` would be. */
function restBody(sb: SymbolBook): string {
  const { priceScale, sizeScale } = sb.instrument;
  const { bids, asks } = sb.book.snapshot();
  const side = (levels: Array<[number, number]>) =>
    levels.map(([p, q]) => `["${formatDecimal(p, priceScale)}","${formatDecimal(q, sizeScale)}"]`).join(',');
  return `{"lastUpdateId":${sb.sequence},"bids":[${side(bids)}],"asks":[${side(asks)}]}`;
}

interface Outcome {
  readonly clean: SymbolBook;
  readonly fuzzed: SymbolBook | undefined;
  readonly fuzzedFeed: BinanceFeed;
  readonly requests: number;
  readonly rejects: Partial<Record<RejectReason, number>>;
}

/** Replay with record `at` changed by `change` (same record count, same times). */
function replay(market: Market, at: number, change: (body: string) => string): Outcome {
  const records = RECORDS[market];
  const clean = new BinanceFeed({ market, instruments: new InstrumentRegistry() });
  let requests = 0;
  let answerAt = -1;
  const fuzzedFeed = new BinanceFeed({
    market,
    instruments: new InstrumentRegistry(),
    listener: {
      onSnapshotRequest: () => {
        requests++;
        if (answerAt < 0) answerAt = -2; // armed: answered once the clean book is known
      },
    },
  });
  let seen = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const body = i === at ? change(r.body) : r.body;
    if (r.kind === 'message') {
      clean.onMessage(r.body, r.localTs);
      fuzzedFeed.onMessage(body, r.localTs);
      seen++;
    } else if (r.kind === 'rest') {
      clean.onSnapshot('BTCUSDT', r.body, r.localTs);
      fuzzedFeed.onSnapshot('BTCUSDT', body, r.localTs);
    }
    const cleanBook = clean.books()[Symbol.iterator]().next().value as SymbolBook | undefined;
    if (cleanBook?.trusted && answerAt === -2) answerAt = seen + ANSWER_DELAY;
    if (answerAt >= 0 && seen >= answerAt && cleanBook) {
      answerAt = -1;
      fuzzedFeed.onSnapshot('BTCUSDT', restBody(cleanBook), r.localTs);
    }
  }
  const [cleanBook] = [...clean.books()];
  const [fuzzed] = [...fuzzedFeed.books()];
  return { clean: cleanBook!, fuzzed, fuzzedFeed, requests, rejects: fuzzedFeed.counters.rejectedByReason };
}

/** Indexes of depth frames in the window, and of its REST line. */
function depthFrames(market: Market): number[] {
  const out: number[] = [];
  RECORDS[market].forEach((r, i) => {
    if (r.kind === 'message' && r.body.includes('depthUpdate')) out.push(i);
  });
  return out;
}
const FRAMES: Record<Market, number[]> = { spot: depthFrames('spot'), usdm: depthFrames('usdm') };
const REST_AT: Record<Market, number> = {
  spot: RECORDS.spot.findIndex((r) => r.kind === 'rest'),
  usdm: RECORDS.usdm.findIndex((r) => r.kind === 'rest'),
};

function expectHealthy(o: Outcome): void {
  expect(o.clean.trusted).toBe(true);
  // Never stuck: trusted again by the end of the capture…
  expect(o.fuzzed?.trust).toBe('trusted');
  // …and never trusted-but-wrong.
  expect(o.fuzzed!.sequence).toBe(o.clean.sequence);
  expect(o.fuzzed!.book.snapshot()).toEqual(o.clean.book.snapshot());
}

describe.each(['spot', 'usdm'] as const)('Binance %s: one corrupted sequence field', (market) => {
  const fields = market === 'usdm' ? (['U', 'u', 'pu'] as const) : (['U', 'u'] as const);
  const frames = FRAMES[market];
  // Corrupt among the first 60 % of the window's frames: the rest leaves room to resync.
  const last = Math.floor(frames.length * 0.6);

  it('the clean window syncs and matches itself', () => {
    const o = replay(market, -1, (b) => b);
    expectHealthy(o);
    expect(o.requests).toBe(1);
  });

  it('every corruption of the snapshot lastUpdateId: refused or caught, then recovered', () => {
    for (const how of CORRUPTIONS) {
      const o = replay(market, REST_AT[market], (b) => corrupt(b, 'lastUpdateId', how));
      expectHealthy(o);
      // USD-M: L + 1000 lands inside the bridging diff's range, so ids alone cannot tell; the
      // snapshot's T can (the diff it claims to hold was transacted after it).
      if (how === '+1000' && market === 'usdm') expect(o.fuzzedFeed.counters.gaps).toBeGreaterThanOrEqual(1);
      if (how === '2^53+1' || how === '1e400' || how === 'string' || how === 'deleted') {
        expect(o.rejects.bad_sequence, how).toBe(1);
      }
    }
  });

  it('a snapshot id too high but exact is caught (spot: the already-applied bound; USD-M: its T first)', () => {
    const o = replay(market, REST_AT[market], (b) => corrupt(b, 'lastUpdateId', 'x10'));
    expectHealthy(o);
    expect(o.fuzzedFeed.counters.gaps).toBeGreaterThanOrEqual(1);
    if (market === 'spot') expect(o.fuzzedFeed.counters.skippedApplied).toBeGreaterThan(MAX_SKIPPED_RUN);
    else expect(o.fuzzedFeed.counters.skippedApplied).toBeLessThan(MAX_SKIPPED_RUN);
  });

  it.each(fields)(
    'every corruption of %s in a frame after the bridge, and in the buffered bridge frame',
    (field) => {
      const after = frames.find((i) => i > REST_AT[market] + 50)!;
      const buffered = frames.filter((i) => i < REST_AT[market]).at(-1)!;
      for (const at of [after, buffered]) {
        for (const how of CORRUPTIONS) {
          const o = replay(market, at, (b) => corrupt(b, field, how));
          expectHealthy(o);
        }
      }
    },
  );

  it('unreadable ids are counted as bad_sequence, never as malformed', () => {
    const at = frames.find((i) => i > REST_AT[market] + 50)!;
    for (const how of ['2^53+1', '1e400', 'string', 'deleted'] as const) {
      const o = replay(market, at, (b) => corrupt(b, 'u', how));
      expect(o.rejects.bad_sequence, how).toBe(1);
      expect(o.rejects.malformed, how).toBeUndefined();
    }
  });

  it('property: any frame, field and corruption ends trusted and equal to the clean book', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: last }),
        fc.constantFrom(...fields),
        fc.constantFrom(...CORRUPTIONS),
        (k, field, how) => {
          expectHealthy(replay(market, frames[k]!, (b) => corrupt(b, field, how)));
        },
      ),
      { numRuns: 25 },
    );
  });
});
