/**
 * Prometheus metrics with the seed's names. Values are read from LiveMarketState at scrape time
 * (prom-client `collect`), so the hot path never touches a metric object.
 *
 * Trading metrics (registerTradingMetrics, only when a trading source is attached), read the same
 * way from one `status()` per scrape:
 *
 *   execution_count_total{exchange}   executions (fills) received
 *   orders_open                       open orders
 *   risk_denials_total{reason}        orders the risk gate refused, by reason
 *   trading_state                     0 ACTIVE, 1 REDUCING, 2 HALTED
 *   pnl_quote{currency}               realized + unrealized − fees
 *   tick_to_order_microseconds        histogram: market event received → order sent, µs
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TradingState } from '../../core/risk/trading-state.ts';
import type { TradingStatusJson } from '../../core/trading/trading-control.ts';
import type { LiveMarketState } from './live-market-state.ts';

const CONNECTION_CODES = { idle: 0, disconnected: 0, reconnecting: 1, connected: 2 } as const;

export function createMetrics(state: LiveMarketState): Registry {
  const registry = new Registry();
  let views = state.snapshot();
  // One snapshot per scrape, shared by every metric's collect().
  const refresh = () => {
    views = state.snapshot();
  };

  new Gauge({
    name: 'market_data_latency_ms',
    help: 'Ingest latency (receive time − exchange time) of book updates, by exchange and quantile',
    labelNames: ['exchange', 'quantile'],
    registers: [registry],
    collect() {
      refresh();
      this.reset();
      for (const v of views) {
        if (v.latencyP50Ms !== null) this.set({ exchange: v.exchange, quantile: '0.5' }, v.latencyP50Ms);
        if (v.latencyP99Ms !== null) this.set({ exchange: v.exchange, quantile: '0.99' }, v.latencyP99Ms);
      }
    },
  });
  new Gauge({
    name: 'order_book_quality_score',
    help: 'Data-quality score 0–100 of each order book',
    labelNames: ['exchange', 'symbol'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of views) {
        for (const b of v.books)
          if (b.quality !== null) this.set({ exchange: v.exchange, symbol: b.symbol }, b.quality);
      }
    },
  });
  new Gauge({
    name: 'order_book_trusted',
    help: '1 when the book is trusted (snapshot + unbroken sequence), else 0',
    labelNames: ['exchange', 'symbol'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of views)
        for (const b of v.books)
          this.set({ exchange: v.exchange, symbol: b.symbol }, b.trust === 'trusted' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'exchange_connection_status',
    help: 'Connection state per exchange: 0 disconnected, 1 reconnecting, 2 connected',
    labelNames: ['exchange'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of views) this.set({ exchange: v.exchange }, CONNECTION_CODES[v.connection]);
    },
  });
  const counter = (name: string, help: string, pick: (v: (typeof views)[number]) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['exchange'],
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views) this.inc({ exchange: v.exchange }, pick(v));
      },
    });
  counter('market_data_messages_total', 'Raw messages received', (v) => v.messages);
  counter('order_book_gaps_total', 'Sequence gaps detected', (v) => v.gaps);
  counter(
    'order_book_resyncs_total',
    'Books rebuilt from a new snapshot after going stale',
    (v) => v.resyncs,
  );
  counter('order_book_checksum_failures_total', 'Checksum mismatches', (v) => v.checksumsFailed);
  counter('market_data_rejected_total', 'Inputs rejected (malformed, unknown, inexact)', (v) => v.rejected);
  counter('exchange_reconnects_total', 'Reconnections', (v) => v.reconnects);
  return registry;
}

/**
 * A latency histogram kept by the kernel (hdr-histogram-js or fixed buckets), read at scrape time.
 * `buckets()`: ascending upper bounds in µs, each `count` cumulative (observations ≤ le, as
 * Prometheus counts them); the +Inf bucket is `count()`.
 */
export interface TickToOrderSource {
  buckets(): readonly { readonly le: number; readonly count: number }[];
  sum(): number;
  count(): number;
}

export interface TradingMetricsSource {
  status(): TradingStatusJson;
  /** Executions per exchange since start (the kernel's counter). */
  readonly executions: ReadonlyMap<string, number>;
  readonly tickToOrder?: TickToOrderSource;
}

/** The `trading_state` gauge's values. */
export const TRADING_STATE_CODES: Readonly<Record<TradingState, number>> = {
  ACTIVE: 0,
  REDUCING: 1,
  HALTED: 2,
};

export function registerTradingMetrics(registry: Registry, source: TradingMetricsSource): void {
  let status = source.status();
  new Counter({
    name: 'execution_count_total',
    help: 'Executions (fills) received, by exchange',
    labelNames: ['exchange'],
    registers: [registry],
    collect() {
      // The first trading metric of a scrape: one status shared by the rest.
      status = source.status();
      this.reset();
      for (const [exchange, n] of source.executions) this.inc({ exchange }, n);
    },
  });
  new Gauge({
    name: 'orders_open',
    help: 'Open orders on every venue',
    registers: [registry],
    collect() {
      this.set(status.openOrders);
    },
  });
  new Counter({
    name: 'risk_denials_total',
    help: 'Orders the pre-trade risk gate refused, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(status.denials)) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'trading_state',
    help: 'Trading state: 0 ACTIVE, 1 REDUCING, 2 HALTED',
    registers: [registry],
    collect() {
      this.set(TRADING_STATE_CODES[status.tradingState]);
    },
  });
  new Gauge({
    name: 'pnl_quote',
    help: 'Profit and loss: realized + unrealized − fees, by currency',
    labelNames: ['currency'],
    registers: [registry],
    collect() {
      this.reset();
      const { realized, unrealized, fees } = status.pnl;
      const total = new Map<string, number>();
      const add = (currency: string, amount: number) =>
        total.set(currency, (total.get(currency) ?? 0) + amount);
      add(realized.currency, realized.amount);
      add(unrealized.currency, unrealized.amount);
      add(fees.currency, -fees.amount);
      for (const [currency, amount] of total) this.set({ currency }, amount);
    },
  });
  if (source.tickToOrder) new SourcedHistogram(registry, source.tickToOrder);
}

const TICK_TO_ORDER = 'tick_to_order_microseconds';
const TICK_TO_ORDER_HELP = 'Market event received → order sent, µs';

/**
 * A histogram whose buckets live in the kernel: prom-client's Histogram keeps its own counts and
 * takes one observation at a time, so this one hands the registry the source's counts at scrape
 * time instead (`getForPromString` is what the registry and `get()` read; the text format stays
 * prom-client's).
 */
class SourcedHistogram extends Histogram {
  private readonly source: TickToOrderSource;

  constructor(registry: Registry, source: TickToOrderSource) {
    super({ name: TICK_TO_ORDER, help: TICK_TO_ORDER_HELP, registers: [registry] });
    this.source = source;
  }

  async getForPromString() {
    const bucket = `${TICK_TO_ORDER}_bucket`;
    const count = this.source.count();
    const values = [
      ...this.source.buckets().map((b) => ({ metricName: bucket, labels: { le: b.le }, value: b.count })),
      { metricName: bucket, labels: { le: '+Inf' }, value: count },
      { metricName: `${TICK_TO_ORDER}_sum`, labels: {}, value: this.source.sum() },
      { metricName: `${TICK_TO_ORDER}_count`, labels: {}, value: count },
    ];
    return { name: TICK_TO_ORDER, help: TICK_TO_ORDER_HELP, type: 'histogram', values, aggregator: 'sum' };
  }
}
