/**
 * Start the simulated venues — binance, binance-futures, coinbase, kraken, bybit, kucoin — each a
 * websocket + REST server on 127.0.0.1 speaking the venue's real protocol, fed by a replay of the
 * bundled real captures or by the synthetic generator. Returns the URLs, each venue's fault API and
 * truth, and `close()`, which stops every timer and socket.
 */
import { EXCHANGES, type ExchangeId } from '../../core/market/exchange.ts';
import { type Clock, wallClock } from './clock.ts';
import type { ChecksumFaults, VenueFaults } from './server/faults.ts';
import type { VenueServer, VenueUrls } from './server/venue-server.ts';
import { captureTimeline } from './sources/capture-timeline.ts';
import { defaultCaptures, FIXTURES_DIR } from './sources/default-captures.ts';
import type { MarketSource } from './sources/market-source.ts';
import { ReplaySource, type ReplaySpeed } from './sources/replay-source.ts';
import { SyntheticSource } from './sources/synthetic-source.ts';
import type { Timeline } from './sources/timeline.ts';
import { type TrueBook, VenueMarket } from './truth/venue-market.ts';
import { BinanceServer } from './venues/binance-server.ts';
import { BybitServer } from './venues/bybit-server.ts';
import { CoinbaseServer } from './venues/coinbase-server.ts';
import { KrakenServer } from './venues/kraken-server.ts';
import { KucoinServer } from './venues/kucoin-server.ts';

export interface SimulatorOptions {
  /** 'replay' (default): the bundled real captures; 'synthetic': the random-walk generator. */
  readonly source?: 'replay' | 'synthetic';
  /** Which venues to start. Default: all six. */
  readonly venues?: readonly ExchangeId[];
  /** Replay speed: 1 (default) = as recorded, N = N× faster, 'max'. */
  readonly speed?: ReplaySpeed;
  /** Replay: start over at the end (default true). */
  readonly loop?: boolean;
  /** Replay: capture sets per venue (each inner list = one timeline; absolute paths). Default: DEFAULT_CAPTURES. */
  readonly captures?: Partial<Record<ExchangeId, ReadonlyArray<readonly string[]>>>;
  /** Replay: where the default captures are. Default: the repository's test/fixtures. */
  readonly fixturesDir?: string;
  /** Synthetic: symbols per venue (default 10). */
  readonly symbols?: number;
  /** Synthetic: book messages per second per venue (default 1000). */
  readonly messagesPerSecond?: number;
  /** Synthetic: levels per side (default 20). */
  readonly depth?: number;
  /** Synthetic: share of steps that are trades (default 0.1). */
  readonly tradeRatio?: number;
  /** Synthetic: PRNG seed (each venue derives its own). Default 1. */
  readonly seed?: number;
  /** Fixed ports per venue (default 0: ephemeral). */
  readonly ports?: Partial<Record<ExchangeId, number>>;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Start the sources right away (default true). With false, call `start()`. */
  readonly autoStart?: boolean;
  /** Binance: server ping period (default 20 s) and connection lifetime (default 24 h). */
  readonly binancePingIntervalMs?: number;
  readonly binanceConnectionLifetimeMs?: number;
  /** Kraken and Coinbase heartbeat period (default 1 s). */
  readonly heartbeatMs?: number;
  /** Time source for every wire timestamp (µs). Default: the wall clock. */
  readonly clock?: Clock;
}

/** The venue servers by exchange, with their specific fault APIs. */
export interface SimulatedVenues {
  readonly binance?: BinanceServer;
  readonly 'binance-futures'?: BinanceServer;
  readonly coinbase?: CoinbaseServer;
  readonly kraken?: KrakenServer;
  readonly bybit?: BybitServer;
  readonly kucoin?: KucoinServer;
}

