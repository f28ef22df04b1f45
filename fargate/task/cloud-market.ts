/**
 * Market data in the cloud: the connectors to the real exchanges (config/venues.json, 'cloud'
 * endpoints) → books and quality scores → the task's outputs, with the ops server (/health for the
 * container health check, /metrics) on loopback, and the same metrics as CloudWatch EMF every 10 s
 * (fargate/observability/emf-publisher.ts), and the signal pipeline (`GET /signals`, hifa_* and
 * signal_* metrics). The same wiring as the local stack
 * (local/stack/start-local-stack.ts) without the simulators and the dashboard page.
 */
import { loadFeeTable } from '../../config/fees.ts';
import { configuredInstruments } from '../../config/instruments.ts';
import { loadSignalParams } from '../../config/signals.ts';
import { loadValidationRules } from '../../config/validation-rules.ts';
import { loadVenuesConfig, resolveVenues } from '../../config/venues.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import type { LocalStackOutputs } from '../../local/stack/start-local-stack.ts';
import { systemClock } from '../connectors/clock.ts';
import { EmfPublisher } from '../observability/emf-publisher.ts';
import { type MetricPoint, TaskMetricSampler } from '../observability/task-metric-sampler.ts';
import { controlRoutes } from '../ops/control-routes.ts';
import { LiveMarketState } from '../ops/live-market-state.ts';
import { startOpsServer } from '../ops/ops-server.ts';
import { LiveSignals } from '../signals/live-signals.ts';
import { startMarketFeeds } from './start-market-feeds.ts';

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
  // The signal pipeline over every venue, as on one machine: GET /signals, Prometheus and EMF.
  const signals = new LiveSignals(loadSignalParams(), loadFeeTable());
  ops.mount({ '/signals': signals.route() });
  signals.registerMetrics(ops.registry);
  if (outputs.trading) {
    const { trader, adminToken } = outputs.trading;
    ops.mount(controlRoutes(trader.control, { adminToken, log }));
    ops.attachTrading({ status: () => trader.kernel.status(), executions: trader.kernel.executions });
  }
  live.expect(venues.map((v) => ({ exchange: v.exchange, symbols: v.symbols })));
  const aggregator = startMarketFeeds({
    venues,
    clock,
    instruments: new InstrumentRegistry(configuredInstruments()),
    rawTap: outputs.rawTap,
    live,
    quality,
    signals,
    extraListener: outputs.extraListener,
    trader: outputs.trading?.trader,
    onFeed: outputs.onFeed,
    log,
  });
  const trader = outputs.trading?.trader;
  const emf = new EmfPublisher({
    sampler: new TaskMetricSampler({
      venues: () => live.snapshot(),
      ...(trader
        ? { trading: { status: () => trader.kernel.status(), executions: trader.kernel.executions } }
        : {}),
      extra: () => signalMetricPoints(signals.snapshot()),
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

/** hifa_stage_latency_ms{stage} (each stage's p99 over the pipeline's window) and signal_count_total{type}. */
export function signalMetricPoints(snapshot: ReturnType<LiveSignals['snapshot']>): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const [stage, q] of Object.entries(snapshot.stageLatencyUs))
    if (q.p99 !== null)
      points.push({
        name: 'hifa_stage_latency_ms',
        unit: 'Milliseconds',
        value: q.p99 / 1000,
        dimensions: { stage },
      });
  for (const [type, n] of Object.entries(snapshot.totals))
    if (n !== undefined)
      points.push({ name: 'signal_count_total', unit: 'Count', value: n, dimensions: { type } });
  return points;
}
