/**
 * Prometheus metrics with the seed's names. Values are read from LiveMarketState at scrape time
 * (prom-client `collect`), so the hot path never touches a metric object.
 */
import { Counter, Gauge, Registry } from 'prom-client';
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
