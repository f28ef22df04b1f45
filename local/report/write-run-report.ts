/**
 * Writes a run's outputs into a folder (created if missing; existing files are overwritten):
 *   report.html       self-contained HTML report (core/backtest/report/html-report.ts)
 *   metrics.json      camelCase metrics, non-finite values as null + `nonFinite` flags
 *   trades.csv        one row per fill
 *   orders.csv        one row per order
 *   equity.csv        equity / position / mid / drawdown samples
 *   round-trips.csv   closed round trips
 *   *.parquet         typed Parquet copies of the four tables (DuckDB), unless parquet: false
 * The content comes from pure builders in core; this file only does the I/O.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { computeMetrics } from '../../core/backtest/analytics/metrics.ts';
import { type ReportInput, renderHtmlReport } from '../../core/backtest/report/html-report.ts';
import { metricsToJson } from '../../core/backtest/report/metrics-json.ts';
import { runTables } from '../../core/backtest/report/run-tables.ts';
import { csvToParquet, type ParquetJob } from './csv-to-parquet.ts';

export interface WriteRunOptions {
  /** Also write Parquet copies of the tables (default true). */
  readonly parquet?: boolean;
}

export interface WrittenRun {
  readonly dir: string;
  /** Absolute paths of the files written, in writing order. */
  readonly files: readonly string[];
}

export async function writeRunReport(
  outDir: string,
  input: ReportInput,
  options: WriteRunOptions = {},
): Promise<WrittenRun> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const metrics = input.metrics ?? computeMetrics(input.result);
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    files.push(path);
    return path;
  };
  await write('report.html', renderHtmlReport({ ...input, metrics }));
  await write('metrics.json', metricsToJson(metrics));
  const jobs: ParquetJob[] = [];
  for (const table of runTables(input.result)) {
    const csvPath = await write(`${table.name}.csv`, table.csv);
    jobs.push({ csvPath, parquetPath: join(dir, `${table.name}.parquet`), schema: table.schema });
  }
  if (options.parquet !== false) {
    await csvToParquet(jobs);
    files.push(...jobs.map((j) => j.parquetPath));
  }
  return { dir, files };
}
