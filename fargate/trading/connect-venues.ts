/**
 * Real order entry for a live trader (`npm start -- --execution venues`): for every exchange the
 * trader trades, its adapter from fargate/execution/venue-connectors.ts is connected with the
 * exchange's credentials and takes the exchange's orders instead of the paper venue; then the
 * reconciler runs its first pass — before the first order — and every interval after.
 *
 * Refuses to start (nothing half-connected is left behind) when an exchange has no adapter or no
 * credentials, or when the first reconciliation cannot read a venue (a refused key or signature): trading live on some venues and paper on others by accident is worse than not
 * starting.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Clock } from '../connectors/clock.ts';
import type { SecretsProvider } from '../execution/credentials.ts';
import { ENV_PREFIX } from '../execution/credentials.ts';
import { type ConnectedVenue, VENUE_CONNECTORS, type VenueEndpoints } from '../execution/venue-connectors.ts';
import type { LiveTrader } from './live-trader.ts';
import { type ReconcileReport, Reconciler, type UnknownOrderPolicy } from './reconciler.ts';

export interface ConnectVenuesOptions {
  readonly trader: LiveTrader;
  /** Where each exchange's order entry is (the real venue, or a local simulator). */
  readonly endpoints: (exchange: ExchangeId) => VenueEndpoints | undefined;
  readonly secrets: SecretsProvider;
  readonly clock: Clock;
  readonly reconcileIntervalMs?: number;
  readonly unknownOrders?: UnknownOrderPolicy;
  readonly log?: (line: string) => void;
}

export interface ConnectedVenues {
  readonly venues: ReadonlyMap<ExchangeId, ConnectedVenue>;
  readonly reconciler: Reconciler;
  /** The reconciler's first pass (before any order). */
  readonly firstPass: ReconcileReport;
  close(): Promise<void>;
}

export async function connectVenues(options: ConnectVenuesOptions): Promise<ConnectedVenues> {
  const { trader, log } = options;
  const exchanges = [...new Set(trader.kernel.instruments.map((i) => i.exchange))];
  const problems: string[] = [];
  for (const exchange of exchanges) {
    if (!VENUE_CONNECTORS[exchange]) problems.push(`${exchange}: no order-entry adapter`);
    else if (!options.endpoints(exchange)) problems.push(`${exchange}: no endpoints`);
  }
  if (problems.length > 0) throw new Error(`--execution venues: ${problems.join('; ')}`);

  const venues = new Map<ExchangeId, ConnectedVenue>();
  const closeAll = async () => {
    await Promise.allSettled([...venues.values()].map((v) => v.close()));
  };
  try {
    for (const exchange of exchanges) {
      const credentials = await options.secrets.credentials(exchange);
      if (!credentials)
        throw new Error(
          `--execution venues: ${exchange}: no credentials (set ${ENV_PREFIX[exchange]}_API_KEY and ${ENV_PREFIX[exchange]}_API_SECRET)`,
        );
      const endpoints = options.endpoints(exchange)!;
      const connected = await VENUE_CONNECTORS[exchange]!.connect({
        ...endpoints,
        credentials,
        instruments: trader.kernel.instruments,
        ...(log ? { log } : {}),
      });
      venues.set(exchange, connected);
      trader.useVenue(exchange, connected.venue);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const reconciler = new Reconciler({
    kernel: trader.kernel,
    venues: [...venues].map(([exchange, v]) => ({
      exchange,
      account: v.venue,
      hasPositions: v.hasPositions,
    })),
    clock: options.clock,
    ...(options.reconcileIntervalMs !== undefined ? { intervalMs: options.reconcileIntervalMs } : {}),
    ...(options.unknownOrders ? { unknownOrders: options.unknownOrders } : {}),
    ...(log ? { log } : {}),
  });
  const firstPass = await reconciler.start();
  // A venue the first pass could not read (a refused key or signature, a venue down) would trade
  // blind: refuse the start like a missing credential, with the venue's own error.
  if (firstPass.errors.length > 0) {
    reconciler.stop();
    await closeAll();
    throw new Error(`--execution venues: first reconciliation failed: ${firstPass.errors.join('; ')}`);
  }
  log?.(
    `order entry on ${[...venues.keys()].join(', ')}; first reconciliation: ${firstPass.discrepancies.length} discrepancies`,
  );
  return {
    venues,
    reconciler,
    firstPass,
    close: async () => {
      reconciler.stop();
      await closeAll();
    },
  };
}
