/**
 * SQL for reading a recording's prices and sizes back as exact decimals (DuckDB dialect).
 *
 * Stored: BIGINT integer units plus the instrument's scale — `price = price_units × 10^-price_scale`
 * (core/market/instrument.ts). Beware the obvious `price_units / 10^price_scale`: DuckDB computes
 * it as a DOUBLE (inexact). `units_to_decimal` multiplies by the exact DECIMAL unit instead and
 * returns DECIMAL(38,18), exact for every scale 0…18 and |units| < 10^18; read it as text
 * (`::VARCHAR`) to keep it exact in JavaScript.
 */
import { bookLevelColumn } from '../../core/recording/recording-tables.ts';

const MAX_SCALE = 18;

/** `CREATE OR REPLACE MACRO units_to_decimal(units, scale)`: exact DECIMAL(38,18), NULL for NULL. */
export const UNITS_TO_DECIMAL_SQL = `CREATE OR REPLACE MACRO units_to_decimal(units, scale) AS CASE scale ${Array.from(
  { length: MAX_SCALE + 1 },
  (_, s) =>
    `WHEN ${s} THEN (CAST(units AS DECIMAL(18,0)) * CAST(${s === 0 ? '1' : `0.${'0'.repeat(s - 1)}1`} AS DECIMAL(18,${s})))::DECIMAL(38,18)`,
).join(' ')} END`;

/**
 * A long ("L2") view of wide book rows: one row per (update, side, level) with exact decimals —
 * `SELECT * FROM (bookLevelsSql(...))` or `CREATE VIEW book_levels AS …`. `source` is a relation
 * holding the stored book columns (a table, a view, or `read_parquet(…)`); needs the macro above.
 */
export function bookLevelsSql(source: string, depth = 20): string {
  const levels: string[] = [];
  for (let k = 0; k < depth; k++) {
    for (const side of ['bid', 'ask'] as const) {
      levels.push(
        `{'side': '${side}', 'level': ${k}, 'price_units': ${bookLevelColumn(side, k, 'price')}, 'size_units': ${bookLevelColumn(side, k, 'size')}}`,
      );
    }
  }
  return `SELECT * EXCLUDE (l), l.side AS side, l.level AS level, l.price_units AS price_units, l.size_units AS size_units,
  units_to_decimal(l.price_units, price_scale) AS price, units_to_decimal(l.size_units, size_scale) AS size
FROM (SELECT rec_session, rec_seq, local_ts, exchange_ts, exchange, symbol, venue_symbol, sequence, price_scale, size_scale,
             unnest([${levels.join(', ')}]) AS l
      FROM ${source})
WHERE l.price_units IS NOT NULL`;
}
