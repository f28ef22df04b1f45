/** ResolvedVenue objects for tests: the bundled config for `exchange`, pointed at a test server. */
import {
  loadVenuesConfig,
  type ResolvedVenue,
  resolveVenue,
  type VenueSettingsByExchange,
} from '../../../config/venues.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';

export interface TestVenueOverrides<E extends ExchangeId> {
  wsUrl?: string;
  restBaseUrl?: string;
  symbols?: string[];
  settings?: Partial<VenueSettingsByExchange[E]>;
  reconnect?: Partial<ResolvedVenue['reconnect']>;
  restRetry?: Partial<ResolvedVenue['restRetry']>;
  idleTimeoutMs?: number;
  resubscribeCooldownMs?: number;
}

export function testVenue<E extends ExchangeId>(
  exchange: E,
  o: TestVenueOverrides<E> = {},
): Extract<ResolvedVenue, { exchange: E }> {
  const base = resolveVenue(loadVenuesConfig(), exchange, 'local', {
    wsUrl: o.wsUrl ?? 'ws://127.0.0.1:9/',
    restBaseUrl: o.restBaseUrl ?? 'http://127.0.0.1:9',
  }) as Extract<ResolvedVenue, { exchange: E }>;
  const settings = {
    ...base.settings,
    ...(o.settings ?? {}),
    ...(o.symbols ? { symbols: o.symbols } : {}),
    sendIntervalMs: o.settings?.sendIntervalMs ?? 0,
  };
  return {
    ...base,
    settings,
    symbols: o.symbols ?? base.symbols,
    // Tests run on loopback without the real REST budget.
    rateLimit: { limit: 1_000_000, windowMs: 1000, burstFraction: 0.5 },
    reconnect: { ...base.reconnect, initialMs: 20, maxMs: 200, ...(o.reconnect ?? {}) },
    restRetry: { ...base.restRetry, initialMs: 20, maxMs: 200, ...(o.restRetry ?? {}) },
    idleTimeoutMs: o.idleTimeoutMs ?? base.idleTimeoutMs,
    resubscribeCooldownMs: o.resubscribeCooldownMs ?? 0,
  } as Extract<ResolvedVenue, { exchange: E }>;
}
