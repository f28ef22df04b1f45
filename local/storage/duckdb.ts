/** Small DuckDB helpers shared by the storage adapters. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A SQL string literal ('it''s'). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface DuckDb {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  close(): void;
}

/** An in-memory (or file) DuckDB with one connection. `threads` defaults to DuckDB's (all cores). */
export async function openDuckDb(path = ':memory:', threads?: number): Promise<DuckDb> {
  const options: Record<string, string> = {};
  if (threads !== undefined) options.threads = String(threads);
  const instance = await DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Every *.parquet file below `dir` (none when it does not exist; the file itself when it is one), sorted. */
export function parquetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return dir.endsWith('.parquet') ? [dir] : [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue; // staging folders, temp files
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...parquetFiles(full));
    else if (name.endsWith('.parquet')) out.push(full);
  }
  return out;
}

/** read_parquet over a list of files with the recording's partition columns, all VARCHAR. */
export function readParquetSql(files: readonly string[]): string {
  return `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`;
}

/** A BIGINT/HUGEINT/number cell as a JS number (µs timestamps, counts: exact below 2^53). */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return Number.NaN;
  return Number(value);
}
