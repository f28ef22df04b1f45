/**
 * The Glue columns of each archived table, derived from the recorder's own row shapes
 * (core/recording/recording-tables.ts), so a column added to the recorder reaches Athena with the
 * next deploy and never needs writing twice. Parquet types: BIGINT → bigint, INT32 → int, DOUBLE →
 * double, text and codes → string. The partition columns are not in the files; they come from the
 * key (archive-layout.ts).
 */
import {
  bookTable,
  DEFAULT_BOOK_DEPTH,
  EVENT_TABLE,
  RAW_TABLE,
  type RecordingKind,
  type RecordingTable,
  type StoredType,
  TRADE_TABLE,
} from '../../core/recording/recording-tables.ts';

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
}

const GLUE_TYPE: Record<StoredType, string> = {
  bigint: 'bigint',
  int: 'int',
  double: 'double',
  code: 'string',
  text: 'string',
  venue_symbol: 'string',
  session: 'bigint',
};

/** The shapes the recorder writes; books at the recorder's default depth. */
export const ARCHIVED_TABLES: Readonly<Record<RecordingKind, RecordingTable>> = {
  raw: RAW_TABLE,
  book: bookTable(DEFAULT_BOOK_DEPTH),
  trade: TRADE_TABLE,
  event: EVENT_TABLE,
};

export function glueColumns(table: RecordingTable): GlueColumn[] {
  return table.columns.map((c) => ({ name: c.name, type: GLUE_TYPE[c.type] }));
}

/** Partition columns, in key order. `hour` is an integer projection written with two digits. */
export const PARTITION_COLUMNS: readonly GlueColumn[] = [
  { name: 'exchange', type: 'string' },
  { name: 'symbol', type: 'string' },
  { name: 'date', type: 'string' },
  { name: 'hour', type: 'int' },
];
