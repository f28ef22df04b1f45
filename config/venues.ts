/**
 * Loads config/venues.json — what the live connectors connect to and within which limits — validated
 * whole (every error reported at once, unknown keys refused), and resolves it for a run mode:
 *   'cloud' — the real exchange endpoints;
 *   'local' — the simulators' endpoints: `{simulator}` in a URL is replaced by the simulator's
 *             host:port (known only once the simulators have bound their ports).
 * Nothing here is secret: public market data needs no keys.
 */
import { z } from 'zod';
import type { ExchangeId } from '../core/market/exchange.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { zodProblems } from './zod-problems.ts';

const ms = z.number().int().positive();
const count = z.number().int().min(1);

const backoffSchema = z.strictObject({
  initialMs: ms,
  maxMs: ms,
  multiplier: z.number().min(1).max(10),
  /** Extra random delay as a fraction of the delay: 0.5 → 0–50 %. */
  jitter: z.number().min(0).max(1),
  /** Consecutive failures that raise an alert. */
  alertAfterFailures: count,
});

const rateLimitSchema = z.strictObject({
  /** Weight allowed in any window of windowMs (the venue's published limit). */
  limit: z.number().positive(),
  windowMs: ms,
  /** Share of the limit that may be spent at once; the rest refills evenly over the window. */
  burstFraction: z.number().gt(0).max(1),
  /** Response header where the venue reports the weight used so far (Binance), to slow down early. */
  usedWeightHeader: z.string().min(1).optional(),
});

const wsUrl = z.string().regex(/^wss?:\/\/\S+$/, 'a ws:// or wss:// URL');
const restUrl = z.string().regex(/^https?:\/\/\S+$/, 'an http:// or https:// URL');

const endpointSchema = z.strictObject({
  wsUrl,
  restBaseUrl: restUrl,
  /** Replaces the venue's rateLimit for this mode (simulators do not need the real budget). */
  rateLimit: rateLimitSchema.optional(),
});

/** KuCoin's websocket URL comes from the token response (POST bullet-public). */
const tokenEndpointSchema = z.strictObject({
  restBaseUrl: restUrl,
  rateLimit: rateLimitSchema.optional(),
});

/** A symbol listed twice would be subscribed twice and its second book would replace the first. */
const symbolsSchema = z
  .array(z.string().min(1))
  .min(1)
  .superRefine((symbols, ctx) => {
    const first = new Map<string, number>();
    symbols.forEach((s, i) => {
      const at = first.get(s);
      if (at === undefined) first.set(s, i);
      else ctx.addIssue({ code: 'custom', path: [i], message: `"${s}" is listed twice (also at [${at}])` });
    });
  });

const common = {
  enabled: z.boolean(),
  /** Venue symbols, as the venue writes them (BTCUSDT, BTC-USD, XBT/USD). */
  symbols: symbolsSchema,
  rateLimit: rateLimitSchema,
  /** Minimum spacing of messages we send (subscribe, ping): venues cap inbound messages per second. */
  sendIntervalMs: z.number().int().min(0),
  /** No frame of any kind for this long → the connection is considered dead and replaced. */
  idleTimeoutMs: ms.optional(),
  reconnect: backoffSchema.partial().optional(),
};

/**
 * The diff-depth streams each market offers (a name it does not offer is accepted by Binance and
 * stays silent: no book would ever build). Spot: `depth` (1000 ms) and `depth@100ms` (Binance spot
 * API docs, "Diff. Depth Stream"). USD-M: `depth` (250 ms), `depth@500ms`, `depth@100ms`
 * (developers.binance.com, "Diff. Book Depth Streams") and `depth@0ms`, the unthrottled stream of
 * the recorded USD-M capture in test/fixtures.
 */
export const BINANCE_DEPTH_STREAMS = {
  binance: ['depth', 'depth@100ms'],
  'binance-futures': ['depth', 'depth@100ms', 'depth@500ms', 'depth@0ms'],
} as const;

const binanceSchema = <const T extends readonly [string, ...string[]]>(depthStreams: T) =>
  z.strictObject({
    ...common,
    endpoints: z.strictObject({ cloud: endpointSchema, local: endpointSchema }),
    depthStream: z.enum(depthStreams),
    tradeStream: z.enum(['trade', 'aggTrade']),
    maxStreamsPerConnection: count,
    maxParamsPerMessage: count,
    /** REST depth snapshot size (spot ≤ 5000, weight 250; futures ≤ 1000, weight 20). */
    snapshotLimit: z.number().int().min(5).max(5000),
    /** Planned overlap-and-switch ahead of Binance's 24 h connection limit. */
    rotation: z
      .strictObject({
        /** Age at which a replacement connection is opened (23 h 50 m leaves 10 minutes to switch). */
        rotateAfterMs: ms.max(86_400_000),
        /** Longest overlap before switching anyway (books that did not line up resync). */
        syncTimeoutMs: ms,
        /** Wait before trying again when the replacement connection fails. */
        retryMs: ms,
      })
      .optional(),
  });

