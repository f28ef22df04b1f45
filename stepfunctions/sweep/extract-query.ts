/**
 * The query that extracts a sweep's data from the archive: the raw frames (the only table a
 * backtest can replay, local/backtest/load-tape.ts) of the requested venues and days, written as
 * Parquet in the recorder's partition layout by Athena's UNLOAD, so the backtest step reads the
 * extract exactly as it reads a local recording.
 *
 * Days, not instants, bound the scan from below: the venue feeds must see the session's frames
 * before `from` to rebuild the book the window opens with (core/backtest/tape/capture-tape.ts), so
 * the extract starts at 00:00 UTC of `from`'s day and the replay itself applies `from`. Above, the
 * extract stops at `to`. Symbols are filtered by the replay too: raw frames carry many symbols per
 * connection and are filed under symbol=ALL.
 *
 * The SELECT inside the UNLOAD is plain SQL that Athena (Trino) and DuckDB both run unchanged; the
 * local runner swaps only the UNLOAD wrapper for DuckDB's COPY (local/sfn/duckdb-extract.ts).
 */
import { RAW_TABLE } from '../../core/recording/recording-tables.ts';
import { isoTime } from '../../local/backtest/cli-args.ts';
import { sqlIdent, sqlString } from '../../local/storage/duckdb.ts';
import type { SweepInput } from './sweep-input.ts';

/** The archive's partition columns, in key order; UNLOAD needs them last in the SELECT list. */
export const EXTRACT_PARTITIONS = ['exchange', 'symbol', 'date', 'hour'] as const;

export interface ExtractTarget {
  /** Glue database of the archive tables. */
  readonly database: string;
  /** `s3://bucket/prefix/` — empty before the query (UNLOAD refuses to overwrite). */
  readonly location: string;
}

/** YYYY-MM-DD of a µs time, UTC. */
function utcDay(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10);
}

/** The SELECT over `database`.raw for this input's venues and time range. */
export function extractSelect(input: SweepInput, database: string): string {
  const columns = [...RAW_TABLE.columns.map((c) => c.name), ...EXTRACT_PARTITIONS].map(sqlIdent);
  const where: string[] = [];
  const { exchanges, from, to } = input.data;
  if (exchanges) where.push(`${sqlIdent('exchange')} IN (${exchanges.map(sqlString).join(', ')})`);
  if (from !== undefined) where.push(`${sqlIdent('date')} >= ${sqlString(utcDay(isoTime(from)))}`);
  if (to !== undefined) {
    const end = isoTime(to);
    // The last day holding a row before `to` (exclusive).
    where.push(`${sqlIdent('date')} <= ${sqlString(utcDay(end - 1))}`);
    where.push(`${sqlIdent('local_ts')} < ${end}`);
  }
  return (
    `SELECT ${columns.join(', ')} FROM ${sqlIdent(database)}.${sqlIdent('raw')}` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '')
  );
}

export function extractQuery(input: SweepInput, target: ExtractTarget): string {
  if (!/^s3:\/\/[a-z0-9.-]+\/[A-Za-z0-9/_.=-]*\/$/.test(target.location))
    throw new Error(`extract: "${target.location}" is not an s3://bucket/prefix/ location`);
  return (
    `UNLOAD (${extractSelect(input, target.database)}) TO ${sqlString(target.location)} ` +
    `WITH (format = 'PARQUET', compression = 'SNAPPY', partitioned_by = ARRAY[${EXTRACT_PARTITIONS.map(sqlString).join(', ')}])`
  );
}

export interface ParsedUnload {
  readonly select: string;
  readonly location: string;
  readonly partitions: readonly string[];
}

const UNLOAD =
  /^UNLOAD \((SELECT .+)\) TO '(s3:\/\/[^']+)' WITH \(format = 'PARQUET', compression = 'SNAPPY', partitioned_by = ARRAY\[([^\]]*)\]\)$/s;

/** The parts of a query extractQuery built; anything else is refused (the local runner runs only these). */
export function parseExtractQuery(query: string): ParsedUnload {
  const m = UNLOAD.exec(query);
  if (!m) throw new Error('extract: not a query built by extractQuery (UNLOAD (SELECT …) TO … WITH (…))');
  const partitions = m[3]!.split(',').map((p) => p.trim().replace(/^'|'$/g, ''));
  return { select: m[1]!, location: m[2]!, partitions };
}
