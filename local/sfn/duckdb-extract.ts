/**
 * The local stand-in for the Extract state's Athena query: the SELECT the plan step built runs
 * unchanged in DuckDB over the recording given as --data (a view named like the Glue table), and
 * the UNLOAD wrapper becomes DuckDB's partitioned COPY into the local store at the same key.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseExtractQuery } from '../../stepfunctions/sweep/extract-query.ts';
import { openDuckDb, parquetFiles, readParquetSql, sqlIdent, sqlString } from '../storage/duckdb.ts';
import { rawFolder } from '../storage/read-raw-recording.ts';

export interface LocalExtractOptions {
  /** The recording (root or raw/ folder). */
  readonly recording: string;
  /** Root of the directory store (directory-store.ts). */
  readonly storeRoot: string;
  readonly database: string;
}

/** Runs the query; returns Athena's startQueryExecution.sync result shape. */
export async function duckDbExtract(
  query: string,
  options: LocalExtractOptions,
): Promise<Record<string, unknown>> {
  const unload = parseExtractQuery(query);
  const files = parquetFiles(rawFolder(options.recording));
  if (files.length === 0)
    throw new Error(`--data ${options.recording}: no raw Parquet frames (a recording is needed)`);
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(unload.location)!;
  const target = join(options.storeRoot, m[1]!, ...m[2]!.split('/').filter(Boolean));
  await mkdir(target, { recursive: true });
  const db = await openDuckDb(':memory:', 1);
  try {
    const c = db.connection;
    await c.run(`CREATE SCHEMA ${sqlIdent(options.database)}`);
    await c.run(
      `CREATE VIEW ${sqlIdent(options.database)}.${sqlIdent('raw')} AS SELECT * FROM ${readParquetSql(files)}`,
    );
    await c.run(
      `COPY (${unload.select}) TO ${sqlString(target)} (FORMAT PARQUET, PARTITION_BY (${unload.partitions.map(sqlIdent).join(', ')}), OVERWRITE_OR_IGNORE)`,
    );
  } finally {
    db.close();
  }
  return {
    QueryExecution: { QueryExecutionId: `local-${Date.now().toString(36)}`, Status: { State: 'SUCCEEDED' } },
  };
}
