/**
 * Load an hftbacktest Binance capture (`<receive_ns> <json>` per line, gzip) for the book benchmark:
 * the REST snapshot line and the depth diffs a correct sync applies after it, in order.
 *
 * The diffs are kept as the exact wire text. Loading parses them once (untimed) to read the update
 * ids and count levels; it refuses a capture whose id chain is broken, because every benchmark
 * relies on "each diff applies" to count level changes honestly.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { BinanceMarket } from '../core/venues/binance/binance-feed.ts';

type WireLevels = ReadonlyArray<readonly [string, string]>;

export interface DepthLine {
  /** The raw JSON as received (combined-stream envelope). */
  readonly json: string;
  /** Receive time, µs. */
  readonly localTs: number;
  readonly U: number;
  readonly u: number;
  /** Futures only; NaN on spot. */
  readonly pu: number;
  readonly bids: WireLevels;
  readonly asks: WireLevels;
}

export interface DepthSnapshotLine {
  readonly json: string;
  readonly localTs: number;
  readonly lastUpdateId: number;
  readonly bids: WireLevels;
  readonly asks: WireLevels;
}

export interface HftbacktestCapture {
  readonly market: BinanceMarket;
  readonly symbol: string;
  readonly snapshot: DepthSnapshotLine;
  /** Diffs applied after the snapshot (the bridging one first), in id order. */
  readonly depth: readonly DepthLine[];
  /** Level entries over all of `depth` (one pass). */
  readonly levelsPerPass: number;
}

interface WireDepth {
  e: string;
  s: string;
  U: number;
  u: number;
  pu?: number;
  b: WireLevels;
  a: WireLevels;
}

function isWireLevels(x: unknown): x is WireLevels {
  return (
    Array.isArray(x) &&
    x.every((l) => Array.isArray(l) && l.length >= 2 && typeof l[0] === 'string' && typeof l[1] === 'string')
  );
}

function isWireDepth(x: unknown): x is WireDepth {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Record<string, unknown>;
  return (
    d.e === 'depthUpdate' &&
    typeof d.s === 'string' &&
    Number.isSafeInteger(d.U) &&
    Number.isSafeInteger(d.u) &&
    (d.pu === undefined || Number.isSafeInteger(d.pu)) &&
    isWireLevels(d.b) &&
    isWireLevels(d.a)
  );
}

/** `<ns>` → µs without going through a double of the nanoseconds (1.7e18 > 2^53). */
function nsToMicros(ns: string): number {
  return Number(ns.slice(0, -3));
}

export function loadHftbacktest(path: string, market: BinanceMarket): HftbacktestCapture {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  let snapshot: DepthSnapshotLine | undefined;
  const diffs: DepthLine[] = [];
  let symbol = '';
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const json = line.slice(space + 1);
    const localTs = nsToMicros(line.slice(0, space));
    if (json.startsWith('{"lastUpdateId"')) {
      if (snapshot) throw new Error(`${path}: more than one snapshot line`);
      const s = JSON.parse(json) as { lastUpdateId: unknown; bids: unknown; asks: unknown };
      if (!Number.isSafeInteger(s.lastUpdateId) || !isWireLevels(s.bids) || !isWireLevels(s.asks))
        throw new Error(`${path}: snapshot of unexpected shape`);
      snapshot = { json, localTs, lastUpdateId: s.lastUpdateId as number, bids: s.bids, asks: s.asks };
      continue;
    }
    if (!json.includes('"depthUpdate"')) continue;
    const env = JSON.parse(json) as { data?: unknown };
    if (!isWireDepth(env.data)) throw new Error(`${path}: depth line of unexpected shape`);
    const d = env.data;
    symbol = d.s;
    diffs.push({ json, localTs, U: d.U, u: d.u, pu: d.pu ?? Number.NaN, bids: d.b, asks: d.a });
  }
  if (!snapshot) throw new Error(`${path}: no snapshot line`);
  const L = snapshot.lastUpdateId;
  const futures = market === 'usdm';
  // The spot capture holds the bridging diff BEFORE the snapshot line: select by id, not by position.
  const depth = diffs.filter((d) => (futures ? d.u >= L : d.u > L));
  checkChain(path, depth, L, futures);
  let levelsPerPass = 0;
  for (const d of depth) levelsPerPass += d.bids.length + d.asks.length;
  return { market, symbol, snapshot, depth, levelsPerPass };
}

/** Binance's sync rules (docs/venues.md): bridge the snapshot, then an unbroken chain. */
function checkChain(path: string, depth: readonly DepthLine[], L: number, futures: boolean): void {
  const first = depth[0];
  if (!first) throw new Error(`${path}: no diff after the snapshot`);
  if (futures ? first.U > L : first.U > L + 1) throw new Error(`${path}: first diff does not bridge ${L}`);
  for (let i = 1; i < depth.length; i++) {
    const prev = depth[i - 1]!;
    const d = depth[i]!;
    if (futures ? d.pu !== prev.u : d.U !== prev.u + 1)
      throw new Error(`${path}: id chain broken at diff ${i} (U=${d.U} pu=${d.pu}, previous u=${prev.u})`);
  }
}
