/**
 * `cli backfill --exchange <id> --symbol <s> --from <date> --to <date> --out <dir>`: a venue's public
 * REST history (history-pages.ts) into the recording layout through the recorder: trades as trade
 * rows, candles as raw `rest` rows (one candle per row, the venue's row as its body, under the
 * venue's canonical URL `…/klines?symbol=&interval=` so an import of the same candles shares it).
 *
 * Requests go through a WeightedLimiter at the venue's published budget (Binance 6000 weight/min spot,
 * 2400 USD-M; Bybit 600 requests per 5 s), each page is flushed to disk before the next is asked
 * for, and a run starts after the last row already stored (last-stored.ts): stopped at any point
 * (Ctrl-C, a crash, an AbortSignal) and started again, it stores the same rows as one uninterrupted
 * run, none twice. The manifest (local/import/import-manifest.ts) gets the range each run stored.
 */
import { resolve } from 'node:path';
import { configuredInstruments } from '../../config/instruments.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { type Instrument, makeInstrument } from '../../core/market/instrument.ts';
import { parseVenueSymbol } from '../../core/market/symbols.ts';
import { parseDecimal, significantFractionDigits } from '../../core/num/index.ts';
import { isObject, parseJson } from '../../core/venues/wire-guards.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';
import type { RateLimitPolicy } from '../../fargate/rate-limit/token-bucket.ts';
import { WeightedLimiter } from '../../fargate/rate-limit/weighted-limiter.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { progressBar } from '../backtest/progress-bar.ts';
import { addRange, readManifest, writeManifest } from '../import/import-manifest.ts';
import { klineUrl } from '../import/write-parsed-file.ts';
import { ParquetSink } from '../storage/parquet-sink.ts';
import {
  binanceAggTrades,
  binanceKlines,
  bybitKlines,
  bybitRecentTrades,
  type HistoryKline,
  type HistoryTrade,
} from './history-pages.ts';
import { lastStoredKline, lastStoredTrade } from './last-stored.ts';
import { type LimitedGet, limitedGet } from './limited-get.ts';

export type BackfillExchange = 'binance' | 'binance-futures' | 'bybit';
export type BackfillDataset = 'trades' | 'klines';

export interface BackfillOptions {
  readonly exchange: BackfillExchange;
  /** Venue spelling (BTCUSDT). */
  readonly symbol: string;
  /** Receive-time range, ms since epoch: [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly out: string;
  readonly datasets?: readonly BackfillDataset[];
  /** Binance 1m…1d (default 1m); Bybit 1…D (default 1). */
  readonly interval?: string;
  /** Bybit only (default linear). */
  readonly category?: 'spot' | 'linear' | 'inverse';
  /** REST base URL (default the venue's). */
  readonly rest?: string;
  readonly limit?: RateLimitPolicy;
  readonly instruments?: readonly Instrument[];
  readonly signal?: AbortSignal;
  /** Called after each page is on disk. */
  readonly onPage?: (dataset: BackfillDataset, rows: number) => void;
  readonly quiet?: boolean;
  readonly fetch?: typeof fetch;
}

export interface BackfillResult {
  readonly out: string;
  readonly stored: Record<BackfillDataset, number>;
  readonly resumedFrom: Partial<Record<BackfillDataset, number>>;
  readonly pages: number;
  readonly limiter: WeightedLimiter['stats'];
}

const REST: Record<BackfillExchange, string> = {
  binance: 'https://api.binance.com',
  'binance-futures': 'https://fapi.binance.com',
  bybit: 'https://api.bybit.com',
};

const LIMITS: Record<BackfillExchange, RateLimitPolicy> = {
  binance: { limit: 6000, windowMs: 60_000, burstFraction: 0.5 },
  'binance-futures': { limit: 2400, windowMs: 60_000, burstFraction: 0.5 },
  bybit: { limit: 600, windowMs: 5_000, burstFraction: 0.5 },
};

function scaleOf(step: unknown): number | undefined {
  return typeof step === 'string' && /^\d+(\.\d+)?$/.test(step) ? significantFractionDigits(step) : undefined;
}

