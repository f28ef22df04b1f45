/**
 * A finished sweep's files: report.html (the best run's report with the sweep heatmap + ranked
 * table, walk-forward and latency sections, and a Monte Carlo bootstrap of the best run's round
 * trips), the best run's metrics/trades tables, sweep.json and sweep.csv. One writer for `npm run
 * sweep` and the Step Functions report step, so both produce the same files from the same outcome.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bootstrapRoundTrips } from '../../../core/backtest/analytics/monte-carlo.ts';
import { formatFastModeError } from '../../../core/backtest/engine/fast-mode.ts';
import { writeRunReport } from '../../report/write-run-report.ts';
import { describeSizing } from '../prepare-run.ts';
import type { Sizing } from '../scenario-sizing.ts';
import type { SweepOutcome } from './run-sweep.ts';
import { type SweepMeta, sweepCsv, sweepJson } from './sweep-files.ts';

export interface SweepReportInput {
  readonly outcome: SweepOutcome;
  readonly meta: SweepMeta;
  readonly sizing: Sizing | undefined;
  /** The files the tape was read from (a note in the report). */
  readonly dataFiles: readonly string[];
  /** Write Parquet copies of the tables (default true). */
  readonly parquet?: boolean;
}

export interface WrittenSweep {
  readonly dir: string;
  /** Absolute paths, report files first, then sweep.json and sweep.csv. */
  readonly files: readonly string[];
}

export async function writeSweepReport(outDir: string, input: SweepReportInput): Promise<WrittenSweep> {
  const { outcome, meta } = input;
  const best = outcome.best;
  const monteCarlo = bootstrapRoundTrips(best.result.roundTrips, best.result.initialCapital, {
    seed: meta.seed,
  });
  const notes = [
    `Parameter sweep of ${outcome.rows.length} sets, ranked by ${outcome.metric}; search in ${outcome.mode} mode, ` +
      'the best set re-run in full mode for this report (every plot above is that run).',
    describeSizing(meta.scenario, input.sizing),
    `Data: ${input.dataFiles.join(', ')}`,
    ...(outcome.fastError ? [formatFastModeError(outcome.fastError)] : []),
  ];
  const written = await writeRunReport(
    outDir,
    {
      result: best.result,
      metrics: best.metrics,
      monteCarlo,
      sweep: { rows: outcome.rows, metric: outcome.metric },
      ...(outcome.walkForward
        ? { walkForward: { folds: outcome.walkForward.folds, metric: outcome.metric } }
        : {}),
      ...(outcome.latency ? { latency: outcome.latency } : {}),
      title: `Sweep: ${meta.strategy} · ${meta.scenario}`,
      notes,
    },
    { parquet: input.parquet ?? true },
  );
  const jsonPath = join(written.dir, 'sweep.json');
  const csvPath = join(written.dir, 'sweep.csv');
  await writeFile(jsonPath, sweepJson(outcome, meta), 'utf8');
  await writeFile(csvPath, sweepCsv(outcome), 'utf8');
  return { dir: written.dir, files: [...written.files, jsonPath, csvPath] };
}
