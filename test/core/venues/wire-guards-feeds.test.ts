/**
 * Hostile frames against every JSON venue feed of Kucoin, Coinbase, Bybit and Kraken: a value nested
 * 100,000 deep in any position, and a key repeated inside an object. Each must be one counted
 * rejection, never a throw (a recursive stringify of such a value overflows the stack).
 */
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { createBybitFeed } from '../../../core/venues/bybit/bybit-feed.ts';
import { createCoinbaseFeed } from '../../../core/venues/coinbase/create-coinbase-feed.ts';
import type { RejectReason, VenueFeed } from '../../../core/venues/feed-types.ts';
import { KrakenV1Feed } from '../../../core/venues/kraken/kraken-v1-feed.ts';
import { KrakenV2Feed } from '../../../core/venues/kraken/kraken-v2-feed.ts';
import { createKucoinFeed } from '../../../core/venues/kucoin/kucoin-feed.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { fixture } from '../../support/fixtures.ts';

const DEPTH = 100_000;
const DEEP_ARRAY = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
const MARK = '\u0000mark\u0000';

/** The first captured message containing `needle`. */
function captured(file: string, needle: string): string {
  const r = readCapture(fixture(file)).records.find((x) => x.kind === 'message' && x.body.includes(needle));
  if (!r) throw new Error(`no ${needle} in ${file}`);
  return r.body;
}

interface Venue {
  readonly name: string;
  readonly feed: () => VenueFeed;
  readonly frames: readonly string[];
}

const TS = '2023-02-09T20:32:50.714964855Z';
const VENUES: readonly Venue[] = [
  {
    name: 'kucoin',
    feed: () => createKucoinFeed(),
    frames: [
      captured('kucoin/cryptofeed_KUCOIN.ws.1.0.gz', '"trade.l2update"'),
      captured('kucoin/cryptofeed_KUCOIN.ws.1.0.gz', '"trade.l3match"'),
      '{"id":"3","type":"error","code":404,"data":"topic /market/xx is not found"}',
    ],
  },
  {
    name: 'coinbase exchange level2',
    feed: () => createCoinbaseFeed({ instruments: new InstrumentRegistry() }),
    frames: [
      captured('coinbase/cryptofeed_COINBASE.ws.28.0.gz', '"l2update"'),
      captured('coinbase/cryptofeed_COINBASE.ws.28.0.gz', '"type":"match"'),
      '{"type":"error","message":"Failed to subscribe","reason":"level2 requires authentication"}',
    ],
  },
  {
    name: 'coinbase exchange full',
    feed: () => createCoinbaseFeed({ instruments: new InstrumentRegistry(), book: 'full' }),
    frames: [
      `{"type":"open","product_id":"BTC-USD","sequence":101,"time":"${TS}","order_id":"o1","side":"buy","price":"98.00","remaining_size":"1"}`,
    ],
  },
  {
    name: 'coinbase advanced trade',
    feed: () => createCoinbaseFeed({ instruments: new InstrumentRegistry(), protocol: 'advanced' }),
    frames: [
      `{"channel":"l2_data","client_id":"","timestamp":"${TS}","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"${TS}","price_level":"100.5","new_quantity":"1"}]}]}`,
      '{"type":"error","message":"bad"}',
    ],
  },
  {
    name: 'bybit',
    feed: () => createBybitFeed({ category: 'linear' }),
    frames: [
      captured('bybit/nautilus_xrpusdt-ob500.data.zip', '"delta"'),
      '{"op":"subscribe","success":false,"ret_msg":"bad topic"}',
    ],
  },
  {
    name: 'kraken v1',
    feed: () => new KrakenV1Feed({ instruments: new InstrumentRegistry() }),
    frames: [
      captured('kraken/cryptofeed_KRAKEN.ws.50.0.gz', '"c":"'),
      '{"event":"subscriptionStatus","status":"subscribed","channelID":1,"channelName":"book-10","pair":"XBT/USD"}',
    ],
  },
  {
    name: 'kraken v2',
    feed: () => new KrakenV2Feed({ instruments: new InstrumentRegistry() }),
    frames: [
      '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":100.5,"qty":1.5}],"asks":[],"checksum":1,"timestamp":"2023-10-06T17:35:55.440295Z"}]}',
      '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":100.5,"qty":1.5,"ord_type":"market","trade_id":4,"timestamp":"2023-09-25T07:49:37.708706Z"}]}',
      '{"method":"subscribe","result":{"channel":"book","depth":10,"symbol":"BTC/USD"},"success":true}',
    ],
  },
];

