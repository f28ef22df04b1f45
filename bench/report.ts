/** Printing and saving benchmark results. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Measurement } from './harness.ts';

export interface CaseResult {
  readonly case: string;
  readonly implementation: string;
  readonly levelChangesPerSecond: { median: number; min: number; max: number };
  /** Median ÷ the tardis-dev median of the same case. */
  readonly ratioToTardis: number;
  readonly runs: number;
  readonly roundsPerRun: number;
  readonly medianRunSeconds: number;
}

export function caseResults(measurements: readonly Measurement[]): CaseResult[] {
  return measurements.map((m) => {
    const baseline = measurements.find((x) => x.bench.caseId === m.bench.caseId && x.bench.isBaseline);
    const s = m.summary!;
    const secs = [...m.seconds].sort((a, b) => a - b);
    return {
      case: m.bench.caseId,
      implementation: m.bench.name,
      levelChangesPerSecond: { median: Math.round(s.median), min: Math.round(s.min), max: Math.round(s.max) },
      ratioToTardis: baseline ? round(s.median / baseline.summary!.median, 2) : Number.NaN,
      runs: s.runs,
      roundsPerRun: m.rounds,
      medianRunSeconds: round(secs[secs.length >> 1] ?? Number.NaN, 3),
    };
  });
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function millions(x: number): string {
  return `${(x / 1e6).toFixed(2)} M`;
}

export function formatTable(title: string, rows: readonly CaseResult[]): string {
  const header = ['case', 'implementation', 'level changes/s (median)', 'min – max', 'vs tardis-dev', 'run'];
  const body = rows.map((r) => [
    r.case,
    r.implementation,
    millions(r.levelChangesPerSecond.median),
    `${millions(r.levelChangesPerSecond.min)} – ${millions(r.levelChangesPerSecond.max)}`,
    Number.isNaN(r.ratioToTardis) ? '' : `${r.ratioToTardis.toFixed(2)}×`,
    `${r.runs}× ${r.roundsPerRun} rnd, ${r.medianRunSeconds.toFixed(2)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
