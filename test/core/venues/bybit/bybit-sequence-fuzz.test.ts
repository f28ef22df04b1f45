/**
 * The real orderbook.500 download with exactly one sequence field of one frame corrupted, replayed
 * beside the clean download; resubscribe requests are answered with a snapshot frame of the clean
 * replay's book. The book must never end trusted-but-wrong, and must end trusted. Also: a mirror
 * built from listener changes equals the book after every message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { formatDecimal } from '../../../../core/num/format-decimal.ts';
import { createBybitFeed } from '../../../../core/venues/bybit/bybit-feed.ts';
import type { SnapshotRequest } from '../../../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../../../core/venues/symbol-book.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';
import { FeedObserver } from '../../../../local/fuzz/feed-observer.ts';
import { fixture } from '../../../support/fixtures.ts';

const records = readCapture(fixture('bybit/nautilus_xrpusdt-ob500.data.zip')).records.filter(
  (r) => r.kind === 'message',
);
const MARK = '"\u0000mark\u0000"';
const CORRUPTIONS = ['+1', '-1', '+1000', 'x10', '0', '2^53+1', '1e400', 'wrong type', 'deleted'] as const;
type Corruption = (typeof CORRUPTIONS)[number];

/** `body` with data[field] corrupted `how`, written as raw JSON text (so 2^53+1 and 1e400 survive). */
function corrupt(body: string, field: 'u' | 'seq', how: Corruption): string {
  const msg = JSON.parse(body) as { data: Record<string, unknown> };
  const v = msg.data[field] as number;
  const raw: Record<Corruption, string> = {
    '+1': String(v + 1),
    '-1': String(v - 1),
    '+1000': String(v + 1000),
    x10: String(v * 10),
    '0': '0',
    '2^53+1': '9007199254740993',
    '1e400': '1e400',
    'wrong type': '{"v":1}',
    deleted: '',
  };
  if (how === 'deleted') {
    delete msg.data[field];
    return JSON.stringify(msg);
  }
  msg.data[field] = '\u0000mark\u0000';
  return JSON.stringify(msg).replace(MARK, raw[how]);
}

function snapshotFrame(sb: SymbolBook, crossSeq: number, ts: number): string {
  const { priceScale, sizeScale } = sb.instrument;
  const side = (levels: Array<[number, number]>) =>
    levels.map(([p, q]) => [formatDecimal(p, priceScale), formatDecimal(q, sizeScale)]);
  const { bids, asks } = sb.book.snapshot();
  return JSON.stringify({
    topic: `orderbook.500.${sb.venueSymbol}`,
    type: 'snapshot',
    ts,
    data: { s: sb.venueSymbol, b: side(bids), a: side(asks), u: sb.sequence, seq: crossSeq },
    cts: ts,
  });
}

function replay(corruptAt: number, field: 'u' | 'seq', how: Corruption) {
  const instruments = new InstrumentRegistry();
  const clean = createBybitFeed({ category: 'linear', instruments });
  const requests: SnapshotRequest[] = [];
  const feed = createBybitFeed({
    category: 'linear',
    instruments,
    listener: { onSnapshotRequest: (r) => requests.push(r) },
  });
  let crossSeq = 0;
  let answered = 0;
  records.forEach((r, i) => {
    clean.onMessage(r.body, r.localTs);
    crossSeq = (JSON.parse(r.body) as { data: { seq: number } }).data.seq;
    feed.onMessage(i === corruptAt ? corrupt(r.body, field, how) : r.body, r.localTs);
    // The connector resubscribes; Bybit answers with a snapshot of the current book.
    while (answered < requests.length) {
      answered++;
      const sb = [...clean.books()][0]!;
      feed.onMessage(snapshotFrame(sb, crossSeq, r.localTs), r.localTs);
    }
  });
  return { clean: [...clean.books()][0]!, ours: [...feed.books()][0], feed, requests };
}

describe('Bybit on the real download with one corrupted sequence field', () => {
  it('never ends trusted-but-wrong, always ends trusted (every frame, field and corruption)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: records.length - 1 }),
        fc.constantFrom('u' as const, 'seq' as const),
        fc.constantFrom(...CORRUPTIONS),
        (at, field, how) => {
          const { clean, ours, feed } = replay(at, field, how);
          expect(clean.trust).toBe('trusted');
          expect(ours?.trust).toBe('trusted');
          expect(ours!.sequence).toBe(clean.sequence);
          expect(ours!.book.snapshot()).toEqual(clean.book.snapshot());
          // The fault fired wherever the frame cannot be right (seq ±1 and the like are undetectable and harmless).
          if (field === 'u' || how === '2^53+1' || how === '1e400' || how === 'wrong type')
            expect(feed.counters.rejected + feed.counters.gaps, `${at} ${field} ${how}`).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a delta u read one too low breaks trust at once (the book would otherwise miss it)', () => {
    const { ours, feed, requests } = replay(10, 'u', '-1');
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(requests).toHaveLength(1);
    expect(ours?.trust).toBe('trusted');
  });
});

describe('Bybit: a mirror built from listener changes equals the book after every message', () => {
  it('on the real download, and when a delta writes a level beyond the 500-level window', () => {
    const mirror = new FeedObserver();
    const feed = createBybitFeed({ category: 'linear', listener: mirror });
    const check = () => {
      const sb = [...feed.books()][0]!;
      expect(mirror.levels(sb.symbol)).toEqual(sb.book.snapshot());
    };
    for (const r of records) {
      feed.onMessage(r.body, r.localTs);
      check();
    }
    const sb = [...feed.books()][0]!;
    expect(sb.book.bids.count).toBe(500);
    const { priceScale, sizeScale } = sb.instrument;
    // A level beyond the worst of each side: the book holds 501 until the window cuts it.
    const bid = formatDecimal(sb.book.bids.priceAt(499) - 1, priceScale);
    const ask = formatDecimal(sb.book.asks.priceAt(499) + 1, priceScale);
    const last = JSON.parse(records.at(-1)!.body) as { ts: number; data: { seq: number } };
    const dropped = [sb.book.bids.priceAt(499) - 1, sb.book.asks.priceAt(499) + 1];
    feed.onMessage(
      JSON.stringify({
        topic: 'orderbook.500.XRPUSDT',
        type: 'delta',
        ts: last.ts + 10,
        data: {
          s: 'XRPUSDT',
          b: [[bid, formatDecimal(7, sizeScale)]],
          a: [[ask, formatDecimal(7, sizeScale)]],
          u: sb.sequence + 1,
          seq: last.data.seq + 1,
        },
        cts: last.ts + 10,
      }),
      last.ts + 10,
    );
    expect(sb.trust).toBe('trusted');
    expect(sb.book.bids.count).toBe(500);
    expect(sb.book.asks.count).toBe(500);
    expect(sb.book.bids.sizeAtPrice(dropped[0]!)).toBe(0);
    expect(sb.book.asks.sizeAtPrice(dropped[1]!)).toBe(0);
    check();
  });
});