const binanceSpotSchema = binanceSchema(BINANCE_DEPTH_STREAMS.binance);
const binanceFuturesSchema = binanceSchema(BINANCE_DEPTH_STREAMS['binance-futures']);

const coinbaseSchema = z.strictObject({
  ...common,
  endpoints: z.strictObject({ cloud: endpointSchema, local: endpointSchema }),
  /** level2 needs authentication on the real Exchange feed; level2_batch is public; full = L3 (REST level=3 snapshots). */
  bookChannel: z.enum(['level2', 'level2_batch', 'full']),
  tradeChannel: z.enum(['matches']),
  /** Subscribe the heartbeat channel (one message per product per second: proves the link is alive). */
  heartbeat: z.boolean(),
  maxSymbolsPerConnection: count,
});

const krakenSchema = z.strictObject({
  ...common,
  endpoints: z.strictObject({ cloud: endpointSchema, local: endpointSchema }),
  bookDepth: z.union([z.literal(10), z.literal(25), z.literal(100), z.literal(500), z.literal(1000)]),
  maxSymbolsPerConnection: count,
  maxSymbolsPerMessage: count,
  pingIntervalMs: ms,
});

const bybitSchema = z.strictObject({
  ...common,
  endpoints: z.strictObject({ cloud: endpointSchema, local: endpointSchema }),
  category: z.enum(['linear', 'spot']),
  bookDepth: z.union([z.literal(1), z.literal(50), z.literal(200), z.literal(500), z.literal(1000)]),
  /** Topics per subscribe request (Bybit spot allows 10). */
  maxArgsPerMessage: count,
  maxTopicsPerConnection: count,
  /** Bybit refuses more than 21,000 characters of topics on one public connection. */
  maxArgsCharsPerConnection: count,
  pingIntervalMs: ms,
});

const kucoinSchema = z.strictObject({
  ...common,
  endpoints: z.strictObject({ cloud: tokenEndpointSchema, local: tokenEndpointSchema }),
  tokenPath: z.string().startsWith('/'),
  tokenWeight: z.number().positive(),
  /** KuCoin allows at most 100 symbols in one topic. */
  maxSymbolsPerTopic: z.number().int().min(1).max(100),
  maxSymbolsPerConnection: count,
});

const venuesFileSchema = z.strictObject({
  $comment: z.string().optional(),
  defaults: z.strictObject({
    reconnect: backoffSchema,
    rest: z.strictObject({ timeoutMs: ms, retry: backoffSchema }),
    idleTimeoutMs: ms,
    /** Shortest time between two re-subscriptions of one symbol's book. */
    resubscribeCooldownMs: z.number().int().min(0),
  }),
  venues: z.strictObject({
    binance: binanceSpotSchema.optional(),
    'binance-futures': binanceFuturesSchema.optional(),
    coinbase: coinbaseSchema.optional(),
    kraken: krakenSchema.optional(),
    bybit: bybitSchema.optional(),
    kucoin: kucoinSchema.optional(),
  }),
});

export type VenuesConfig = z.infer<typeof venuesFileSchema>;
export type BackoffSettings = z.infer<typeof backoffSchema>;
export type RateLimitSettings = z.infer<typeof rateLimitSchema>;
/** Spot's depth streams are a subset of USD-M's, so one settings type serves both. */
export type BinanceSettings = z.infer<typeof binanceFuturesSchema>;
export type CoinbaseSettings = z.infer<typeof coinbaseSchema>;
export type KrakenSettings = z.infer<typeof krakenSchema>;
export type BybitSettings = z.infer<typeof bybitSchema>;
export type KucoinSettings = z.infer<typeof kucoinSchema>;

export interface VenueSettingsByExchange {
  binance: BinanceSettings;
  'binance-futures': BinanceSettings;
  coinbase: CoinbaseSettings;
  kraken: KrakenSettings;
  bybit: BybitSettings;
  kucoin: KucoinSettings;
}

export type VenueMode = 'cloud' | 'local';

interface ResolvedVenueOf<E extends ExchangeId> {
  readonly exchange: E;
  readonly settings: VenueSettingsByExchange[E];
  readonly symbols: readonly string[];
  /** '' for KuCoin: its URL comes with the token. */
  readonly wsUrl: string;
  readonly restBaseUrl: string;
  readonly rateLimit: RateLimitSettings;
  readonly reconnect: BackoffSettings;
  readonly restTimeoutMs: number;
  readonly restRetry: BackoffSettings;
  readonly idleTimeoutMs: number;
  readonly resubscribeCooldownMs: number;
}

