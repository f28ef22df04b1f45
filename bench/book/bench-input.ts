/**
 * Everything the book benchmarks of one capture share, built once and untimed: the id-shifted
 * rounds (case A), the level changes pre-parsed to integer units and to doubles (case B), and the
 * snapshot in both forms.
 */
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { parseDecimal } from '../../core/num/parse-decimal.ts';
import { BinanceFeed } from '../../core/venues/binance/binance-feed.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import type { DepthSnapshotLine, HftbacktestCapture } from '../load-hftbacktest.ts';
import { ShiftedRounds } from '../shifted-rounds.ts';

/** Level changes in arrival order, as flat columns. */
export interface LevelColumns {
  readonly count: number;
  readonly isBid: Uint8Array;
  /** Integer units of the instrument (ours). */
  readonly priceUnits: Float64Array;
  readonly sizeUnits: Float64Array;
  /** Number(wire text) (tardis-dev, ccxt). */
  readonly price: Float64Array;
  readonly size: Float64Array;
}

export interface BenchInput {
  readonly capture: HftbacktestCapture;
  readonly rounds: ShiftedRounds;
  readonly priceScale: number;
  readonly sizeScale: number;
  /** One pass over the depth diffs (bids then asks per message). */
  readonly diffs: LevelColumns;
  readonly snapshot: LevelColumns;
}

/** A BinanceFeed holding the capture's snapshot, and its (trusted) book. */
export function seededFeed(capture: HftbacktestCapture): { feed: BinanceFeed; book: SymbolBook } {
  const feed = new BinanceFeed({ market: capture.market, instruments: new InstrumentRegistry() });
  feed.onSnapshot(capture.symbol, capture.snapshot.json, capture.snapshot.localTs);
  const book = [...feed.books()][0];
  if (book?.trust !== 'trusted') throw new Error(`${capture.symbol}: snapshot not applied`);
  return { feed, book };
}

function columns(
  levels: ReadonlyArray<{
    bids: ReadonlyArray<readonly [string, string]>;
    asks: ReadonlyArray<readonly [string, string]>;
  }>,
  priceScale: number,
  sizeScale: number,
): LevelColumns {
  let count = 0;
  for (const m of levels) count += m.bids.length + m.asks.length;
  const c = {
    count,
    isBid: new Uint8Array(count),
    priceUnits: new Float64Array(count),
    sizeUnits: new Float64Array(count),
    price: new Float64Array(count),
    size: new Float64Array(count),
  };
  let i = 0;
  for (const m of levels) {
    for (const [isBid, side] of [
      [1, m.bids],
      [0, m.asks],
    ] as const) {
      for (const [p, s] of side) {
        const pu = parseDecimal(p, priceScale);
        const su = parseDecimal(s, sizeScale);
        if (Number.isNaN(pu) || Number.isNaN(su))
          throw new Error(`level ${p}@${s} not exact at ${priceScale}/${sizeScale}`);
        c.isBid[i] = isBid;
        c.priceUnits[i] = pu;
        c.sizeUnits[i] = su;
        c.price[i] = Number(p);
        c.size[i] = Number(s);
        i++;
      }
    }
  }
  return c;
}

export function benchInput(capture: HftbacktestCapture): BenchInput {
  // The scales our feed infers from the snapshot, so case B holds the same integers as case A.
  const { instrument } = seededFeed(capture).book;
  const snap: DepthSnapshotLine = capture.snapshot;
  return {
    capture,
    rounds: new ShiftedRounds(capture),
    priceScale: instrument.priceScale,
    sizeScale: instrument.sizeScale,
    diffs: columns(capture.depth, instrument.priceScale, instrument.sizeScale),
    snapshot: columns([snap], instrument.priceScale, instrument.sizeScale),
  };
}