export interface Simulators {
  readonly venues: SimulatedVenues;
  readonly urls: Partial<Record<ExchangeId, VenueUrls>>;
  readonly sources: ReadonlyMap<ExchangeId, readonly MarketSource[]>;
  /** A venue's replay sources (one per capture set). */
  replays(exchange: ExchangeId): ReplaySource[];
  /** A venue's synthetic generator, when source is 'synthetic'. */
  synthetic(exchange: ExchangeId): SyntheticSource | undefined;
  /** The fault API of a started venue (Kraken's also corrupts checksums: use `venues.kraken.faults`). */
  faults(exchange: ExchangeId): VenueFaults;
  /** The true top `depth` levels (default all) and the update id they correspond to. */
  trueBook(exchange: ExchangeId, venueSymbol: string, depth?: number): TrueBook | undefined;
  market(exchange: ExchangeId): VenueMarket;
  /** The venue symbols a started venue serves (what a connector should subscribe to). */
  symbols(exchange: ExchangeId): string[];
  start(): void;
  /** Freeze every truth (sockets stay open, nothing new is sent). */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Timelines are immutable: built once per process per capture set. */
const timelineCache = new Map<string, Timeline>();

export function timelineFor(paths: readonly string[]): Timeline {
  const key = paths.join('\n');
  let t = timelineCache.get(key);
  if (!t) {
    t = captureTimeline(paths);
    timelineCache.set(key, t);
  }
  return t;
}

const BACKLOG_LIMIT = 1024 * 1024;

export async function startSimulators(options: SimulatorOptions = {}): Promise<Simulators> {
  const clock = options.clock ?? wallClock;
  const host = options.host ?? '127.0.0.1';
  const venues: Record<string, VenueServer<unknown>> = {};
  const markets = new Map<ExchangeId, VenueMarket>();
  const sources = new Map<ExchangeId, MarketSource[]>();
  const urls: Partial<Record<ExchangeId, VenueUrls>> = {};
  const list = options.venues ?? EXCHANGES;
  try {
    for (const exchange of list) {
      const market = new VenueMarket(exchange, clock);
      markets.set(exchange, market);
      const base = { clock, host, port: options.ports?.[exchange] ?? 0 };
      let server: VenueServer<unknown>;
      switch (exchange) {
        case 'binance':
        case 'binance-futures':
          server = new BinanceServer(market, {
            ...base,
            futures: exchange === 'binance-futures',
            ...(options.binancePingIntervalMs ? { pingIntervalMs: options.binancePingIntervalMs } : {}),
            ...(options.binanceConnectionLifetimeMs
              ? { connectionLifetimeMs: options.binanceConnectionLifetimeMs }
              : {}),
          }) as VenueServer<unknown>;
          break;
        case 'kraken':
          server = new KrakenServer(market, {
            ...base,
            heartbeatMs: options.heartbeatMs ?? 1000,
          }) as VenueServer<unknown>;
          break;
        case 'coinbase':
          server = new CoinbaseServer(market, {
            ...base,
            heartbeatMs: options.heartbeatMs ?? 1000,
          }) as VenueServer<unknown>;
          break;
        case 'bybit':
          server = new BybitServer(market, base) as VenueServer<unknown>;
          break;
        case 'kucoin':
          server = new KucoinServer(market, base) as VenueServer<unknown>;
          break;
      }
      venues[exchange] = server;
      const backpressure = (): boolean =>
        server.connections().some((c) => c.ws.bufferedAmount > BACKLOG_LIMIT);
      const own: MarketSource[] = [];
      if (options.source === 'synthetic') {
        own.push(
          new SyntheticSource(market, {
            clock,
            seed: (options.seed ?? 1) * 7919 + EXCHANGES.indexOf(exchange),
            ...(options.symbols !== undefined ? { symbols: options.symbols } : {}),
            ...(options.messagesPerSecond !== undefined
              ? { messagesPerSecond: options.messagesPerSecond }
              : {}),
            ...(options.depth !== undefined ? { depth: options.depth } : {}),
            ...(options.tradeRatio !== undefined ? { tradeRatio: options.tradeRatio } : {}),
          }),
        );
      } else {
        const sets =
          options.captures?.[exchange] ?? defaultCaptures(exchange, options.fixturesDir ?? FIXTURES_DIR);
        for (const set of sets) {
          own.push(
            new ReplaySource(market, timelineFor(set), {
              clock,
              speed: options.speed ?? 1,
              loop: options.loop ?? true,
              backpressure,
            }),
          );
        }
      }
      sources.set(exchange, own);
      urls[exchange] = await server.listen();
    }
  } catch (err) {
    await Promise.all(Object.values(venues).map((v) => v.close()));
    throw err;
  }

  const allSources = (): MarketSource[] => [...sources.values()].flat();
  const need = (exchange: ExchangeId): VenueServer<unknown> => {
    const v = venues[exchange];
    if (!v) throw new Error(`simulator for ${exchange} was not started`);
    return v;
  };
  const sims: Simulators = {
    venues: venues as SimulatedVenues,
    urls,
    sources,
    replays: (exchange) =>
      (sources.get(exchange) ?? []).filter((s): s is ReplaySource => s instanceof ReplaySource),
    synthetic: (exchange) =>
      sources.get(exchange)?.find((s): s is SyntheticSource => s instanceof SyntheticSource),
    faults: (exchange) => need(exchange).injector as ChecksumFaults,
    trueBook: (exchange, venueSymbol, depth) => need(exchange).market.trueBook(venueSymbol, depth),
    market: (exchange) => need(exchange).market,
    symbols: (exchange) => [...need(exchange).market.symbols()].map((t) => t.venueSymbol),
    start: () => {
      for (const s of allSources()) s.start();
    },
    pause: () => {
      for (const s of allSources()) s.pause();
    },
    resume: () => {
      for (const s of allSources()) s.resume();
    },
    close: async () => {
      for (const s of allSources()) s.stop();
      await Promise.all(Object.values(venues).map((v) => v.close()));
    },
  };
  if (options.autoStart ?? true) sims.start();
  return sims;
}