/** Every value position of a parsed frame, as paths of keys and indexes (the root is []). */
function paths(value: unknown): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    out.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => void stack.push([x, [...path, i]]));
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) stack.push([x, [...path, k]]);
  }
  return out;
}

/** `frame` with the value at `path` replaced by the raw JSON text `replacement`. */
function replaceAt(frame: string, path: ReadonlyArray<string | number>, replacement: string): string {
  if (path.length === 0) return replacement;
  const root = JSON.parse(frame) as Record<string | number, unknown>;
  let at = root;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path.at(-1)!] = MARK;
  return JSON.stringify(root).replace(JSON.stringify(MARK), replacement);
}

function counted(
  venue: Venue,
  raw: string,
): { rejected: number; reasons: Partial<Record<RejectReason, number>> } {
  const feed = venue.feed();
  expect(() => feed.onMessage(raw, 1)).not.toThrow();
  return { rejected: feed.counters.rejected, reasons: feed.counters.rejectedByReason };
}

describe('a value nested 100,000 deep in any position of a frame is one counted rejection', () => {
  for (const venue of VENUES) {
    it(venue.name, () => {
      let cases = 0;
      for (const frame of venue.frames) {
        for (const path of paths(JSON.parse(frame))) {
          for (const deep of [DEEP_ARRAY, DEEP_OBJECT]) {
            const raw = replaceAt(frame, path, deep);
            const { rejected, reasons } = counted(venue, raw);
            expect(rejected, `${path.join('.')}`).toBe(1);
            expect(reasons.malformed, `${path.join('.')}`).toBe(1);
            cases++;
          }
        }
      }
      expect(cases).toBeGreaterThan(10);
    });
  }
});

describe('a key repeated inside an object is a counted duplicate_key rejection', () => {
  /** Objects of the frame (paths), each written with its first key repeated at the end. */
  function withRepeatedKeys(frame: string): string[] {
    const out: string[] = [];
    for (const path of paths(JSON.parse(frame))) {
      let v: unknown = JSON.parse(frame);
      for (const k of path) v = (v as Record<string | number, unknown>)[k];
      if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
      const entries = Object.entries(v);
      if (entries.length === 0) continue;
      const [key, value] = entries[0]!;
      const body = JSON.stringify(v);
      out.push(
        replaceAt(frame, path, `${body.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`),
      );
    }
    return out;
  }

  for (const venue of VENUES.filter((v) => v.name !== 'kraken v2')) {
    it(venue.name, () => {
      let cases = 0;
      for (const frame of venue.frames) {
        for (const raw of withRepeatedKeys(frame)) {
          expect(counted(venue, raw).reasons, raw).toEqual({ duplicate_key: 1 });
          cases++;
        }
      }
      expect(cases).toBeGreaterThan(0);
    });
  }

  it('kraken v2: every key it reads, at every level it reads', () => {
    const venue = VENUES.find((v) => v.name === 'kraken v2')!;
    const repeats: Array<[string, string]> = [
      ['"channel":"book"', '"channel":"book","channel":"trade"'],
      ['"type":"update"', '"type":"update","type":"snapshot"'],
      ['"symbol":"BTC/USD"', '"symbol":"BTC/USD","symbol":"ETH/USD"'],
      ['"checksum":1', '"checksum":1,"checksum":2'],
      ['"price":100.5', '"price":100.5,"price":101.5'],
      ['"qty":1.5', '"qty":1.5,"\\u0071ty":2.5'],
      ['"trade_id":4', '"trade_id":4,"trade_id":5'],
      ['"success":true', '"success":true,"success":false'],
    ];
    let cases = 0;
    for (const frame of venue.frames) {
      for (const [from, to] of repeats) {
        if (!frame.includes(from)) continue;
        const feed = venue.feed();
        // A trusted book, so that an update reaches the level reader.
        feed.onMessage(
          '{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":100.0,"qty":1.0}],"asks":[{"price":102.0,"qty":1.0}]}]}',
          0,
        );
        feed.onMessage(frame.replace(from, to), 1);
        expect(feed.counters.rejectedByReason, `${from} in ${frame}`).toEqual({ duplicate_key: 1 });
        cases++;
      }
    }
    expect(cases).toBeGreaterThanOrEqual(repeats.length);
  });
});
