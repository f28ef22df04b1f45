/**
 * Counting what reached the archive, with DuckDB over the files s3rver keeps on disk
 * (`<s3Dir>/<bucket>/<prefix>/<kind>/exchange=…/…/part-….parquet._S3rver_object`): rows per table,
 * and rows stored more than once — a row's identity is its recorder session and `rec_seq` (one
 * counter over every row a task session recorded).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDING_KINDS } from '../../core/recording/recording-tables.ts';
import { openDuckDb, sqlString, toNumber } from '../storage/duckdb.ts';

export const S3RVER_OBJECT_SUFFIX = '._S3rver_object';

export interface ArchiveCount {
  readonly objects: number;
  readonly rows: number;
  readonly distinctRows: number;
  readonly rowsByKind: Record<string, number>;
}

function objectFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...objectFiles(full));
    else if (name.endsWith(`.parquet${S3RVER_OBJECT_SUFFIX}`)) out.push(full);
  }
  return out.sort();
}

export async function countArchive(root: string): Promise<ArchiveCount> {
  const db = await openDuckDb(':memory:', 1);
  try {
    let objects = 0;
    let rows = 0;
    let distinctRows = 0;
    const rowsByKind: Record<string, number> = {};
    for (const kind of RECORDING_KINDS) {
      const files = objectFiles(join(root, kind));
      objects += files.length;
      if (files.length === 0) continue;
      const reader = await db.connection.runAndReadAll(
        `SELECT count(*) AS n, count(DISTINCT (rec_session, rec_seq)) AS d FROM read_parquet([${files.map(sqlString).join(', ')}])`,
      );
      const [n, d] = reader.getRows()[0] ?? [0, 0];
      rowsByKind[kind] = toNumber(n);
      rows += toNumber(n);
      distinctRows += toNumber(d);
    }
    return { objects, rows, distinctRows, rowsByKind };
  } finally {
    db.close();
  }
}
