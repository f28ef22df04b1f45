/**
 * What the fuzzer runs on: every venue feed with a real capture in test/fixtures, and the
 * reference model that judges it. Captures are read with the project's capture readers
 * (local/capture) and REST bodies routed to their symbol exactly as `replayCapture` routes them.
 */
import { fileURLToPath } from 'node:url';
import type { CaptureRecord } from '../../core/capture/capture-record.ts';
import { replayCapture } from '../../core/capture/replay-capture.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { variantOfUrl } from '../../core/venues/create-feed.ts';
import { newCounters, type VenueFeed } from '../../core/venues/feed-types.ts';
import { readCapture } from '../capture/read-capture.ts';
import { instrumentsFor } from '../capture/reference-data.ts';
import type { ReferenceModel } from './reference-model.ts';
import { BinanceReference } from './references/binance-reference.ts';
import { BybitReference } from './references/bybit-reference.ts';
import { CoinbaseReference } from './references/coinbase-reference.ts';
import { KrakenV1Reference } from './references/kraken-v1-reference.ts';
import { KucoinReference } from './references/kucoin-reference.ts';

export interface FuzzTarget {
  readonly name: string;
  readonly exchange: ExchangeId;
  /** Path under test/fixtures. */
  readonly capture: string;
  /** Only the first frames of a long capture (each case replays all of them). */
  readonly maxFrames?: number;
  readonly reference: () => ReferenceModel;
}

const HFT_FRAMES = 3000;

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'binance-cryptofeed',
    exchange: 'binance',
    capture: 'binance/cryptofeed_BINANCE.ws.1.0.gz',
    reference: () => new BinanceReference(false),
  },
  {
    name: 'binance-hftbacktest',
    exchange: 'binance',
    capture: 'binance/hftbacktest_spot_btcusdt_20240808.gz',
    maxFrames: HFT_FRAMES,
    reference: () => new BinanceReference(false),
  },
  {
    name: 'binance-futures-cryptofeed',
    exchange: 'binance-futures',
    capture: 'binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz',
    reference: () => new BinanceReference(true),
  },
  {
    name: 'binance-futures-hftbacktest',
    exchange: 'binance-futures',
    capture: 'binance/hftbacktest_usdm_btcusdt_20240808.gz',
    maxFrames: HFT_FRAMES,
    reference: () => new BinanceReference(true),
  },
  {
    name: 'coinbase-level2',
    exchange: 'coinbase',
    capture: 'coinbase/cryptofeed_COINBASE.ws.28.0.gz',
    reference: () => new CoinbaseReference(),
  },
  {
    name: 'kucoin-level2',
    exchange: 'kucoin',
    capture: 'kucoin/cryptofeed_KUCOIN.ws.1.0.gz',
    reference: () => new KucoinReference(),
  },
  {
    name: 'kraken-v1-book',
    exchange: 'kraken',
    capture: 'kraken/cryptofeed_KRAKEN.ws.50.0.gz',
    reference: () => new KrakenV1Reference(),
  },
  {
    name: 'bybit-orderbook',
    exchange: 'bybit',
    capture: 'bybit/nautilus_xrpusdt-ob500.data.zip',
    reference: () => new BybitReference(),
  },
];

export const FUZZ_VENUES: readonly ExchangeId[] = [...new Set(FUZZ_TARGETS.map((t) => t.exchange))];

export interface LoadedTarget {
  readonly target: FuzzTarget;
  readonly variant: string | undefined;
  readonly instruments: readonly Instrument[];
  /** Messages and REST bodies, in receive order. */
  readonly frames: readonly CaptureRecord[];
  /** Per frame: the symbol a REST body answers (undefined for messages). */
  readonly restSymbol: readonly (string | undefined)[];
}

const loaded = new Map<string, LoadedTarget>();

export function loadTarget(target: FuzzTarget): LoadedTarget {
  const cached = loaded.get(target.name);
  if (cached) return cached;
  const path = fileURLToPath(new URL(`../../test/fixtures/${target.capture}`, import.meta.url));
  const capture = readCapture(path, target.exchange);
  const frames = capture.records
    .filter((r) => r.kind === 'message' || r.kind === 'rest')
    .slice(0, target.maxFrames ?? Number.POSITIVE_INFINITY);
  const result: LoadedTarget = {
    target,
    variant: variantOfUrl(target.exchange, capture.records.find((r) => r.url)?.url ?? ''),
    instruments: instrumentsFor(path),
    frames,
    restSymbol: restSymbols(target.exchange, frames),
  };
  loaded.set(target.name, result);
  return result;
}

/** The symbol replayCapture hands each REST body to, asked through a feed that only listens. */
function restSymbols(exchange: ExchangeId, frames: readonly CaptureRecord[]): (string | undefined)[] {
  const calls: (string | undefined)[] = [];
  const listening: VenueFeed = {
    exchange,
    counters: newCounters(),
    onMessage: () => calls.push(undefined),
    onSnapshot: (venueSymbol) => calls.push(venueSymbol),
    onDisconnect: () => {},
    books: () => [],
  };
  replayCapture(frames, listening);
  // Each message is one call; a REST body is one call unless replayCapture could not route it.
  let next = 0;
  return frames.map((f) => {
    if (f.kind === 'message') {
      next++;
      return undefined;
    }
    const symbol = calls[next];
    if (symbol !== undefined) next++;
    return symbol;
  });
}