/** The symbol's scales from the venue's reference data (exchangeInfo / instruments-info). */
async function fetchInstrument(o: BackfillOptions, get: LimitedGet, rest: string): Promise<Instrument> {
  const kind =
    o.exchange === 'binance-futures' || (o.exchange === 'bybit' && o.category !== 'spot') ? 'perp' : 'spot';
  const parsed = parseVenueSymbol(o.exchange as ExchangeId, o.symbol, kind);
  if (!parsed) throw new Error(`--symbol ${o.symbol}: not a ${o.exchange} symbol`);
  let tick: unknown;
  let step: unknown;
  if (o.exchange === 'bybit') {
    const url = `${rest}/v5/market/instruments-info?category=${o.category ?? 'linear'}&symbol=${o.symbol}`;
    const msg = parseJson(await get(url, 1, o.signal));
    const item =
      isObject(msg) && isObject(msg.result) && Array.isArray(msg.result.list)
        ? msg.result.list[0]
        : undefined;
    if (isObject(item) && isObject(item.priceFilter) && isObject(item.lotSizeFilter)) {
      tick = item.priceFilter.tickSize;
      step = item.lotSizeFilter.qtyStep ?? item.lotSizeFilter.basePrecision;
    }
  } else {
    const url = `${rest}${o.exchange === 'binance-futures' ? '/fapi/v1' : '/api/v3'}/exchangeInfo?symbol=${o.symbol}`;
    const msg = parseJson(await get(url, o.exchange === 'binance' ? 20 : 1, o.signal));
    const list = isObject(msg) && Array.isArray(msg.symbols) ? msg.symbols : [];
    const item = list.find((s) => isObject(s) && s.symbol === o.symbol);
    const filters = isObject(item) && Array.isArray(item.filters) ? item.filters.filter(isObject) : [];
    tick = filters.find((f) => f.filterType === 'PRICE_FILTER')?.tickSize;
    step = filters.find((f) => f.filterType === 'LOT_SIZE')?.stepSize;
  }
  const priceScale = scaleOf(tick);
  const sizeScale = scaleOf(step);
  if (priceScale === undefined || sizeScale === undefined)
    throw new Error(`${o.exchange} ${o.symbol}: no tick size / lot size in the venue's reference data`);
  return makeInstrument({
    exchange: o.exchange,
    venueSymbol: o.symbol,
    ...parsed,
    priceScale,
    sizeScale,
    tickSize: parseDecimal(String(tick), priceScale),
    lotSize: parseDecimal(String(step), sizeScale),
    source: 'reference',
  });
}

function bybitKlineUrl(o: BackfillOptions, interval: string): string {
  return `https://api.bybit.com/v5/market/kline?category=${o.category ?? 'linear'}&symbol=${o.symbol}&interval=${interval}`;
}

