/**
 * The venues' REST history as pages of rows, oldest first, from a resume point on. Each venue's
 * paging rule is its own:
 *
 * - Binance aggTrades (`/api/v3/aggTrades`, `/fapi/v1/aggTrades`): a startTime/endTime window of at
 *   most one hour finds the first trade, then `fromId` = last id + 1 pages on (1000 rows, weight 4
 *   spot / 20 USD-M); resume: fromId = the last stored id + 1.
 * - Binance klines (`/api/v3/klines`, `/fapi/v1/klines`): startTime = the next open time, 1000 rows.
 * - Bybit kline (`/v5/market/kline`): the list comes newest first, so pages are forward windows of
 *   1000 intervals, each reversed: an interruption never leaves a hole behind the last stored candle.
 * - Bybit recent-trade (`/v5/market/recent-trade`): the latest trades only (1000 linear, 60 spot) —
 *   Bybit has no paging for public trades; what lies in [from, to] and after the last stored trade
 *   is kept.
 *
 * Replies are checked for shape; a row that is not as documented stops the backfill with its text.
 */
import type { Micros } from '../../core/market/events.ts';
import { isObject, parseJson } from '../../core/venues/wire-guards.ts';
import type { LimitedGet } from './limited-get.ts';

export interface HistoryTrade {
  readonly id: string;
  readonly ts: Micros;
  readonly price: string;
  readonly size: string;
  readonly side: 'buy' | 'sell';
}

export interface HistoryKline {
  readonly openTime: Micros;
  readonly closeTime: Micros;
  /** The venue's row, as it sent it (one row). */
  readonly row: readonly unknown[];
}

const HOUR_MS = 3_600_000;

export const BINANCE_INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

export const BYBIT_INTERVAL_MS: Readonly<Record<string, number>> = {
  '1': 60_000,
  '3': 180_000,
  '5': 300_000,
  '15': 900_000,
  '30': 1_800_000,
  '60': 3_600_000,
  '240': 14_400_000,
  D: 86_400_000,
};

function bad(url: string, what: string): Error {
  return new Error(`GET ${url}: unexpected reply (${what})`);
}

function isDecimal(v: unknown): v is string {
  return typeof v === 'string' && /^\d+(\.\d+)?$/.test(v);
}

export interface BinancePaging {
  readonly get: LimitedGet;
  readonly rest: string;
  readonly futures: boolean;
  readonly symbol: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly signal?: AbortSignal;
}

export async function* binanceAggTrades(p: BinancePaging, afterId?: number): AsyncGenerator<HistoryTrade[]> {
  const path = `${p.rest}${p.futures ? '/fapi/v1' : '/api/v3'}/aggTrades?symbol=${p.symbol}&limit=1000`;
  const weight = p.futures ? 20 : 4;
  let lastId = afterId;
  let windowStart = p.fromMs;
  for (;;) {
    let url: string;
    const byId = lastId !== undefined;
    if (lastId !== undefined) url = `${path}&fromId=${lastId + 1}`;
    else {
      if (windowStart > p.toMs) return;
      url = `${path}&startTime=${windowStart}&endTime=${Math.min(windowStart + HOUR_MS - 1, p.toMs)}`;
    }
    const rows = parseJson(await p.get(url, weight, p.signal));
    if (!Array.isArray(rows)) throw bad(url, 'not an array');
    if (rows.length === 0) {
      if (lastId !== undefined) return;
      windowStart += HOUR_MS;
      continue;
    }
    const page: HistoryTrade[] = [];
    let past = false;
    for (const r of rows) {
      if (!isObject(r) || typeof r.a !== 'number' || typeof r.T !== 'number' || typeof r.m !== 'boolean')
        throw bad(url, 'aggTrade fields');
      if (!isDecimal(r.p) || !isDecimal(r.q)) throw bad(url, 'price or quantity');
      lastId = r.a;
      if (r.T > p.toMs) {
        past = true;
        break;
      }
      if (r.T < p.fromMs) continue;
      page.push({ id: String(r.a), ts: r.T * 1000, price: r.p, size: r.q, side: r.m ? 'sell' : 'buy' });
    }
    if (page.length > 0) yield page;
    // A short page by id is the newest trade; a short window just hands over to paging by id.
    if (past || (byId && rows.length < 1000)) return;
  }
}

