/**
 * The pipeline's order-flow measures against plain reference computations (arrays, two-pass
 * formulas, no rings) over the real Binance BTCUSDT captures, and cross-venue correlation between
 * the spot and USD-M captures of the same minutes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { replayCapturesByTime } from '../../../core/capture/replay-capture.ts';
import type { MarketEvent, TradeEvent } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { PipelineListener } from '../../../core/signals/pipeline-listener.ts';
import { defaultSignalParams } from '../../../core/signals/signal-params.ts';
import { SignalPipeline } from '../../../core/signals/signal-pipeline.ts';
import { createFeed, variantOfUrl } from '../../../core/venues/create-feed.ts';
import type { FeedListener } from '../../../core/venues/feed-types.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { instrumentsFor } from '../../../local/capture/reference-data.ts';
import { fixture } from '../../support/fixtures.ts';

type Seen =
  | { kind: 'book'; key: string; ts: number; mid: number; inst: Instrument }
  | {
      kind: 'trade';
      key: string;
      ts: number;
      price: number;
      size: number;
      side: TradeEvent['side'];
      inst: Instrument;
    };

const params = defaultSignalParams();
let pipeline: SignalPipeline;
const seen: Seen[] = [];

beforeAll(() => {
  pipeline = new SignalPipeline(params);
  const listener = new PipelineListener(pipeline);
  const captures = [
    'binance/hftbacktest_spot_btcusdt_20240808.gz',
    'binance/hftbacktest_usdm_btcusdt_20240808.gz',
  ].map((f) => readCapture(fixture(f)));
  const sources = captures.map((c) => {
    const recording: FeedListener = {
      onBook(sb, ch) {
        if (sb.trust === 'trusted')
          seen.push({
            kind: 'book',
            key: `${sb.instrument.exchange}`,
            ts: sb.localTs,
            mid: sb.book.mid(),
            inst: sb.instrument,
          });
        listener.onBook(sb, ch);
      },
      onTrade(t) {
        const s = pipeline.find(t.exchange, t.symbol);
        if (s)
          seen.push({
            kind: 'trade',
            key: t.exchange,
            ts: t.localTs,
            price: t.price,
            size: t.size,
            side: t.side,
            inst: s.instrument,
          });
        listener.onTrade(t);
      },
      onEvent: (e: MarketEvent) => listener.onEvent(e),
    };
    return {
      records: c.records,
      feed: createFeed({
        exchange: c.exchange,
        listener: recording,
        instruments: new InstrumentRegistry(instrumentsFor(c.path)),
        variant: variantOfUrl(c.exchange, c.records.find((r) => r.url)?.url ?? ''),
      }),
    };
  });
  replayCapturesByTime(sources);
});

function referenceVpin(exchange: string): number {
  const trades = seen.filter((s) => s.kind === 'trade' && s.key === exchange) as Extract<
    Seen,
    { kind: 'trade' }
  >[];
  const V = params.context.vpinBucketNotional;
  const buckets: number[] = [];
  let buy = 0;
  let sell = 0;
  for (const t of trades) {
    if (t.side === 'unknown') continue;
    let left = t.price * t.size * 10 ** -(t.inst.priceScale + t.inst.sizeScale);
    while (left > 0) {
      const take = Math.min(left, V - buy - sell);
      if (t.side === 'buy') buy += take;
      else sell += take;
      left -= take;
      if (buy + sell >= V * (1 - 1e-12)) {
        buckets.push(Math.abs(sell - buy));
        buy = sell = 0;
      }
    }
  }
  const last = buckets.slice(-params.context.vpinBuckets);
  return last.reduce((a, b) => a + b, 0) / (last.length * V);
}

function referenceKyle(exchange: string): number {
  const events = seen.filter((s) => s.key === exchange);
  const samples: Array<[number, number, number]> = [];
  let before = Number.NaN;
  let pending = 0;
  let trades = 0;
  let lastBook = 0;
  for (const e of events) {
    if (e.kind === 'trade') {
      if (e.side === 'unknown') continue;
      pending += e.side === 'buy' ? e.size : -e.size;
      trades++;
    } else {
      if (trades > 0 && !Number.isNaN(before)) samples.push([e.ts, pending, e.mid - before]);
      pending = 0;
      trades = 0;
      before = e.mid;
      lastBook = e.ts;
    }
  }
  const w = samples.filter(([ts]) => ts > lastBook - params.context.kyleWindowMs * 1000);
  const mx = w.reduce((a, [, x]) => a + x, 0) / w.length;
  const my = w.reduce((a, [, , y]) => a + y, 0) / w.length;
  let sxy = 0;
  let sxx = 0;
  for (const [, x, y] of w) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxy / sxx;
}

describe('order-flow measures on the real Binance BTCUSDT captures', () => {
  for (const exchange of ['binance', 'binance-futures'] as const) {
    it(`${exchange}: VPIN equals the plain bucket computation`, () => {
      const s = pipeline.find(exchange, exchange === 'binance' ? 'BTC/USDT' : 'BTC/USDT:USDT')!;
      expect(s.context.vpin.completed).toBe(params.context.vpinBuckets); // enough trades to fill the window
      const ref = referenceVpin(exchange);
      expect(ref).toBeGreaterThan(0);
      expect(s.context.vpin.value()).toBeCloseTo(ref, 9);
    });

    it(`${exchange}: Kyle's lambda equals a two-pass OLS over the window`, () => {
      const s = pipeline.find(exchange, exchange === 'binance' ? 'BTC/USDT' : 'BTC/USDT:USDT')!;
      expect(s.context.kyle.sampleCount).toBeGreaterThan(20);
      const ref = referenceKyle(exchange);
      expect(Number.isFinite(ref)).toBe(true);
      expect(s.context.kyle.value()).toBeCloseTo(ref, 6);
      expect(s.context.kyle.value() / ref).toBeCloseTo(1, 9);
    });
  }

  it('cross-venue correlation of spot and USD-M mids equals the plain grid computation', () => {
    const g = pipeline.group('BTC/USDT')!;
    expect(g.members.map((m) => m.exchange)).toEqual(['binance', 'binance-futures']);
    const stepUs = params.context.crossVenueSampleMs * 1000;
    // previous-tick mids at the end of each grid step, in quote currency
    const all = seen.filter((s) => s.kind === 'book') as Extract<Seen, { kind: 'book' }>[];
    const first = Math.floor(Math.min(...seen.map((s) => s.ts)) / stepUs);
    const lastTs = Math.max(...seen.map((s) => s.ts));
    const last = Math.floor(lastTs / stepUs);
    const mids: Record<string, number[]> = { binance: [], 'binance-futures': [] };
    const cur: Record<string, number> = { binance: Number.NaN, 'binance-futures': Number.NaN };
    let k = 0;
    for (let step = first; step < last; step++) {
      const end = (step + 1) * stepUs;
      while (k < all.length && all[k]!.ts < end) {
        const e = all[k++]!;
        cur[e.key] = e.mid * 10 ** -e.inst.priceScale;
      }
      mids.binance!.push(cur.binance!);
      mids['binance-futures']!.push(cur['binance-futures']!);
    }
    const ret = (m: number[]) =>
      m.slice(1).map((v, i) => (v > 0 && m[i]! > 0 ? Math.log(v / m[i]!) : Number.NaN));
    const ra = ret(mids.binance!);
    const rb = ret(mids['binance-futures']!);
    const pairs = ra
      .map((a, i) => [a, rb[i]!] as const)
      .filter(([a, b]) => !Number.isNaN(a) && !Number.isNaN(b));
    const window = pairs.slice(-params.context.correlationSamples);
    const n = window.length;
    const ma = window.reduce((s, [a]) => s + a, 0) / n;
    const mb = window.reduce((s, [, b]) => s + b, 0) / n;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (const [a, b] of window) {
      sab += (a - ma) * (b - mb);
      saa += (a - ma) ** 2;
      sbb += (b - mb) ** 2;
    }
    const ref = sab / Math.sqrt(saa * sbb);
    expect(g.group.sampleCount(0, 1)).toBe(n);
    expect(g.group.correlation(0, 1)).toBeCloseTo(ref, 9);
    // the same BTC on two markets of one venue moves together
    expect(ref).toBeGreaterThan(0.1);
  });
});
