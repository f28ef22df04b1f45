/**
 * The tables a run writes: trades.csv (one row per fill), orders.csv, equity.csv and
 * round-trips.csv. Column names are the BacktestResult field names (camelCase, as in metrics.json),
 * plus a readable `timeUtc` next to every µs timestamp and a few derived columns (notional,
 * drawdown). The column lists double as the schema for the Parquet copies.
 */
import { drawdownSeries } from '../analytics/drawdown.ts';
import type { BacktestResult, EquityPoint, FillRecord, OrderRecord, RoundTrip } from '../result.ts';
import { buildCsv, type Column, type ColumnSchema, schemaOf } from './csv.ts';
import { isoUtcMicros } from './format.ts';

export const TRADE_COLUMNS: readonly Column<FillRecord>[] = [
  { name: 'ts', type: 'int', value: (f) => f.ts },
  { name: 'timeUtc', type: 'text', value: (f) => isoUtcMicros(f.ts) },
  { name: 'exchange', type: 'text', value: (f) => f.exchange },
  { name: 'symbol', type: 'text', value: (f) => f.symbol },
  { name: 'orderId', type: 'text', value: (f) => f.orderId },
  { name: 'side', type: 'text', value: (f) => f.side },
  { name: 'price', type: 'float', value: (f) => f.price },
  { name: 'size', type: 'float', value: (f) => f.size },
  { name: 'notional', type: 'float', value: (f) => f.price * f.size },
  { name: 'fee', type: 'float', value: (f) => f.fee },
  { name: 'liquidity', type: 'text', value: (f) => f.liquidity },
];

export const ORDER_COLUMNS: readonly Column<OrderRecord>[] = [
  { name: 'orderId', type: 'text', value: (o) => o.orderId },
  { name: 'exchange', type: 'text', value: (o) => o.exchange },
  { name: 'symbol', type: 'text', value: (o) => o.symbol },
  { name: 'side', type: 'text', value: (o) => o.side },
  { name: 'type', type: 'text', value: (o) => o.type },
  { name: 'price', type: 'float', value: (o) => o.price },
  { name: 'size', type: 'float', value: (o) => o.size },
  { name: 'filledSize', type: 'float', value: (o) => o.filledSize },
  { name: 'submittedTs', type: 'int', value: (o) => o.submittedTs },
  { name: 'submittedUtc', type: 'text', value: (o) => isoUtcMicros(o.submittedTs) },
  { name: 'finalTs', type: 'int', value: (o) => o.finalTs },
  { name: 'finalUtc', type: 'text', value: (o) => isoUtcMicros(o.finalTs) },
  { name: 'state', type: 'text', value: (o) => o.state },
  { name: 'rejectReason', type: 'text', value: (o) => o.rejectReason },
];

interface EquityRow {
  readonly point: EquityPoint;
  readonly drawdown: number;
}

export const EQUITY_COLUMNS: readonly Column<EquityRow>[] = [
  { name: 'ts', type: 'int', value: (r) => r.point.ts },
  { name: 'timeUtc', type: 'text', value: (r) => isoUtcMicros(r.point.ts) },
  { name: 'equity', type: 'float', value: (r) => r.point.equity },
  { name: 'position', type: 'float', value: (r) => r.point.position },
  { name: 'mid', type: 'float', value: (r) => r.point.mid },
  { name: 'drawdown', type: 'float', value: (r) => r.drawdown },
];

export const ROUND_TRIP_COLUMNS: readonly Column<RoundTrip>[] = [
  { name: 'symbol', type: 'text', value: (t) => t.symbol },
  { name: 'side', type: 'text', value: (t) => t.side },
  { name: 'entryTs', type: 'int', value: (t) => t.entryTs },
  { name: 'entryUtc', type: 'text', value: (t) => isoUtcMicros(t.entryTs) },
  { name: 'exitTs', type: 'int', value: (t) => t.exitTs },
  { name: 'exitUtc', type: 'text', value: (t) => isoUtcMicros(t.exitTs) },
  { name: 'durationUs', type: 'int', value: (t) => t.exitTs - t.entryTs },
  { name: 'size', type: 'float', value: (t) => t.size },
  { name: 'entryPrice', type: 'float', value: (t) => t.entryPrice },
  { name: 'exitPrice', type: 'float', value: (t) => t.exitPrice },
  { name: 'pnl', type: 'float', value: (t) => t.pnl },
];

export function tradesCsv(result: BacktestResult): string {
  return buildCsv(TRADE_COLUMNS, result.fills);
}

export function ordersCsv(result: BacktestResult): string {
  return buildCsv(ORDER_COLUMNS, result.orders);
}

export function equityCsv(result: BacktestResult): string {
  const dd = drawdownSeries(
    result.equity.map((p) => p.equity),
    result.initialCapital,
  );
  return buildCsv(
    EQUITY_COLUMNS,
    result.equity.map((point, i) => ({ point, drawdown: dd[i]! })),
  );
}

export function roundTripsCsv(result: BacktestResult): string {
  return buildCsv(ROUND_TRIP_COLUMNS, result.roundTrips);
}

/** Every table of a run: file stem → CSV text and column schema. */
export interface RunTable {
  readonly name: 'trades' | 'orders' | 'equity' | 'round-trips';
  readonly csv: string;
  readonly schema: readonly ColumnSchema[];
}

export function runTables(result: BacktestResult): RunTable[] {
  return [
    { name: 'trades', csv: tradesCsv(result), schema: schemaOf(TRADE_COLUMNS) },
    { name: 'orders', csv: ordersCsv(result), schema: schemaOf(ORDER_COLUMNS) },
    { name: 'equity', csv: equityCsv(result), schema: schemaOf(EQUITY_COLUMNS) },
    { name: 'round-trips', csv: roundTripsCsv(result), schema: schemaOf(ROUND_TRIP_COLUMNS) },
  ];
}
