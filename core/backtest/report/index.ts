export type { Column, ColumnSchema, ColumnType } from './csv.ts';
export { buildCsv, csvField, schemaOf } from './csv.ts';
export type { ReportInput } from './html-report.ts';
export { renderHtmlReport } from './html-report.ts';
export { finiteCopy, metricsToJson, toFiniteJson } from './metrics-json.ts';
export type { RunTable } from './run-tables.ts';
export {
  EQUITY_COLUMNS,
  equityCsv,
  ORDER_COLUMNS,
  ordersCsv,
  ROUND_TRIP_COLUMNS,
  roundTripsCsv,
  runTables,
  TRADE_COLUMNS,
  tradesCsv,
} from './run-tables.ts';
export type { SweepInput } from './sections/sweep.ts';
export type { WalkForwardInput } from './sections/walk-forward.ts';
