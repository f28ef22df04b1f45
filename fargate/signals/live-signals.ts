/**
 * The signal pipeline in the live task: one SignalPipeline fed by every venue's connector events
 * (trusted books, trades, tickers, connection changes), a JSON snapshot for the dashboard
 * (`GET /signals`), and two Prometheus metrics on the ops server's registry, read at scrape time so
 * the hot path never touches a metric object:
 *   hifa_stage_latency_ms{stage}   histogram of each stage's time per event (detect, context,
 *                                  assess, execute, all), from the pipeline's own buckets
 *   signal_count_total{type}       signals emitted, by type
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { PipelineListener } from '../../core/signals/pipeline-listener.ts';
import { SIGNAL_TYPES } from '../../core/signals/signal-event.ts';
import type { SignalParams } from '../../core/signals/signal-params.ts';
import { SignalPipeline } from '../../core/signals/signal-pipeline.ts';
import { type SignalsReport, signalsReport } from '../../core/signals/signals-report.ts';
import { STAGES, type StageLatency } from '../../core/signals/stage-latency.ts';
import type { FeeTable } from '../../core/sim/fees/fee-table.ts';
import type { ConnectorListener } from '../connectors/connector-events.ts';

export interface LiveSignalsSnapshot extends SignalsReport {
  readonly totals: Record<string, number>;
}

export class LiveSignals {
  readonly pipeline: SignalPipeline;
  private readonly listener: PipelineListener;

  constructor(params: SignalParams, fees: FeeTable) {
    this.pipeline = new SignalPipeline(params, { fees, clock: () => performance.now() });
    this.listener = new PipelineListener(this.pipeline);
  }

  /** The listener to join a venue's connector (one pipeline sees every venue: cross-venue measures). */
  listenerFor(_exchange: ExchangeId): ConnectorListener {
    return this.listener;
  }

  snapshot(): LiveSignalsSnapshot {
    return { ...signalsReport(this.pipeline), totals: this.pipeline.totals.toRecord() };
  }

  /** `GET /signals`: the snapshot as JSON. */
  route(): (req: IncomingMessage, res: ServerResponse) => void {
    return (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(this.snapshot()));
    };
  }

  registerMetrics(registry: Registry): void {
    const totals = this.pipeline.totals;
    new Counter({
      name: 'signal_count_total',
      help: 'Signals emitted by the four-stage pipeline and the monitors, by type',
      labelNames: ['type'],
      registers: [registry],
      collect() {
        this.reset();
        for (const type of SIGNAL_TYPES) this.inc({ type }, totals.get(type));
      },
    });
    new StageHistogram(registry, this.pipeline.latency);
  }
}

const NAME = 'hifa_stage_latency_ms';
const HELP = 'Time per event in each signal stage (detect, context, assess, execute, all), ms';
/** Upper bounds, ms: sub-µs to 10 ms (the stages run in µs; the seed's budgets were 50–150 ms). */
const LE_MS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 10];

/**
 * A labelled histogram whose counts live in the pipeline's StageLatency (prom-client's Histogram
 * takes one observation at a time; here the registry is handed the pipeline's counts at scrape
 * time through `getForPromString`, and the text format stays prom-client's).
 */
class StageHistogram extends Histogram {
  constructor(
    registry: Registry,
    private readonly latency: StageLatency,
  ) {
    super({ name: NAME, help: HELP, labelNames: ['stage'], registers: [registry] });
  }

  async getForPromString() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    STAGES.forEach((stage, i) => {
      const h = this.latency.stages[i]!;
      for (const le of LE_MS)
        values.push({
          metricName: `${NAME}_bucket`,
          labels: { stage, le },
          value: h.countAtOrBelow(le * 1000),
        });
      values.push({ metricName: `${NAME}_bucket`, labels: { stage, le: '+Inf' }, value: h.count });
      values.push({ metricName: `${NAME}_sum`, labels: { stage }, value: h.sumUs / 1000 });
      values.push({ metricName: `${NAME}_count`, labels: { stage }, value: h.count });
    });
    return { name: NAME, help: HELP, type: 'histogram' as const, values, aggregator: 'sum' as const };
  }
}