export async function* binanceKlines(p: BinancePaging, interval: string): AsyncGenerator<HistoryKline[]> {
  const ms = BINANCE_INTERVAL_MS[interval];
  if (ms === undefined)
    throw new Error(`interval ${interval}: one of ${Object.keys(BINANCE_INTERVAL_MS).join(', ')}`);
  const path = `${p.rest}${p.futures ? '/fapi/v1' : '/api/v3'}/klines?symbol=${p.symbol}&interval=${interval}&limit=1000`;
  const weight = p.futures ? 5 : 2;
  let start = p.fromMs;
  while (start <= p.toMs) {
    const url = `${path}&startTime=${start}&endTime=${p.toMs}`;
    const rows = parseJson(await p.get(url, weight, p.signal));
    if (!Array.isArray(rows)) throw bad(url, 'not an array');
    if (rows.length === 0) return;
    const page: HistoryKline[] = [];
    for (const r of rows) {
      if (!Array.isArray(r) || typeof r[0] !== 'number' || typeof r[6] !== 'number' || !isDecimal(r[4]))
        throw bad(url, 'kline row');
      page.push({ openTime: r[0] * 1000, closeTime: r[6] * 1000, row: r });
      start = r[0] + ms;
    }
    yield page;
    if (rows.length < 1000) return;
  }
}

export interface BybitPaging {
  readonly get: LimitedGet;
  readonly rest: string;
  readonly category: 'spot' | 'linear' | 'inverse';
  readonly symbol: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly signal?: AbortSignal;
}

function bybitList(url: string, body: string): unknown[] {
  const msg = parseJson(body);
  if (!isObject(msg) || msg.retCode !== 0)
    throw bad(url, isObject(msg) ? `retCode ${String(msg.retCode)}: ${String(msg.retMsg)}` : 'not an object');
  const result = msg.result;
  if (!isObject(result) || !Array.isArray(result.list)) throw bad(url, 'result.list');
  return result.list;
}

export async function* bybitKlines(p: BybitPaging, interval: string): AsyncGenerator<HistoryKline[]> {
  const ms = BYBIT_INTERVAL_MS[interval];
  if (ms === undefined)
    throw new Error(`interval ${interval}: one of ${Object.keys(BYBIT_INTERVAL_MS).join(', ')}`);
  const path = `${p.rest}/v5/market/kline?category=${p.category}&symbol=${p.symbol}&interval=${interval}&limit=1000`;
  for (let start = p.fromMs; start <= p.toMs; start += 1000 * ms) {
    const end = Math.min(start + 1000 * ms - 1, p.toMs);
    const url = `${path}&start=${start}&end=${end}`;
    const list = bybitList(url, await p.get(url, 1, p.signal));
    const page: HistoryKline[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      if (!Array.isArray(r) || typeof r[0] !== 'string' || !/^\d+$/.test(r[0]) || !isDecimal(r[4]))
        throw bad(url, 'kline row');
      const open = Number(r[0]);
      if (open < start || open > end) continue;
      page.push({ openTime: open * 1000, closeTime: (open + ms - 1) * 1000, row: r });
    }
    if (page.length > 0) yield page;
  }
}

export async function* bybitRecentTrades(p: BybitPaging, afterTs?: Micros): AsyncGenerator<HistoryTrade[]> {
  const url = `${p.rest}/v5/market/recent-trade?category=${p.category}&symbol=${p.symbol}&limit=${p.category === 'spot' ? 60 : 1000}`;
  const list = bybitList(url, await p.get(url, 1, p.signal));
  const page: HistoryTrade[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i];
    if (!isObject(r) || typeof r.execId !== 'string' || typeof r.time !== 'string' || !/^\d+$/.test(r.time))
      throw bad(url, 'trade fields');
    if (!isDecimal(r.price) || !isDecimal(r.size) || (r.side !== 'Buy' && r.side !== 'Sell'))
      throw bad(url, 'price, size or side');
    const ms = Number(r.time);
    const ts = ms * 1000;
    if (ms < p.fromMs || ms > p.toMs || (afterTs !== undefined && ts <= afterTs)) continue;
    page.push({ id: r.execId, ts, price: r.price, size: r.size, side: r.side === 'Buy' ? 'buy' : 'sell' });
  }
  if (page.length > 0) yield page;
}
