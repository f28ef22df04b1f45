/**
 * The embedded default behind `npm start`: every part of the live task on one machine.
 *
 *   exchange simulators (real protocols, replaying the bundled real captures)
 *     → connectors over real WebSockets + REST (fargate/connectors)
 *     → venue feeds → exact books, quality scores
 *     → recorder (Parquet under ./data) and the ops server (dashboard, /metrics, /health)
 *
 * Start-up order: the config files are validated, then the HTTP port is bound, then the outputs are
 * opened (`openOutputs`: the recorder), and only then do simulators and connectors start. A broken
 * config or a port in use therefore stops the start with nothing running and nothing written.
 */

import { loadFeeTable } from '../../config/fees.ts';
import { loadSignalParams } from '../../config/signals.ts';
import { resolveVenues, type SimulatorEndpoint } from '../../config/venues.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import type { Aggregator } from '../../fargate/aggregator/start-aggregator.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';
import type { ConnectorListener, RawTap } from '../../fargate/connectors/connector-events.ts';
import type { VenueFeedView } from '../../fargate/connectors/venue-feed-view.ts';
import { controlRoutes } from '../../fargate/ops/control-routes.ts';
import { LiveMarketState } from '../../fargate/ops/live-market-state.ts';
import type { TickToOrderSource } from '../../fargate/ops/metrics.ts';
import { type OpsServer, startOpsServer } from '../../fargate/ops/ops-server.ts';
import { LiveSignals } from '../../fargate/signals/live-signals.ts';
import { startMarketFeeds } from '../../fargate/task/start-market-feeds.ts';
import type { LiveTrader } from '../../fargate/trading/live-trader.ts';
import { dashboardRoutes } from '../dashboard/dashboard-routes.ts';
import { type Simulators, startSimulators } from '../exchanges/index.ts';
import { type LocalStackConfig, loadLocalStackConfig } from './local-stack-config.ts';

/** Where the stack's output goes besides the dashboard (the recorder plugs in here). */
export interface LocalStackOutputs {
  /** A listener per venue. */
  extraListener?: (exchange: ExchangeId) => ConnectorListener;
  /** Each venue's feed, as soon as it exists (before any message): e.g. RecordingListener.attach. */
  onFeed?: (exchange: ExchangeId, feed: VenueFeedView) => void;
  rawTap?: RawTap;
  /**
   * Paper trading: its listener joins every venue's (when no extraListener already includes it),
   * its control routes (/kill, /status, /reset, /risk/params, /strategy/params) and metrics join
   * the ops server.
   */
  trading?: {
    readonly trader: LiveTrader;
    readonly adminToken: string;
    readonly decisions?: TickToOrderSource;
    /**
     * Real order entry: called once the simulators listen and before any feed starts (so before
     * the first order); connects the venues' adapters to them. Its `close` runs first on close.
     */
    readonly connectVenues?: (simulators: Simulators) => Promise<{ close(): Promise<void> }>;
  };
}

export interface LocalStackOptions extends LocalStackOutputs {
  /** The validated config files (default: read now, before anything starts). */
  config?: LocalStackConfig;
  /**
   * Opens the outputs once the port is bound and before any simulator starts; merged over the
   * outputs given directly. A failure here closes the HTTP server and fails the start.
   */
  openOutputs?: () => Promise<LocalStackOutputs>;
  /** Dashboard/metrics port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Replay speed of the simulators (1 = as recorded). */
  speed?: number | 'max';
  /** Where lines for humans go (connector logs, alerts). */
  log?: (line: string) => void;
}

export interface LocalStack {
  readonly url: string;
  readonly simulators: Simulators;
  readonly aggregator: Aggregator;
  readonly live: LiveMarketState;
  readonly quality: QualityMonitor;
  /** The signal pipeline over every venue (`GET /signals`, hifa_* and signal_* metrics). */
  readonly signals: LiveSignals;
  readonly ops: OpsServer;
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const config = options.config ?? loadLocalStackConfig();
  const clock = systemClock();
  const quality = new QualityMonitor(config.rules);
  const live = new LiveMarketState({ now: () => clock.nowMicros(), quality });
  const signals = new LiveSignals(loadSignalParams(), loadFeeTable());

  const ops = await startOpsServer({
    state: live,
    port: options.port ?? 3000,
    ...(options.host ? { host: options.host } : {}),
    routes: {
      ...dashboardRoutes(),
      '/signals': signals.route(),
    },
  });
  signals.registerMetrics(ops.registry);

  let outputs: LocalStackOutputs = options;
  let simulators: Simulators;
  try {
    if (options.openOutputs) outputs = { ...options, ...(await options.openOutputs()) };
    simulators = await startSimulators({
      source: 'replay',
      speed: options.speed ?? 1,
      clock: () => clock.nowMicros(),
    });
  } catch (error) {
    await ops.close();
    throw error;
  }

  ops.setHealthInfo('simulators', simulators.urls);
  let orderEntry: { close(): Promise<void> } | undefined;
  if (outputs.trading?.connectVenues) {
    try {
      orderEntry = await outputs.trading.connectVenues(simulators);
    } catch (error) {
      await Promise.all([ops.close(), simulators.close()]);
      throw error;
    }
  }
  if (outputs.trading) {
    ops.setHealthInfo('execution', outputs.trading.trader.execution);
    const { trader, adminToken, decisions } = outputs.trading;
    ops.mount(controlRoutes(trader.control, { adminToken, log }));
    ops.attachTrading({
      status: () => trader.kernel.status(),
      executions: trader.kernel.executions,
      ...(decisions ? { tickToOrder: decisions } : {}),
    });
  }

  const endpoints: Partial<Record<ExchangeId, SimulatorEndpoint>> = {};
  const symbols: Partial<Record<ExchangeId, readonly string[]>> = {};
  for (const [exchange, urls] of Object.entries(simulators.urls) as Array<
    [ExchangeId, { ws: string; rest: string }]
  >) {
    endpoints[exchange] = new URL(urls.ws).host;
    symbols[exchange] = simulators.symbols(exchange);
  }
  let venues: ReturnType<typeof resolveVenues>;
  try {
    venues = resolveVenues(config.venues, 'local', endpoints, symbols);
  } catch (error) {
    await Promise.all([ops.close(), simulators.close()]);
    throw error;
  }
  live.expect(venues.map((v) => ({ exchange: v.exchange, symbols: v.symbols })));

  const aggregator = startMarketFeeds({
    venues,
    clock,
    instruments: new InstrumentRegistry(config.instruments),
    rawTap: outputs.rawTap,
    live,
    quality,
    signals,
    extraListener: outputs.extraListener,
    trader: outputs.trading?.trader,
    onFeed: outputs.onFeed,
    log,
  });

  return {
    url: ops.url,
    simulators,
    aggregator,
    live,
    quality,
    signals,
    ops,
    // Ingest stops first, synchronously within this call (no row reaches a closing recorder), then
    // the servers; none waits on another's clients.
    close: async () => {
      const stopping = aggregator.stop();
      await orderEntry?.close();
      await Promise.all([stopping, ops.close(), simulators.close()]);
    },
  };
}
