/**
 * A book crossed after a whole venue message is never trusted (FeedCore.commitUpdate /
 * commitSnapshot), on every venue's real capture: the clean captures never cross; one corrupted
 * price that crosses the book makes it stale and asks for a snapshot; a crossed snapshot does not
 * restore trust and the next request waits out CROSSED_RESYNC_INTERVAL_US; a sound snapshot does.
 * The crossed episode is a crossed_book issue in the quality score, and the risk gate refuses to
 * price an order from such a book.
 */
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../core/capture/capture-record.ts';
import { replayCapture } from '../../../core/capture/replay-capture.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { formatDecimal } from '../../../core/num/format-decimal.ts';
import { QualityMonitor } from '../../../core/quality/quality-monitor.ts';
import { checkOrder } from '../../../core/risk/order-check.ts';
import { combineListeners } from '../../../core/venues/combine-listeners.ts';
import { createFeed, variantOfUrl } from '../../../core/venues/create-feed.ts';
import { CROSSED_RESYNC_INTERVAL_US } from '../../../core/venues/feed-core.ts';
import type { FeedListener, SnapshotRequest, VenueFeed } from '../../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../../core/venues/symbol-book.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { fixture } from '../../support/fixtures.ts';
import { testRules } from '../quality/rules-fixture.ts';

const HIGH = '9999999';

interface VenueCase {
  readonly name: string;
  readonly file: string;
  /** Books the clean capture ends with trusted (KuCoin: one book holds a size no exact unit fits). */
  readonly trustedAtEnd: number;
  /** The corrupted message is the book's first snapshot (no trusted book before it). */
  readonly crossesSnapshot?: boolean;
  /** The venue symbol a book message is for; undefined for any other record. */
  symbolOf(body: string): string | undefined;
  /** The book message with a bid at HIGH added (undefined when this record cannot carry one). */
  cross(body: string): string | undefined;
  /** A snapshot for `sb`, as the venue would send it, made from a sound book; `extraBid` crosses it. */
  snapshot(sb: SymbolBook, capture: CaptureRecord[], extraBid: boolean): { rest: boolean; body: string };
}

function restLevels(sb: SymbolBook, extraBid: boolean): { bids: string; asks: string } {
  const { priceScale, sizeScale } = sb.instrument;
  const { bids, asks } = sb.book.snapshot();
  const side = (levels: Array<[number, number]>) =>
    levels.map(([p, q]) => `["${formatDecimal(p, priceScale)}","${formatDecimal(q, sizeScale)}"]`);
  return {
    bids: [...(extraBid ? [`["${HIGH}","1"]`] : []), ...side(bids)].join(','),
    asks: side(asks).join(','),
  };
}

/** The capture's own in-band snapshot for a symbol, with the crossing bid when asked. */
function inBand(
  capture: CaptureRecord[],
  isSnapshotOf: (body: string) => boolean,
  cross: (b: string) => string,
) {
  return (extraBid: boolean) => {
    const r = capture.find((x) => x.kind === 'message' && isSnapshotOf(x.body))!;
    return { rest: false, body: extraBid ? cross(r.body) : r.body };
  };
}

/** Put `level` first in the array that `marker` opens (valid JSON whether it was empty or not). */
function insertAfter(body: string, marker: string, level: string): string | undefined {
  const at = body.indexOf(marker);
  if (at < 0) return undefined;
  const end = at + marker.length;
  return `${body.slice(0, end)}${level}${body[end] === ']' ? '' : ','}${body.slice(end)}`;
}

const binance = (name: string, file: string): VenueCase => ({
  name,
  file,
  trustedAtEnd: 4,
  symbolOf: (b) => (b.includes('depthUpdate') ? /"s":"([A-Z0-9]+)"/.exec(b)?.[1] : undefined),
  cross: (b) => insertAfter(b, '"b":[', `["${HIGH}","1"]`),
  snapshot: (sb, _c, extraBid) => {
    const { bids, asks } = restLevels(sb, extraBid);
    return { rest: true, body: `{"lastUpdateId":${sb.sequence},"bids":[${bids}],"asks":[${asks}]}` };
  },
});

