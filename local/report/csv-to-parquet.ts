/**
 * Parquet copies of the run's CSV tables, written by DuckDB (in-process, in-memory database). The
 * CSV is read with the column types the table declares (core/backtest/report/csv.ts) instead of
 * DuckDB's guess, so an order id such as "17" stays text and an empty table still has its schema.
 * Async: this is file output after the run, off the hot path.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnSchema, ColumnType } from '../../core/backtest/report/csv.ts';

const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  int: 'BIGINT',
  float: 'DOUBLE',
  text: 'VARCHAR',
};

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface ParquetJob {
  readonly csvPath: string;
  readonly parquetPath: string;
  readonly schema: readonly ColumnSchema[];
}

export function copyCsvSql(job: ParquetJob): string {
  const columns = job.schema
    .map((c) => `${sqlString(c.name)}: ${sqlString(DUCKDB_TYPES[c.type])}`)
    .join(', ');
  return (
    `COPY (SELECT * FROM read_csv(${sqlString(job.csvPath)}, header = true, delim = ',', quote = '"', ` +
    `escape = '"', columns = {${columns}})) TO ${sqlString(job.parquetPath)} (FORMAT parquet)`
  );
}

/** Convert each CSV to Parquet; one DuckDB instance for all of them. */
export async function csvToParquet(jobs: readonly ParquetJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const job of jobs) await connection.run(copyCsvSql(job));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
