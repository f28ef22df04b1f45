/**
 * Where a recorded row lives on disk (or in S3 under the same keys). Hive-style partitions so Athena,
 * Glue partition projection and DuckDB prune on them:
 *
 *   <root>/<kind>/exchange=<exchange>/symbol=<symbol>/date=<YYYY-MM-DD>/hour=<HH>/part-<seq>.parquet
 *
 * `date` and `hour` are the UTC receive time (localTs) of the rows. Raw frames carry many symbols per
 * connection, so they are filed under `symbol=ALL`. `seq` counts the files of one partition folder
 * (six digits, zero padded, so names sort in write order).
 */
import type { Micros } from '../market/events.ts';
import type { RecordingKind } from './recording-tables.ts';

/** The symbol partition of rows that belong to no single symbol (raw frames, connection events). */
export const ALL_SYMBOLS = 'ALL';

const UNSAFE = /[^A-Za-z0-9_-]+/g;

/**
 * A unified symbol as a folder name: BTC/USDT → BTC-USDT, BTC/USDT:USDT → BTC-USDT-USDT. Only
 * letters, digits, '_' and '-' survive (no '.', so no '..' either); empty → ALL. Not reversible:
 * the rows keep the venue's own spelling in `venue_symbol`.
 */
export function pathSafeSymbol(symbol: string): string {
  const safe = symbol.replace(UNSAFE, '-');
  return safe.length === 0 || safe === '-' ? ALL_SYMBOLS : safe;
}

export interface DateHour {
  /** YYYY-MM-DD, UTC. */
  readonly date: string;
  /** 00–23, UTC. */
  readonly hour: string;
}

/** The UTC date and hour of a µs timestamp (the same values DuckDB's strftime gives the writer). */
export function utcDateHour(ts: Micros): DateHour {
  const iso = new Date(Math.floor(ts / 1000)).toISOString();
  return { date: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** Relative folder of a partition, '/'-separated. */
export function partitionDir(
  kind: RecordingKind,
  exchange: string,
  symbol: string,
  date: string,
  hour: string,
): string {
  return `${kind}/exchange=${exchange}/symbol=${symbol}/date=${date}/hour=${hour}`;
}

/** Relative folder of the partition a row received at `localTs` belongs to. */
export function partitionDirAt(
  kind: RecordingKind,
  exchange: string,
  symbol: string,
  localTs: Micros,
): string {
  const { date, hour } = utcDateHour(localTs);
  return partitionDir(kind, exchange, pathSafeSymbol(symbol), date, hour);
}

export function partFileName(seq: number): string {
  return `part-${String(seq).padStart(6, '0')}.parquet`;
}

const PART = /^part-(\d+)\.parquet$/;

/** The sequence number of a part file name, undefined for other names. */
export function partSeq(name: string): number | undefined {
  const m = PART.exec(name);
  return m ? Number(m[1]) : undefined;
}

export interface PartitionPath extends DateHour {
  readonly kind: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly seq: number;
}

const PATH =
  /(?:^|\/)([a-z_]+)\/exchange=([^/]+)\/symbol=([^/]+)\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/(part-\d+\.parquet)$/;

/** Decode a part file's path (relative or absolute, '/'-separated); undefined when it is not one. */
export function parsePartitionPath(path: string): PartitionPath | undefined {
  const m = PATH.exec(path);
  if (!m) return undefined;
  return {
    kind: m[1]!,
    exchange: m[2]!,
    symbol: m[3]!,
    date: m[4]!,
    hour: m[5]!,
    seq: partSeq(m[6]!)!,
  };
}
