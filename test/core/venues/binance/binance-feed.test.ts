import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../../core/capture/capture-record.ts';
import { replayCapture } from '../../../../core/capture/replay-capture.ts';
import type { BookStateEvent } from '../../../../core/market/events.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { BinanceFeed } from '../../../../core/venues/binance/binance-feed.ts';
import type { SnapshotRequest } from '../../../../core/venues/feed-types.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';
import { fixture } from '../../../support/fixtures.ts';

interface Wire {
  stream?: string;
  data?: {
    e?: string;
    s: string;
    U: number;
    u: number;
    pu?: number;
    b: [string, string][];
    a: [string, string][];
  };
  lastUpdateId?: number;
  bids?: [string, string][];
  asks?: [string, string][];
}

/**
 * Independent reference: JSON.parse, decimal strings as Map keys, the documented sync rule. Returns
 * the final book as sorted string levels, so no shared parsing code can hide a bug.
 */
function referenceBook(records: readonly CaptureRecord[], futures: boolean) {
  const bids = new Map<string, string>();
  const asks = new Map<string, string>();
  let id = -1;
  let first = true;
  const pending: Wire['data'][] = [];
  const apply = (d: NonNullable<Wire['data']>) => {
    if (futures ? d.u < id : d.u <= id) return;
    if (futures && !first && d.pu !== id) throw new Error('reference gap');
    if (!futures && d.U > id + 1) throw new Error('reference gap');
    first = false;
    for (const [p, q] of d.b) Number(q) === 0 ? bids.delete(p) : bids.set(p, q);
    for (const [p, q] of d.a) Number(q) === 0 ? asks.delete(p) : asks.set(p, q);
    id = d.u;
  };
  for (const r of records) {
    const w = JSON.parse(r.body) as Wire;
    if (w.lastUpdateId !== undefined) {
      for (const [p, q] of w.bids ?? []) bids.set(p, q);
      for (const [p, q] of w.asks ?? []) asks.set(p, q);
      id = w.lastUpdateId;
      for (const d of pending.splice(0)) if (d) apply(d);
    } else if (w.data?.e === 'depthUpdate') {
      if (id < 0) pending.push(w.data);
      else apply(w.data);
    }
  }
  const sort = (m: Map<string, string>, desc: boolean) =>
    [...m.entries()].sort((a, b) => (desc ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
  return { bids: sort(bids, true), asks: sort(asks, false) };
}

function run(path: string, market: 'spot' | 'usdm', records?: CaptureRecord[]) {
  const capture = readCapture(fixture(path));
  const requests: SnapshotRequest[] = [];
  const states: BookStateEvent[] = [];
  const feed = new BinanceFeed({
    market,
    instruments: new InstrumentRegistry(),
    listener: {
      onSnapshotRequest: (r) => requests.push(r),
      onEvent: (e) => {
        if (e.type === 'book_state') states.push(e);
      },
    },
  });
  replayCapture(records ?? capture.records, feed);
  return { feed, requests, states, capture };
}

describe('Binance feed on real captures', () => {
  it.each([
    ['binance/hftbacktest_spot_btcusdt_20240808.gz', 'spot'],
    ['binance/hftbacktest_usdm_btcusdt_20240808.gz', 'usdm'],
  ] as const)('%s: 0 gaps, trusted, and equal to an independent reference book', (path, market) => {
    const { feed, capture } = run(path, market);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.counters.rejected).toBe(0);
    expect(feed.counters.crossed).toBe(0);
    const [book] = [...feed.books()];
    expect(book?.trust).toBe('trusted');
    const ref = referenceBook(capture.records, market === 'usdm');
    const i = book!.instrument;
    const ours = book!.book.snapshot();
    expect(ours.bids.length).toBe(ref.bids.length);
    expect(ours.asks.length).toBe(ref.asks.length);
    expect(ours.bids).toEqual(
      ref.bids.map(([p, q]) => [parseDecimal(p, i.priceScale), parseDecimal(q, i.sizeScale)]),
    );
    expect(ours.asks).toEqual(
      ref.asks.map(([p, q]) => [parseDecimal(p, i.priceScale), parseDecimal(q, i.sizeScale)]),
    );
  });

  it('spot: applies the bridging diff that arrived BEFORE the snapshot response', () => {
    const { feed, capture } = run('binance/hftbacktest_spot_btcusdt_20240808.gz', 'spot');
    const snapAt = capture.records.findIndex((r) => r.kind === 'rest');
    const bridging = capture.records
      .slice(0, snapAt)
      .map((r) => JSON.parse(r.body) as Wire)
      .find((w) => w.data?.e === 'depthUpdate' && w.data.U <= 50093239219 && w.data.u >= 50093239219);
    expect(bridging?.data?.U).toBe(50093239208);
    expect([...feed.books()][0]?.trust).toBe('trusted');
  });

  it.each([
    ['binance/cryptofeed_BINANCE.ws.1.0.gz', 'spot', 4],
    ['binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz', 'usdm', 4],
  ] as const)('%s: every symbol synced from its REST snapshot with 0 gaps', (path, market, symbols) => {
    const { feed } = run(path, market);
    const books = [...feed.books()];
    expect(books.filter((b) => b.trust === 'trusted')).toHaveLength(symbols);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.counters.rejected).toBe(0);
    expect(feed.counters.snapshots).toBe(symbols);
    expect(feed.counters.trades).toBeGreaterThan(0);
    for (const b of books) expect(b.book.isCrossed()).toBe(false);
  });

  it('a dropped diff is a gap: the book goes stale and a fresh snapshot is requested', () => {
    const capture = readCapture(fixture('binance/hftbacktest_usdm_btcusdt_20240808.gz'));
    const snapAt = capture.records.findIndex((r) => r.kind === 'rest');
    const dropAt = capture.records.findIndex((r, i) => i > snapAt + 200 && r.body.includes('depthUpdate'));
    const records = capture.records.filter((_, i) => i !== dropAt);
    const { feed, requests, states } = run('binance/hftbacktest_usdm_btcusdt_20240808.gz', 'usdm', records);
    expect(feed.counters.gaps).toBe(1);
    const [book] = [...feed.books()];
    expect(book?.trust).toBe('resyncing');
    expect(states.some((s) => s.state === 'stale' && s.reason.startsWith('gap'))).toBe(true);
    expect(requests.at(-1)).toMatchObject({
      method: 'rest',
      path: '/fapi/v1/depth?symbol=BTCUSDT&limit=1000',
    });
  });

  it('a corrupted diff is rejected, counted and rebuilds the book, never a crash', () => {
    const capture = readCapture(fixture('binance/hftbacktest_spot_btcusdt_20240808.gz'));
    const snapAt = capture.records.findIndex((r) => r.kind === 'rest');
    const at = capture.records.findIndex((r, i) => i > snapAt + 100 && r.body.includes('depthUpdate'));
    const records = capture.records.map((r, i) =>
      i === at ? { ...r, body: r.body.replace(/"b":\[\["(\d+)\./, '"b":[["1x$1.') } : r,
    );
    const { feed } = run('binance/hftbacktest_spot_btcusdt_20240808.gz', 'spot', records);
    expect(feed.counters.rejectedByReason.bad_decimal).toBe(1);
    expect([...feed.books()][0]?.trust).not.toBe('trusted');
  });

  it('a snapshot older than the first buffered diff is re-fetched, not applied', () => {
    const requests: SnapshotRequest[] = [];
    const btc = makeInstrument({
      exchange: 'binance',
      venueSymbol: 'BTCUSDT',
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      kind: 'spot',
      priceScale: 2,
      sizeScale: 8,
    });
    const feed = new BinanceFeed({
      market: 'spot',
      instruments: new InstrumentRegistry([btc]),
      listener: { onSnapshotRequest: (r) => requests.push(r) },
    });
    feed.onMessage(
      '{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":100,"u":105,"b":[["10.00","1.0"]],"a":[["11.00","2.0"]]}',
      1,
    );
    expect(requests).toHaveLength(1);
    feed.onSnapshot('BTCUSDT', '{"lastUpdateId":90,"bids":[["9.00","1.0"]],"asks":[["12.00","1.0"]]}', 2);
    expect(requests).toHaveLength(2);
    expect([...feed.books()]).toHaveLength(0);
    feed.onSnapshot('BTCUSDT', '{"lastUpdateId":101,"bids":[["9.00","1.0"]],"asks":[["12.00","1.0"]]}', 3);
    const [book] = [...feed.books()];
    expect(book?.trust).toBe('trusted');
    expect(book?.sequence).toBe(105);
    expect(book?.book.bestBid()).toBe(1000);
  });

  it('counts malformed and unknown frames and keeps going', () => {
    const feed = new BinanceFeed({ market: 'spot', instruments: new InstrumentRegistry() });
    for (const raw of [
      'not json',
      '[1,2',
      '{"e":"depthUpdate","s":"X"}',
      '{"e":"somethingNew","s":"X"}',
      '42',
    ]) {
      expect(() => feed.onMessage(raw, 1)).not.toThrow();
    }
    expect(feed.counters.rejected).toBe(5);
    expect(feed.counters.rejectedByReason.malformed).toBe(3);
    // A depthUpdate without U/u: its ids cannot be read.
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(feed.counters.rejectedByReason.unknown_message).toBe(1);
  });

  it('reads depth frames in unusual layouts through the slow path', () => {
    const feed = new BinanceFeed({ market: 'spot', instruments: new InstrumentRegistry() });
    feed.onSnapshot('BTCUSDT', '{"lastUpdateId":10,"bids":[["9.01","1.5"]],"asks":[["12.00","1.0"]]}', 1);
    feed.onMessage(
      '{ "a" : [ ], "b" : [ [ "9.50" , "2.0" ] ], "u" : 11, "U" : 11, "s" : "BTCUSDT", "e" : "depthUpdate", "E" : 5 }',
      2,
    );
    const [book] = [...feed.books()];
    expect(book?.sequence).toBe(11);
    expect(book?.book.bestBid()).toBe(950);
    expect(feed.counters.rejected).toBe(0);
  });

  it('applies a diff the same in every layout, fast path or not (property)', () => {
    // Bids at or below 10.00, asks above: a crossed book is stale by rule, not what this tests.
    const level = (min: number, max: number) =>
      fc.tuple(
        fc.integer({ min, max }).map((p) => `${(p / 100).toFixed(2)}`),
        fc.oneof(
          fc.constant('0.0'),
          fc.integer({ min: 1, max: 999 }).map((q) => `${q / 10}`),
        ),
      );
    const diff = fc.record({
      b: fc.array(level(900, 1000), { maxLength: 6 }),
      a: fc.array(level(1001, 1100), { maxLength: 6 }),
      layout: fc.constantFrom(
        'plain',
        'wrapped',
        'asksFirst',
        'spaced',
        'extraKeys',
        'idsAfterArrays',
        'badTail',
      ),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.array(diff, { minLength: 1, maxLength: 12 }), (futures, diffs) => {
        const make = () =>
          new BinanceFeed({ market: futures ? 'usdm' : 'spot', instruments: new InstrumentRegistry() });
        const plain = make();
        const varied = make();
        const snap = '{"lastUpdateId":10,"bids":[["9.01","1.5"]],"asks":[["12.00","1.0"]]}';
        plain.onSnapshot('BTCUSDT', snap, 1);
        varied.onSnapshot('BTCUSDT', snap, 1);
        let last = 10;
        let broken = false;
        for (const d of diffs) {
          const ids = { U: last + 1, u: last + 3, ...(futures ? { pu: last } : {}) };
          last += 3;
          const head = { e: 'depthUpdate', E: 5, s: 'BTCUSDT' };
          plain.onMessage(JSON.stringify({ ...head, ...ids, b: d.b, a: d.a }), 2);
          let text: string;
          switch (d.layout) {
            case 'plain':
              text = JSON.stringify({ ...head, ...ids, b: d.b, a: d.a });
              break;
            case 'wrapped':
              text = JSON.stringify({ stream: 'btcusdt@depth', data: { ...head, ...ids, b: d.b, a: d.a } });
              break;
            case 'asksFirst':
              text = JSON.stringify({ ...head, ...ids, a: d.a, b: d.b });
              break;
            case 'spaced':
              text = JSON.stringify({ ...head, ...ids, b: d.b, a: d.a }, null, 1);
              break;
            case 'extraKeys':
              text = JSON.stringify({ ...head, ...ids, b: d.b, x: [']]', { y: 1 }], a: d.a, T: 7 });
              break;
            case 'idsAfterArrays':
              text = JSON.stringify({ ...head, b: d.b, a: d.a, ...ids });
              break;
            default:
              // Broken after its header: refused, counted, the book rebuilt — never half-applied silently.
              text = `${JSON.stringify({ ...head, ...ids, b: d.b, a: d.a })}]`;
              broken = true;
          }
          varied.onMessage(text, 2);
          if (broken) break;
        }
        const [p] = [...plain.books()];
        const [v] = [...varied.books()];
        expect(p?.trust).toBe('trusted');
        if (broken) {
          expect(varied.counters.rejected).toBe(1);
          expect(v?.trust).not.toBe('trusted');
          return;
        }
        expect(varied.counters.rejected).toBe(0);
        expect(varied.counters.gaps).toBe(0);
        expect(v?.trust).toBe('trusted');
        expect(v?.sequence).toBe(last);
        expect(v?.book.snapshot()).toEqual(p?.book.snapshot());
        expect(varied.counters.levelChanges).toBe(plain.counters.levelChanges);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a depth frame that is not plain ASCII through the slow path', () => {
    const feed = new BinanceFeed({ market: 'spot', instruments: new InstrumentRegistry() });
    feed.onSnapshot('BTCUSDT', '{"lastUpdateId":10,"bids":[["9.01","1.5"]],"asks":[["12.00","1.0"]]}', 1);
    feed.onMessage(
      '{"e":"depthUpdate","E":5,"s":"BTCUSDT","U":11,"u":11,"b":[["9.50","2.0"]],"a":[],"x":"é€𝄞"}',
      2,
    );
    expect(feed.counters.rejected).toBe(0);
    const [book] = [...feed.books()];
    expect(book?.sequence).toBe(11);
    expect(book?.book.bestBid()).toBe(950);
  });
});

describe('Binance feed: hostile frames', () => {
  const SNAP = '{"lastUpdateId":10,"bids":[["9.01","1.5"]],"asks":[["12.00","1.0"]]}';
  const synced = (market: 'spot' | 'usdm' = 'spot') => {
    const rejects: Array<{ reason: string; detail: string }> = [];
    const feed = new BinanceFeed({
      market,
      instruments: new InstrumentRegistry(),
      listener: { onReject: (reason, detail) => rejects.push({ reason, detail }) },
    });
    feed.onSnapshot('BTCUSDT', SNAP, 1);
    return { feed, rejects, book: () => [...feed.books()][0]! };
  };

  it.each([
    ['a nested array', (d: number) => `{"e":${'['.repeat(d)}${']'.repeat(d)},"s":"X"}`],
    ['a nested event name', (d: number) => `{"e":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`],
  ])('a frame with %s 100,000 deep is a counted rejection, never a RangeError', (_, frame) => {
    const { feed, rejects } = synced();
    expect(() => feed.onMessage(frame(100_000), 2)).not.toThrow();
    expect(feed.counters.rejected).toBe(1);
    for (const r of rejects) expect(r.detail.length).toBeLessThan(300);
  });

  it('a depth frame carrying a 100,000-deep value on the JSON path is a counted rejection', () => {
    const { feed, rejects } = synced();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    // Non-ASCII: the scanner leaves it to JSON.parse and the strict reader.
    const frame = `{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":11,"u":11,"b":[["9.50","2.0"]],"a":[],"x":${deep},"y":"é"}`;
    expect(() => feed.onMessage(frame, 2)).not.toThrow();
    expect(feed.counters.rejected).toBe(1);
    expect(rejects[0]!.detail.length).toBeLessThan(300);
  });

  it.each([
    ['u twice (the scanner reads the first, JSON.parse the last)', '"U":11,"u":11,"u":99'],
    ['b twice', '"U":11,"u":11,"b":[],"b":[["9.50","2.0"]]'],
    ['an unknown key twice', '"x":1,"U":11,"u":11,"x":2'],
  ])('a depth frame naming %s is refused as duplicate_key', (_, middle) => {
    const { feed, book } = synced();
    const keys = middle.includes('"b"') ? middle : `${middle},"b":[]`;
    feed.onMessage(`{"e":"depthUpdate","E":1,"s":"BTCUSDT",${keys},"a":[]}`, 2);
    expect(feed.counters.rejectedByReason.duplicate_key).toBe(1);
    expect(book().sequence).toBe(10);
  });

  it('a repeat after the level arrays or inside the envelope is refused too', () => {
    const { feed } = synced();
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":11,"u":11,"b":[],"a":[],"u":12}', 2);
    feed.onMessage(
      '{"stream":"btcusdt@depth","stream":"x","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":11,"u":11,"b":[],"a":[]}}',
      3,
    );
    feed.onMessage('{ "e":"depthUpdate", "s":"BTCUSDT", "U":11, "u":11, "u":11, "b":[], "a":[] }', 4);
    expect(feed.counters.rejectedByReason.duplicate_key).toBe(3);
  });

  it('a snapshot repeating a key is refused, not applied', () => {
    const feed = new BinanceFeed({ market: 'spot', instruments: new InstrumentRegistry() });
    feed.onSnapshot('BTCUSDT', '{"lastUpdateId":10,"lastUpdateId":99,"bids":[],"asks":[]}', 1);
    expect(feed.counters.rejectedByReason.duplicate_key).toBe(1);
    expect([...feed.books()]).toHaveLength(0);
  });

  it.each(['"01.50"', '"1."', '"-0"', '"+1.0"', '"1e2"', '".5"'])(
    'a level written %s is refused as bad_number_form and the book resyncs',
    (size) => {
      const { feed, book } = synced();
      feed.onMessage(
        `{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":11,"u":11,"b":[["9.50",${size}]],"a":[]}`,
        2,
      );
      expect(feed.counters.rejectedByReason.bad_number_form).toBe(1);
      expect(book().trust).not.toBe('trusted');
    },
  );

  it.each([
    ['u below U', '"U":12,"u":11'],
    ['U negative', '"U":-1,"u":11'],
    ['u beyond 2^53', '"U":11,"u":9007199254740993'],
    ['u as 1e400', '"U":11,"u":1e400'],
    ['u as a string', '"U":11,"u":"11"'],
    ['U missing', '"u":11'],
  ])('%s: bad_sequence, and the trusted book resyncs', (_, ids) => {
    const { feed, book } = synced();
    feed.onMessage(`{"e":"depthUpdate","E":1,"s":"BTCUSDT",${ids},"b":[],"a":[]}`, 2);
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(feed.counters.rejectedByReason.malformed).toBeUndefined();
    expect(book().trust).toBe('resyncing');
  });

  it('spot after the bridge: a lower U reaching past the book is a backward jump; a repeat is skipped', () => {
    const { feed, book } = synced();
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":11,"u":15,"b":[],"a":[]}', 2);
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":16,"u":20,"b":[],"a":[]}', 3);
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":16,"u":20,"b":[],"a":[]}', 4);
    expect(feed.counters.skippedApplied).toBe(1);
    expect(book().trust).toBe('trusted');
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":18,"u":25,"b":[],"a":[]}', 5);
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(book().trust).toBe('resyncing');
  });

  it('USD-M: pu is checked before a diff counts as already applied', () => {
    const feed = new BinanceFeed({ market: 'usdm', instruments: new InstrumentRegistry() });
    feed.onSnapshot('BTCUSDT', SNAP, 1);
    const diff = (U: number, u: number, pu: number) =>
      `{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":${U},"u":${u},"pu":${pu},"b":[],"a":[]}`;
    feed.onMessage(diff(8, 15, 7), 2);
    feed.onMessage(diff(16, 20, 15), 3);
    const [book] = [...feed.books()];
    expect(book?.sequence).toBe(20);
    // Looks applied (u ≤ 20) but chains to 12, not 20: a backward jump.
    feed.onMessage(diff(13, 18, 12), 4);
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(book?.trust).toBe('resyncing');
  });

  it('a buffered diff that can never be bridged is dropped so the snapshot is used', () => {
    const requests: SnapshotRequest[] = [];
    const feed = new BinanceFeed({
      market: 'spot',
      instruments: new InstrumentRegistry(),
      listener: { onSnapshotRequest: (r) => requests.push(r) },
    });
    // U corrupted ×10 would be refused outright (u < U); +1000 keeps u ≥ U but starts after the snapshot.
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1009,"u":2000,"b":[],"a":[]}', 1);
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":9,"u":12,"b":[["9.50","2.0"]],"a":[]}', 2);
    feed.onMessage('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":13,"u":14,"b":[],"a":[]}', 3);
    feed.onSnapshot('BTCUSDT', SNAP, 4);
    const [book] = [...feed.books()];
    expect(book?.trust).toBe('trusted');
    expect(book?.sequence).toBe(14);
    expect(book?.book.bestBid()).toBe(950);
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('USD-M: a snapshot claiming a diff transacted after it (T) has a wrong id and is replaced', () => {
    const requests: SnapshotRequest[] = [];
    const feed = new BinanceFeed({
      market: 'usdm',
      instruments: new InstrumentRegistry(),
      listener: { onSnapshotRequest: (r) => requests.push(r) },
    });
    feed.onMessage('{"e":"depthUpdate","E":1,"T":100,"s":"BTCUSDT","U":5,"u":9,"pu":4,"b":[],"a":[]}', 1);
    feed.onMessage('{"e":"depthUpdate","E":1,"T":105,"s":"BTCUSDT","U":10,"u":20,"pu":9,"b":[],"a":[]}', 2);
    // Taken at T=101, so it holds u=9 but not u=20: an id of 25 is wrong.
    feed.onSnapshot(
      'BTCUSDT',
      '{"lastUpdateId":25,"E":1,"T":101,"bids":[["9.01","1.5"]],"asks":[["12.00","1.0"]]}',
      3,
    );
    const [book] = [...feed.books()];
    expect(feed.counters.gaps).toBe(1);
    expect(book?.trust).toBe('resyncing');
    expect(requests).toHaveLength(2);
  });
});
