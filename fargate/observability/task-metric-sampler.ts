/**
 * The task's metrics as points, sampled on an interval (never per event): read from the same
 * sources as the Prometheus endpoint (fargate/ops/metrics.ts) — the live market state's venue
 * views and the trading kernel's status — and turned into the names config/alarms.json and the
 * CloudWatch dashboards use. Counters are sent as the increase since the previous sample, so a
 * CloudWatch Sum over a period is the count in that period.
 *
 * Latency comes as the views' own percentiles (p50, p99 over the recent window), and decision
 * latency as the mean of the decisions made since the previous sample: the task keeps no raw
 * samples to send.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { VenueView } from '../ops/live-market-state.ts';
import { TRADING_STATE_CODES, type TradingMetricsSource } from '../ops/metrics.ts';

export type MetricUnitName = 'Milliseconds' | 'Seconds' | 'Count' | 'Percent' | 'None';

export interface MetricPoint {
  readonly name: string;
  readonly unit: MetricUnitName;
  readonly value: number;
  /** Beyond the service: `exchange`, `symbol`, `stage`. */
  readonly dimensions?: Readonly<Record<string, string>>;
}

export interface TaskMetricSources {
  /** The venue views (LiveMarketState.snapshot). */
  readonly venues: () => readonly VenueView[];
  readonly trading?: TradingMetricsSource;
  /** More points from parts that keep their own numbers (signals, execution adapters, risk). */
  readonly extra?: () => readonly MetricPoint[];
}

export class TaskMetricSampler {
  private readonly downSinceMs = new Map<ExchangeId, number>();
  private readonly previous = new Map<string, number>();

  constructor(private readonly sources: TaskMetricSources) {}

  /** Points as of `nowMs` (epoch ms). */
  sample(nowMs: number): MetricPoint[] {
    const points: MetricPoint[] = [];
    for (const v of this.sources.venues()) this.venuePoints(v, nowMs, points);
    const trading = this.sources.trading;
    if (trading) this.tradingPoints(trading, points);
    if (this.sources.extra) points.push(...this.sources.extra());
    return points;
  }

  private venuePoints(v: VenueView, nowMs: number, out: MetricPoint[]): void {
    const exchange = { exchange: v.exchange };
    const connected = v.connection === 'connected';
    if (connected) this.downSinceMs.delete(v.exchange);
    else if (!this.downSinceMs.has(v.exchange)) this.downSinceMs.set(v.exchange, nowMs);
    const since = this.downSinceMs.get(v.exchange);
    out.push({ name: 'venue_connected', unit: 'None', value: connected ? 1 : 0, dimensions: exchange });
    out.push({
      name: 'venue_down_seconds',
      unit: 'Seconds',
      value: since === undefined ? 0 : (nowMs - since) / 1000,
      dimensions: exchange,
    });
    if (v.latencyP50Ms !== null)
      out.push({
        name: 'market_data_latency_ms',
        unit: 'Milliseconds',
        value: v.latencyP50Ms,
        dimensions: exchange,
      });
    if (v.latencyP99Ms !== null)
      out.push({
        name: 'market_data_latency_p99_ms',
        unit: 'Milliseconds',
        value: v.latencyP99Ms,
        dimensions: exchange,
      });
    let quality: number | null = null;
    for (const b of v.books)
      if (b.quality !== null) quality = quality === null ? b.quality : Math.min(quality, b.quality);
    if (quality !== null)
      out.push({ name: 'order_book_quality_score', unit: 'None', value: quality, dimensions: exchange });
    out.push({ name: 'market_data_message_rate', unit: 'Count', value: v.messageRate, dimensions: exchange });
    this.increase(out, 'market_data_messages', `messages:${v.exchange}`, v.messages, exchange);
    this.increase(out, 'reconnects', `reconnects:${v.exchange}`, v.reconnects, exchange);
    this.increase(out, 'resyncs', `resyncs:${v.exchange}`, v.resyncs, exchange);
    this.increase(out, 'market_data_rejected', `rejected:${v.exchange}`, v.rejected, exchange);
  }

  private tradingPoints(trading: TradingMetricsSource, out: MetricPoint[]): void {
    const status = trading.status();
    out.push({ name: 'trading_state', unit: 'None', value: TRADING_STATE_CODES[status.tradingState] });
    out.push({ name: 'orders_open', unit: 'Count', value: status.openOrders });
    const { realized, unrealized, fees } = status.pnl;
    out.push({ name: 'pnl', unit: 'None', value: realized.amount + unrealized.amount - fees.amount });
    for (const p of status.positions)
      out.push({
        name: 'position',
        unit: 'None',
        // A display value: the exact size stays a decimal string in the status.
        value: Number(p.size),
        dimensions: { exchange: p.exchange, symbol: p.symbol },
      });
    let executions = 0;
    for (const n of trading.executions.values()) executions += n;
    this.increase(out, 'execution_count_total', 'executions', executions);
    const decisions = trading.tickToOrder;
    if (decisions) {
      const count = decisions.count();
      const sumUs = decisions.sum();
      const newCount = count - (this.previous.get('decisions') ?? 0);
      const newSum = sumUs - (this.previous.get('decisionsUs') ?? 0);
      this.previous.set('decisions', count);
      this.previous.set('decisionsUs', sumUs);
      if (newCount > 0)
        out.push({ name: 'decision_latency_ms', unit: 'Milliseconds', value: newSum / newCount / 1000 });
    }
  }

  /** A counter's increase since the last sample (a restart of the counter counts from zero). */
  private increase(
    out: MetricPoint[],
    name: string,
    key: string,
    total: number,
    dimensions?: Readonly<Record<string, string>>,
  ): void {
    const before = this.previous.get(key) ?? 0;
    this.previous.set(key, total);
    const value = total >= before ? total - before : total;
    out.push(dimensions ? { name, unit: 'Count', value, dimensions } : { name, unit: 'Count', value });
  }
}
