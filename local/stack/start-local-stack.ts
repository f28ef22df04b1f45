/**
 * The embedded default behind `npm start`: every part of the live task on one machine.
 *
 *   exchange simulators (real protocols, replaying the bundled real captures)
 *     → connectors over real WebSockets + REST (fargate/connectors)
 *     → venue feeds → exact books, quality scores
 *     → recorder (Parquet under ./data) and the ops server (dashboard, /metrics, /health)
 */

import { loadValidationRules } from '../../config/validation-rules.ts';
import { loadVenuesConfig, resolveVenues, type SimulatorEndpoint } from '../../config/venues.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import { combineListeners } from '../../core/venues/combine-listeners.ts';
import { type Aggregator, startAggregator } from '../../fargate/aggregator/start-aggregator.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';
import type { ConnectorListener, RawTap } from '../../fargate/connectors/connector-events.ts';
import type { VenueFeedView } from '../../fargate/connectors/venue-feed-view.ts';
import { LiveMarketState } from '../../fargate/ops/live-market-state.ts';
import { type OpsServer, startOpsServer } from '../../fargate/ops/ops-server.ts';
import { DASHBOARD_HTML } from '../dashboard/dashboard-page.ts';
import { type Simulators, startSimulators } from '../exchanges/index.ts';

export interface LocalStackOptions {
  /** Dashboard/metrics port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Replay speed of the simulators (1 = as recorded). */
  speed?: number | 'max';
  /** Where lines for humans go (connector logs, alerts). */
  log?: (line: string) => void;
  /** Extra outputs: a listener per venue and a raw tap (the recorder plugs in here). */
  extraListener?: (exchange: ExchangeId) => ConnectorListener;
  /** Each venue's feed, as soon as it exists (before any message): e.g. RecordingListener.attach. */
  onFeed?: (exchange: ExchangeId, feed: VenueFeedView) => void;
  rawTap?: RawTap;
}

export interface LocalStack {
  readonly url: string;
  readonly simulators: Simulators;
  readonly aggregator: Aggregator;
  readonly live: LiveMarketState;
  readonly quality: QualityMonitor;
  readonly ops: OpsServer;
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const clock = systemClock();
  const simulators = await startSimulators({
    source: 'replay',
    speed: options.speed ?? 1,
    clock: () => clock.nowMicros(),
  });
  const quality = new QualityMonitor(loadValidationRules());
  const live = new LiveMarketState({ now: () => clock.nowMicros(), quality });

  const endpoints: Partial<Record<ExchangeId, SimulatorEndpoint>> = {};
  const symbols: Partial<Record<ExchangeId, readonly string[]>> = {};
  for (const [exchange, urls] of Object.entries(simulators.urls) as Array<
    [ExchangeId, { ws: string; rest: string }]
  >) {
    endpoints[exchange] = new URL(urls.ws).host;
    symbols[exchange] = simulators.symbols(exchange);
  }
  const venues = resolveVenues(loadVenuesConfig(), 'local', endpoints, symbols);

  const aggregator = startAggregator({
    venues,
    clock,
    ...(options.rawTap ? { rawTap: options.rawTap } : {}),
    listener: (exchange) => {
      const parts: ConnectorListener[] = [live.listenerFor(exchange), quality];
      if (options.extraListener) parts.push(options.extraListener(exchange));
      return {
        ...combineListeners(...parts),
        onAlert: (a) => log(`ALERT ${a.exchange} ${a.kind}: ${a.detail}`),
        onLog: (level, exchange, message) => {
          if (level !== 'info') log(`${level} ${exchange}: ${message}`);
        },
      };
    },
  });
  for (const [exchange, handle] of aggregator.venues) {
    live.attach(exchange, handle.feed);
    options.onFeed?.(exchange, handle.feed);
  }

  const ops = await startOpsServer({
    state: live,
    port: options.port ?? 3000,
    ...(options.host ? { host: options.host } : {}),
    routes: {
      '/': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(DASHBOARD_HTML);
      },
    },
  });

  return {
    url: ops.url,
    simulators,
    aggregator,
    live,
    quality,
    ops,
    close: async () => {
      await ops.close();
      await aggregator.stop();
      await simulators.close();
    },
  };
}
