import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../core/capture/replay-capture.ts';
import type { TradeEvent } from '../../../../core/market/events.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { BinanceFeed, type BinanceMarket } from '../../../../core/venues/binance/binance-feed.ts';
import { FlatFrame, FlatValue } from '../../../../core/venues/binance/flat-frame.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';

const key = fc.constantFrom(
  'e',
  'E',
  'T',
  's',
  't',
  'a',
  'p',
  'q',
  'm',
  'u',
  'b',
  'B',
  'A',
  'X',
  'stream',
  'x"y',
);
const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('trade', 'bookTicker', 'é', 'a\\b', 'a"b'),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(-1, 0.5, 1e21, 1e15, 999_999_999_999_999),
  fc.boolean(),
  fc.constant(null),
);
const fields = fc.array(fc.tuple(key, value), { maxLength: 10 });

/** An object's text with keys in the given order, repeats kept (JSON.stringify would drop them). */
function objectText(entries: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}

function fieldsOf(f: FlatFrame, text: string, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const i = f.indexOf(k);
    const kind = f.kind(i);
    out[k] =
      kind === FlatValue.String
        ? f.valueText(i)
        : kind === FlatValue.Integer
          ? f.integer(i)
          : kind === FlatValue.True
            ? true
            : kind === FlatValue.False
              ? false
              : `missing in ${text}`;
  }
  return out;
}

describe('FlatFrame', () => {
  it('accepts only frames JSON.parse reads the same way, keys once each (property)', () => {
    const f = new FlatFrame();
    fc.assert(
      fc.property(fields, fc.boolean(), (entries, wrap) => {
        const data = objectText(entries);
        const text = wrap ? `{"stream":"btcusdt@x","data":${data}}` : data;
        const keys = entries.map(([k]) => k);
        const unique = new Set(keys).size === keys.length;
        const simple = entries.every(
          ([k, v]) =>
            /^[\x20-\x7e]*$/.test(k) &&
            !/["\\]/.test(k) &&
            (typeof v === 'boolean' ||
              (typeof v === 'string' && /^[\x20-\x7e]*$/.test(v) && !/["\\]/.test(v)) ||
              (typeof v === 'number' && /^\d{1,15}$/.test(String(v)))),
        );
        const flat = unique && simple && (wrap || !keys.includes('stream'));
        expect(f.read(text)).toBe(flat);
        if (flat) {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          const msg = (wrap ? parsed.data : parsed) as Record<string, unknown>;
          expect(fieldsOf(f, text, keys)).toEqual(msg);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses whitespace, a repeated key, nesting and anything after the object', () => {
    const f = new FlatFrame();
    expect(f.read('{"e":"trade","t":1}')).toBe(true);
    for (const text of [
      '{"e": "trade"}',
      '{"e":"trade","e":"bookTicker"}',
      '{"e":"trade","x":{}}',
      '{"e":"trade"} ',
      '{"e":"trade",}',
      '{"stream":"a","data":{"e":"trade"},"x":1}',
      '{"stream":"a","data":{"e":"trade"}',
      '{"t":01}',
    ])
      expect(f.read(text), text).toBe(false);
  });
});

describe('BinanceFeed over flat frames', () => {
  /** The capture's trades and counters, the frames as recorded and once more with a trailing space (not flat: the JSON.parse path). */
  function replayBoth(path: string, market: BinanceMarket) {
    const run = (spaced: boolean) => {
      const trades: TradeEvent[] = [];
      const feed = new BinanceFeed({
        market,
        instruments: new InstrumentRegistry(),
        listener: { onTrade: (t) => trades.push(t) },
      });
      const records = readCapture(path).records.map((r) =>
        spaced && r.kind === 'message' ? { ...r, body: `${r.body} ` } : r,
      );
      replayCapture(records, feed);
      return {
        trades,
        counters: { ...feed.counters, rejectedByReason: { ...feed.counters.rejectedByReason } },
      };
    };
    return { flat: run(false), parsed: run(true) };
  }

  for (const [file, market] of [
    ['hftbacktest_usdm_btcusdt_20240808.gz', 'usdm'],
    ['hftbacktest_spot_btcusdt_20240808.gz', 'spot'],
    ['cryptofeed_BINANCE_FUTURES.ws.1.0.gz', 'usdm'],
    ['cryptofeed_BINANCE.ws.1.0.gz', 'spot'],
  ] as const) {
    it(`${file}: the same trades and counters as through JSON.parse`, () => {
      const { flat, parsed } = replayBoth(`test/fixtures/binance/${file}`, market);
      expect(flat.trades.length).toBeGreaterThan(0);
      expect(flat.trades).toEqual(parsed.trades);
      expect(flat.counters).toEqual(parsed.counters);
    });
  }
});