export async function runBackfill(o: BackfillOptions): Promise<BackfillResult> {
  if (!(o.toMs > o.fromMs)) throw new Error('--to must be after --from');
  const rest = (o.rest ?? REST[o.exchange]).replace(/\/$/, '');
  const limiter = new WeightedLimiter(o.limit ?? LIMITS[o.exchange], systemClock());
  const get = limitedGet({ limiter, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const out = resolve(o.out);
  const configured = (o.instruments ?? configuredInstruments()).find(
    (i) => i.exchange === o.exchange && i.venueSymbol === o.symbol,
  );
  const instrument = configured ?? (await fetchInstrument(o, get, rest));
  const datasets = o.datasets ?? ['trades', 'klines'];
  const interval = o.interval ?? (o.exchange === 'bybit' ? '1' : '1m');
  const canonical = o.exchange === 'bybit' ? bybitKlineUrl(o, interval) : klineUrl(instrument, interval);
  const lastMs = o.toMs - 1;
  const recorder = new Recorder({ sink: await ParquetSink.open({ root: out }), pollIntervalMs: 0 });
  const bar = progressBar({ label: 'backfill', unit: 'ms of history', ...(o.quiet ? { quiet: true } : {}) });
  const stored: Record<BackfillDataset, number> = { trades: 0, klines: 0 };
  const resumedFrom: Partial<Record<BackfillDataset, number>> = {};
  const span: Record<BackfillDataset, [number, number]> = {
    trades: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    klines: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  };
  let pages = 0;
  const page = async (dataset: BackfillDataset, rows: number, lastTs: number): Promise<void> => {
    await recorder.flush();
    const stats = recorder.stats();
    const table = dataset === 'trades' ? stats.trade : stats.raw;
    if (table.waiting > 0 || table.retrying)
      throw new Error(`backfill: writing to ${out} failed; run again to resume`);
    pages++;
    stored[dataset] += rows;
    bar.update(Math.min(lastMs, lastTs / 1000) - o.fromMs, lastMs - o.fromMs);
    o.onPage?.(dataset, rows);
  };
  try {
    if (datasets.includes('trades')) {
      const last = await lastStoredTrade(out, o.exchange, instrument.symbol);
      if (last) resumedFrom.trades = last.ts;
      const fromMs = last ? Math.max(o.fromMs, Math.floor(last.ts / 1000)) : o.fromMs;
      const pager =
        o.exchange === 'bybit'
          ? bybitRecentTrades(
              {
                get,
                rest,
                category: o.category ?? 'linear',
                symbol: o.symbol,
                fromMs,
                toMs: lastMs,
                ...(o.signal ? { signal: o.signal } : {}),
              },
              last?.ts,
            )
          : binanceAggTrades(
              {
                get,
                rest,
                futures: o.exchange === 'binance-futures',
                symbol: o.symbol,
                fromMs,
                toMs: lastMs,
                ...(o.signal ? { signal: o.signal } : {}),
              },
              last?.id,
            );
      for await (const trades of pager) {
        o.signal?.throwIfAborted();
        for (const t of trades) recordTrade(recorder, instrument, t, span.trades);
        await page('trades', trades.length, trades[trades.length - 1]!.ts);
      }
    }
    if (datasets.includes('klines')) {
      const last = await lastStoredKline(out, o.exchange, canonical);
      if (last) resumedFrom.klines = last.ts;
      // The last stored candle closed at `ts` (its close time, µs): the next one opens 1 ms later.
      const fromMs = last ? Math.max(o.fromMs, Math.floor(last.ts / 1000) + 1) : o.fromMs;
      const pager =
        o.exchange === 'bybit'
          ? bybitKlines(
              {
                get,
                rest,
                category: o.category ?? 'linear',
                symbol: o.symbol,
                fromMs,
                toMs: lastMs,
                ...(o.signal ? { signal: o.signal } : {}),
              },
              interval,
            )
          : binanceKlines(
              {
                get,
                rest,
                futures: o.exchange === 'binance-futures',
                symbol: o.symbol,
                fromMs,
                toMs: lastMs,
                ...(o.signal ? { signal: o.signal } : {}),
              },
              interval,
            );
      for await (const klines of pager) {
        o.signal?.throwIfAborted();
        for (const k of klines) recordKline(recorder, instrument, canonical, k, span.klines);
        await page('klines', klines.length, klines[klines.length - 1]!.closeTime);
      }
    }
  } finally {
    bar.stop();
    limiter.clear(new Error('backfill finished'));
    await recorder.close();
    const manifest = readManifest(out);
    for (const dataset of datasets) {
      if (stored[dataset] === 0) continue;
      addRange(manifest, `${o.exchange}/${instrument.symbol}`, {
        dataset: `backfill:${dataset}`,
        fromTs: span[dataset][0],
        toTs: span[dataset][1],
        rows: stored[dataset],
        source: dataset === 'klines' ? canonical : `${rest} ${o.symbol}`,
        bytes: 0,
      });
    }
    writeManifest(out, manifest);
  }
  return { out, stored, resumedFrom, pages, limiter: limiter.stats };
}

function recordTrade(
  recorder: Recorder,
  instrument: Instrument,
  t: HistoryTrade,
  span: [number, number],
): void {
  const price = parseDecimal(t.price, instrument.priceScale);
  const size = parseDecimal(t.size, instrument.sizeScale);
  if (Number.isNaN(price) || Number.isNaN(size))
    throw new Error(`trade ${t.id}: ${t.price} × ${t.size} not exact at ${instrument.venueSymbol}'s scales`);
  recorder.recordTrade(
    {
      type: 'trade',
      exchange: instrument.exchange,
      symbol: instrument.symbol,
      exchangeTs: t.ts,
      localTs: t.ts,
      tradeId: t.id,
      price,
      size,
      side: t.side,
    },
    instrument,
  );
  span[0] = Math.min(span[0], t.ts);
  span[1] = Math.max(span[1], t.ts);
}

function recordKline(
  recorder: Recorder,
  instrument: Instrument,
  url: string,
  k: HistoryKline,
  span: [number, number],
): void {
  recorder.recordRest(instrument.exchange, url, k.closeTime, JSON.stringify([k.row]));
  span[0] = Math.min(span[0], k.closeTime);
  span[1] = Math.max(span[1], k.closeTime);
}