const CASES: VenueCase[] = [
  binance('Binance spot', 'binance/cryptofeed_BINANCE.ws.1.0.gz'),
  binance('Binance USD-M', 'binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz'),
  {
    name: 'Coinbase level2',
    file: 'coinbase/cryptofeed_COINBASE.ws.28.0.gz',
    trustedAtEnd: 10,
    symbolOf: (b) => (b.includes('"l2update"') ? /"product_id":"([A-Z0-9-]+)"/.exec(b)?.[1] : undefined),
    cross: (b) => insertAfter(b, '"changes":[', `["buy","${HIGH}","1"]`),
    snapshot: (sb, capture, extraBid) =>
      inBand(
        capture,
        (b) => b.includes('"type":"snapshot"') && b.includes(`"product_id":"${sb.venueSymbol}"`),
        (b) => insertAfter(b, '"bids":[', `["${HIGH}","1"]`)!,
      )(extraBid),
  },
  {
    name: 'KuCoin',
    file: 'kucoin/cryptofeed_KUCOIN.ws.1.0.gz',
    trustedAtEnd: 8,
    symbolOf: (b) => (b.includes('trade.l2update') ? /"symbol":"([A-Z0-9-]+)"/.exec(b)?.[1] : undefined),
    // The price of a bid the message sets (its own seq kept: KuCoin refuses a seq reused).
    cross: (b) => {
      const m = /"bids":\[\["[\d.]+","(?!0")[\d.]+","\d+"\]/.exec(b);
      return m ? b.replace(/"bids":\[\["[\d.]+"/, `"bids":[["${HIGH}"`) : undefined;
    },
    snapshot: (sb, _c, extraBid) => {
      const { bids, asks } = restLevels(sb, extraBid);
      return {
        rest: true,
        body: `{"code":"200000","data":{"time":1,"sequence":"${sb.sequence}","bids":[${bids}],"asks":[${asks}]}}`,
      };
    },
  },
  {
    name: 'Bybit',
    file: 'bybit/nautilus_xrpusdt-ob500.data.zip',
    trustedAtEnd: 1,
    symbolOf: (b) => (b.includes('"type":"delta"') ? /"s":"([A-Z0-9]+)"/.exec(b)?.[1] : undefined),
    cross: (b) => insertAfter(b, '"b":[', `["${HIGH}","1"]`),
    snapshot: (_sb, capture, extraBid) =>
      inBand(
        capture,
        (b) => b.includes('"type":"snapshot"'),
        (b) => insertAfter(b, '"b":[', `["${HIGH}","1"]`)!,
      )(extraBid),
  },
  {
    // Kraken v1 updates carry a checksum, which a crossing level breaks first: only a snapshot
    // (no checksum) can bring a crossed book, so the corrupted message is a snapshot.
    name: 'Kraken v1',
    file: 'kraken/cryptofeed_KRAKEN.ws.50.0.gz',
    trustedAtEnd: 10,
    crossesSnapshot: true,
    symbolOf: (b) => (b.includes('{"as":[') ? /"book-\d+","([^"]+)"\]$/.exec(b)?.[1] : undefined),
    cross: (b) => insertAfter(b, '"bs":[', `["${HIGH}.00000","1.00000000","1618678132.000000"]`),
    snapshot: (sb, capture, extraBid) =>
      inBand(
        capture,
        (b) => b.includes('{"as":[') && b.endsWith(`"${sb.venueSymbol}"]`),
        (b) => insertAfter(b, '"bs":[', `["${HIGH}.00000","1.00000000","1618678132.000000"]`)!,
      )(extraBid),
  },
];

function load(file: string) {
  const capture = readCapture(fixture(file));
  const url = capture.records.find((r) => r.url)?.url ?? '';
  return { capture, exchange: capture.exchange, variant: variantOfUrl(capture.exchange, url) };
}

function feedFor(exchange: ExchangeId, variant: string | undefined, listener: FeedListener = {}): VenueFeed {
  return createFeed({ exchange, variant, instruments: new InstrumentRegistry(), listener });
}

function bookOf(feed: VenueFeed, venueSymbol: string): SymbolBook | undefined {
  for (const b of feed.books()) if (b.venueSymbol === venueSymbol) return b;
  return undefined;
}

describe.each(CASES)('$name: a crossed book is never trusted', (venue) => {
  const { capture, exchange, variant } = load(venue.file);

  it('the clean capture never crosses a book after a whole message', () => {
    let crossedSeen = 0;
    const feed = feedFor(exchange, variant, {
      onBook: (sb) => {
        if (sb.book.isCrossed()) crossedSeen++;
      },
    });
    replayCapture(capture.records, feed);
    expect(feed.counters.crossed).toBe(0);
    expect(crossedSeen).toBe(0);
    expect([...feed.books()].filter((b) => b.trusted)).toHaveLength(venue.trustedAtEnd);
  });

  it('a crossing price: stale, one snapshot request, held for a crossed snapshot, trusted after a sound one', () => {
    const requests: SnapshotRequest[] = [];
    const monitor = new QualityMonitor(testRules());
    const feed = feedFor(
      exchange,
      variant,
      combineListeners({ onSnapshotRequest: (r) => requests.push(r) }, monitor),
    );
    const clean = feedFor(exchange, variant);
    const records = capture.records;
    let target: string | undefined;
    let at = -1;
    const deliver = (f: VenueFeed, r: CaptureRecord, body: string) => {
      if (r.kind === 'message') f.onMessage(body, r.localTs);
      else if (r.kind === 'rest') {
        const symbol = decodeURIComponent(/[?&]symbol=([^&]+)/.exec(r.url)?.[1] ?? '');
        if (symbol) f.onSnapshot(symbol, body, r.localTs);
      }
    };
    for (let i = 0; i < records.length && at < 0; i++) {
      const r = records[i]!;
      const symbol = venue.symbolOf(r.body);
      const before = clean.counters.levelChanges;
      deliver(clean, r, r.body);
      // Only a message the clean feed applies (not one the book already holds).
      const applied = clean.counters.levelChanges > before;
      const ready =
        symbol !== undefined && applied && (venue.crossesSnapshot || bookOf(feed, symbol)?.trusted);
      const corrupted = ready ? venue.cross(r.body) : undefined;
      if (corrupted) {
        target = symbol;
        at = i;
        requests.length = 0;
        deliver(feed, r, corrupted);
      } else deliver(feed, r, r.body);
    }
    expect(at, 'a book message to corrupt').toBeGreaterThan(0);
    const sb = bookOf(feed, target!)!;
    const t0 = records[at]!.localTs;
    // Fault fired: counted, not trusted, one request for this symbol.
    expect(feed.counters.crossed).toBe(1);
    expect(sb.trusted).toBe(false);
    expect(requests.map((r) => r.venueSymbol)).toEqual([target]);
    expect(monitor.report(exchange, sb.symbol)?.counts.crossed_book).toBe(1);
    expect(monitor.issues(exchange, sb.symbol)).toContain('crossed_book');
    // The risk gate refuses to price an order from it.
    const order = {
      id: 1,
      instrument: 0,
      side: 'buy',
      type: 'limit',
      price: 1,
      size: 1,
      postOnly: false,
      ioc: false,
    } as const;
    const account = { equity: () => 1e9, position: () => 0, openSize: () => 0 };
    expect(checkOrder(order, sb.instrument, account, { maxLeverage: Infinity }, 1, sb)).toBe(
      'book_not_trusted',
    );

    // A crossed snapshot: counted again, still not trusted, and no new request inside the interval.
    const cleanBook = bookOf(clean, target!)!;
    const answer = (extraBid: boolean, ts: number) => {
      const s = venue.snapshot(cleanBook, records, extraBid);
      if (s.rest) feed.onSnapshot(target!, s.body, ts);
      else feed.onMessage(s.body, ts);
    };
    answer(true, t0 + 1);
    expect(feed.counters.crossed).toBe(2);
    expect(sb.trusted).toBe(false);
    const held = requests.length;
    expect(held).toBe(1);
    let i = at + 1;
    for (; i < records.length && records[i]!.localTs < t0 + CROSSED_RESYNC_INTERVAL_US; i++) {
      deliver(feed, records[i]!, records[i]!.body);
      expect(sb.trusted).toBe(false);
    }
    expect(requests.filter((r) => r.venueSymbol === target)).toHaveLength(1);

    // A sound snapshot ends it.
    answer(false, (records[i - 1] ?? records[at]!).localTs + 1);
    expect(sb.trust).toBe('trusted');
    expect(sb.book.isCrossed()).toBe(false);
  });
});

describe('the held request goes out once the interval is over', () => {
  it('Binance spot: the next diff after the interval asks again', () => {
    const { capture, exchange, variant } = load('binance/hftbacktest_spot_btcusdt_20240808.gz');
    const requests: SnapshotRequest[] = [];
    const feed = feedFor(exchange, variant, { onSnapshotRequest: (r) => requests.push(r) });
    const records = capture.records;
    const snapAt = records.findIndex((r) => r.kind === 'rest');
    const at = records.findIndex((r, i) => i > snapAt + 100 && r.body.includes('depthUpdate'));
    replayCapture(
      records
        .slice(0, at + 1)
        .map((r, i) => (i === at ? { ...r, body: r.body.replace('"b":[', `"b":[["${HIGH}","1"],`) } : r)),
      feed,
    );
    const [sb] = [...feed.books()];
    expect(requests).toHaveLength(2); // the first snapshot, then the crossed book
    // A crossed answer: held.
    const t0 = records[at]!.localTs;
    feed.onSnapshot(
      'BTCUSDT',
      `{"lastUpdateId":${sb!.sequence},"bids":[["${HIGH}","1"]],"asks":[["1","1"]]}`,
      t0 + 1,
    );
    expect(sb!.trust).toBe('stale');
    const rest = records.slice(at + 1).filter((r) => r.kind === 'message');
    const later = rest.findIndex((r) => r.localTs >= t0 + CROSSED_RESYNC_INTERVAL_US);
    replayCapture(rest.slice(0, later), feed);
    expect(requests).toHaveLength(2);
    replayCapture(rest.slice(later, later + 20), feed);
    expect(requests).toHaveLength(3);
    expect(sb!.trust).toBe('resyncing');
  });
});