/** One venue, ready for a connector: endpoints of the chosen mode, defaults merged in. */
export type ResolvedVenue = { [E in ExchangeId]: ResolvedVenueOf<E> }[ExchangeId];

/** Where a simulator listens: "127.0.0.1:43125", or explicit URLs. */
export type SimulatorEndpoint = string | { readonly wsUrl?: string; readonly restBaseUrl?: string };

const FILE = 'venues.json';

/** Validate a venues document; throws a ConfigError listing every problem. */
export function parseVenuesConfig(json: unknown, label = configFileLabel(FILE)): VenuesConfig {
  const result = venuesFileSchema.safeParse(json, { reportInput: true });
  if (!result.success) throw new ConfigError(label, zodProblems(result.error.issues));
  return result.data;
}

/** venues.json from the config folder (read-config-file.ts), read and validated now. */
export function loadVenuesConfig(): VenuesConfig {
  return parseVenuesConfig(readConfigFile(FILE));
}

const PLACEHOLDER = '{simulator}';

function fill(template: string, sim: SimulatorEndpoint | undefined, key: 'wsUrl' | 'restBaseUrl'): string {
  if (sim === undefined) return template;
  if (typeof sim === 'string') return template.split(PLACEHOLDER).join(sim);
  return sim[key] ?? template;
}

/**
 * One venue for a mode, enabled or not; undefined when the file does not describe it. Unfilled
 * `{simulator}` placeholders are added to `problems` (or thrown when no list is given).
 */
export function resolveVenue(
  config: VenuesConfig,
  exchange: ExchangeId,
  mode: VenueMode,
  simulator?: SimulatorEndpoint,
  problems?: string[],
): ResolvedVenue | undefined {
  const settings = config.venues[exchange] as VenueSettingsByExchange[ExchangeId] | undefined;
  if (!settings) return undefined;
  const d = config.defaults;
  const endpoint = settings.endpoints[mode];
  const sim = mode === 'local' ? simulator : undefined;
  const wsTemplate = 'wsUrl' in endpoint ? endpoint.wsUrl : '';
  const wsUrl = fill(wsTemplate, sim, 'wsUrl');
  const restBaseUrl = fill(endpoint.restBaseUrl, sim, 'restBaseUrl').replace(/\/+$/, '');
  const missing: string[] = [];
  for (const [name, url] of [
    ['wsUrl', wsUrl],
    ['restBaseUrl', restBaseUrl],
  ] as const) {
    if (url.includes(PLACEHOLDER))
      missing.push(`  venues.${exchange}.endpoints.${mode}.${name}: no simulator address given`);
  }
  if (missing.length > 0) {
    if (!problems) throw new Error(`config/venues.json (${mode}):\n${missing.join('\n')}`);
    problems.push(...missing);
  }
  return {
    exchange,
    settings,
    symbols: settings.symbols,
    wsUrl,
    restBaseUrl,
    rateLimit: endpoint.rateLimit ?? settings.rateLimit,
    reconnect: { ...d.reconnect, ...settings.reconnect },
    restTimeoutMs: d.rest.timeoutMs,
    restRetry: d.rest.retry,
    idleTimeoutMs: settings.idleTimeoutMs ?? d.idleTimeoutMs,
    resubscribeCooldownMs: d.resubscribeCooldownMs,
  } as ResolvedVenue;
}

/**
 * The enabled venues for a mode. In 'local' mode every `{simulator}` must be filled from `simulators`
 * (by exchange); all unfilled ones are reported together.
 */
export function resolveVenues(
  config: VenuesConfig,
  mode: VenueMode,
  simulators: Partial<Record<ExchangeId, SimulatorEndpoint>> = {},
  /** Replaces the configured symbols (e.g. what a simulator serves). */
  symbols: Partial<Record<ExchangeId, readonly string[]>> = {},
): ResolvedVenue[] {
  const out: ResolvedVenue[] = [];
  const problems: string[] = [];
  for (const exchange of Object.keys(config.venues) as ExchangeId[]) {
    if (!config.venues[exchange]?.enabled) continue;
    const venue = resolveVenue(config, exchange, mode, simulators[exchange], problems);
    const own = symbols[exchange];
    if (venue) out.push(own ? { ...venue, symbols: own } : venue);
  }
  if (problems.length > 0) throw new Error(`config/venues.json (${mode}):\n${problems.join('\n')}`);
  return out;
}
