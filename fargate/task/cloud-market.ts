/**
 * Market data in the cloud: the connectors to the real exchanges (config/venues.json, 'cloud'
 * endpoints) → books and quality scores → the task's outputs, with the ops server (/health for the
 * container health check, /metrics) on loopback, and the same metrics as CloudWatch EMF every 10 s
 * (fargate/observability/emf-publisher.ts). The same wiring as the local stack
 * (local/stack/start-local-stack.ts) without the simulators and the dashboard page.
 */
import { configuredInstruments } from '../../config/instruments.ts';
import { loadValidationRules } from '../../config/validation-rules.ts';
import { loadVenuesConfig, resolveVenues } from '../../config/venues.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import { combineListeners } from '../../core/venues/combine-listeners.ts';
import type { LocalStackOutputs } from '../../local/stack/start-local-stack.ts';
import { startAggregator } from '../aggregator/start-aggregator.ts';
import { systemClock } from '../connectors/clock.ts';
import type { ConnectorListener } from '../connectors/connector-events.ts';
import { EmfPublisher } from '../observability/emf-publisher.ts';
import { TaskMetricSampler } from '../observability/task-metric-sampler.ts';
import { controlRoutes } from '../ops/control-routes.ts';
import { LiveMarketState } from '../ops/live-market-state.ts';
import { startOpsServer } from '../ops/ops-server.ts';

export interface CloudMarketOptions {
  readonly port: number;
  readonly log: (line: string) => void;
}

export interface RunningMarket {
  close(): Promise<void>;
}

export async function startCloudMarket(
  outputs: LocalStackOutputs,
  options: CloudMarketOptions,
): Promise<RunningMarket> {
  const { log } = options;
  const clock = systemClock();
  const quality = new QualityMonitor(loadValidationRules());
  const live = new LiveMarketState({ now: () => clock.nowMicros(), quality });
  const venues = resolveVenues(loadVenuesConfig(), 'cloud');
  const ops = await startOpsServer({ state: live, port: options.port, host: '127.0.0.1' });
  if (outputs.trading) {
    const { trader, adminToken } = outputs.trading;
    ops.mount(controlRoutes(trader.control, { adminToken, log }));
    ops.attachTrading({ status: () => trader.kernel.status(), executions: trader.kernel.executions });
  }
  live.expect(venues.map((v) => ({ exchange: v.exchange, symbols: v.symbols })));
  const aggregator = startAggregator({
    venues,
    clock,
    instruments: new InstrumentRegistry(configuredInstruments()),
    ...(outputs.rawTap ? { rawTap: outputs.rawTap } : {}),
    listener: (exchange) => {
      const parts: ConnectorListener[] = [live.listenerFor(exchange), quality];
      if (outputs.extraListener) parts.push(outputs.extraListener(exchange));
      else if (outputs.trading) parts.push(outputs.trading.trader.listenerFor(exchange));
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
    outputs.onFeed?.(exchange, handle.feed);
  }
  const trader = outputs.trading?.trader;
  const emf = new EmfPublisher({
    sampler: new TaskMetricSampler({
      venues: () => live.snapshot(),
      ...(trader
        ? { trading: { status: () => trader.kernel.status(), executions: trader.kernel.executions } }
        : {}),
    }),
    clock,
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'Tradeplane',
  });
  emf.start();
  return {
    close: async () => {
      emf.stop();
      await Promise.all([aggregator.stop(), ops.close()]);
    },
  };
}
