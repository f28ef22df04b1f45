import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  register,
  runSweepCommand,
  type SweepCommandOptions,
  type SweepCommandResult,
} from '../../../bin/commands/sweep.ts';
import { TO_US, USDM } from './data.ts';
import { captureIo, parseWith, tempDir } from './harness.ts';

const base = ['sweep', '--strategy', 'market-maker', '--data', USDM, '--grid', 'spread_bps=2,4'];

describe('sweep: argument parsing', () => {
  const parse = (args: string[]) => parseWith<SweepCommandOptions>(register, args);

  it('collects grid axes and the optional analyses with their defaults', async () => {
    const { options, error } = await parse([
      ...base,
      '--grid',
      'order_size=0.001,0.002',
      '--metric',
      'pnl',
      '--workers',
      '2',
      '--fast',
      '--walk-forward',
      '--latency',
    ]);
    expect(error).toBeUndefined();
    expect(options).toMatchObject({
      scenario: 'balanced',
      grid: [
        { name: 'spread_bps', values: ['2', '4'] },
        { name: 'order_size', values: ['0.001', '0.002'] },
      ],
      metric: 'pnl',
      workers: 2,
      fast: true,
      walkForward: { folds: 3, inSampleFraction: 0.6, anchored: false },
      latencyOffsetsMs: [0, 1, 5, 10, 50],
    });
  });

  it('reads explicit walk-forward and latency specs', async () => {
    const { options } = await parse([
      ...base,
      '--walk-forward',
      'folds=2,is=70%,anchored',
      '--latency',
      '0,2,20',
    ]);
    expect(options).toMatchObject({
      metric: 'sharpe',
      walkForward: { folds: 2, inSampleFraction: 0.7, anchored: true },
      latencyOffsetsMs: [0, 2, 20],
    });
    expect(options?.workers).toBeUndefined();
  });

  it.each([
    [['sweep', '--strategy', 'market-maker', '--data', USDM], /required option '--grid <name=v1,v2>'/],
    [[...base, '--grid', 'order_size='], /order_size: no values/],
    [[...base, '--grid', '=1,2'], /is not name=v1,v2/],
    [[...base, '--grid', 'spread_bps=1'], /spread_bps: given twice/],
    [[...base, '--grid', 'order_size=1,1'], /a value is repeated/],
    [[...base, '--metric', 'sharp'], /unknown metric "sharp" \(one of: initialCapital/],
    [[...base, '--workers', 'two'], /integer ≥ 0/],
    [[...base, '--walk-forward', 'folds=0'], /folds: expected an integer ≥ 1/],
    [[...base, '--walk-forward', 'is=1.2'], /is: expected a fraction in \(0, 1\)/],
    [[...base, '--walk-forward', 'oos=0.4'], /unknown key "oos"/],
    [[...base, '--latency', '5'], /at least two latencies/],
    [[...base, '--latency', '0,-1'], /"-1" is not a latency/],
  ])('rejects %j', async (args, message) => {
    const { options, error } = await parse(args);
    expect(options).toBeUndefined();
    expect(error).toMatch(message);
  });
});

describe('sweep: 2×2 grid with walk-forward and latency, 2 workers vs serial', () => {
  const tmp = tempDir('sweep-cmd-');
  afterAll(() => tmp.cleanup());
  const opts = (workers: number, out: string): SweepCommandOptions => ({
    strategy: 'market-maker',
    scenario: 'balanced',
    data: USDM,
    to: TO_US,
    seed: 3,
    grid: [
      { name: 'spread_bps', values: ['2', '4'] },
      { name: 'order_size', values: ['0.002', '0.003'] },
    ],
    metric: 'sharpe',
    workers,
    walkForward: { folds: 2, inSampleFraction: 0.6, anchored: false },
    latencyOffsetsMs: [0, 1, 5, 10, 50],
    out,
    parquet: false,
    quiet: true,
  });
  let parallel: SweepCommandResult;
  let serial: SweepCommandResult;
  let text: string;

  beforeAll(async () => {
    const io = captureIo();
    parallel = await runSweepCommand(opts(2, join(tmp.dir, 'parallel')), io);
    text = io.out.join('\n');
    serial = await runSweepCommand(opts(0, join(tmp.dir, 'serial')), captureIo());
  }, 60_000);

  it('runs in worker threads and ranks exactly like the serial run', () => {
    expect(parallel.outcome.workers).toBe(2);
    expect(serial.outcome.workers).toBe(0);
    const ranked = parallel.outcome.ranked;
    expect(ranked).toHaveLength(4);
    expect(ranked[0]!.rank).toBe(1);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.rank).toBeGreaterThan(ranked[i - 1]!.rank);
    expect(ranked).toEqual(serial.outcome.ranked);
    // Best first by Sharpe, and every grid point once.
    for (let i = 1; i < ranked.length; i++)
      expect(ranked[i - 1]!.value).toBeGreaterThanOrEqual(ranked[i]!.value);
    expect(new Set(ranked.map((r) => `${r.params.spread_bps}/${r.params.order_size}`)).size).toBe(4);
    expect(ranked[0]!.params).toEqual(parallel.outcome.best.gridParams);
    expect(readFileSync(join(parallel.outDir, 'sweep.csv'), 'utf8')).toBe(
      readFileSync(join(serial.outDir, 'sweep.csv'), 'utf8'),
    );
    expect(readFileSync(join(parallel.outDir, 'metrics.json'), 'utf8')).toBe(
      readFileSync(join(serial.outDir, 'metrics.json'), 'utf8'),
    );
  });

  it('walk-forward: one IS/OOS row per fold, OOS right after IS, the same in both runs', () => {
    const wf = parallel.outcome.walkForward!;
    expect(wf.folds).toHaveLength(2);
    expect(wf.summary.folds).toHaveLength(2);
    for (const f of wf.folds) {
      expect(f.window.inSample.end).toBe(f.window.outOfSample.start);
      const is = f.window.inSample.end - f.window.inSample.start;
      const oos = f.window.outOfSample.end - f.window.outOfSample.start;
      expect(is / (is + oos)).toBeCloseTo(0.6, 3);
      expect(f.outOfSample.periodSec).toBeGreaterThan(0);
    }
    expect(wf.folds[1]!.window.outOfSample.end).toBe(parallel.outcome.best.result.endTs + 1);
    expect(wf.bestParams).toHaveLength(2);
    expect(wf).toEqual(serial.outcome.walkForward);
    expect(text).toMatch(/walk-forward: 2 fold\(s\), 60\/40 rolling/);
  });

  it('latency sensitivity: 5 points with a slope', () => {
    const l = parallel.outcome.latency!;
    expect(l.points.map((p) => p.addedLatencyMs)).toEqual([0, 1, 5, 10, 50]);
    expect(l.points[0]!.pnl).toBe(parallel.outcome.best.metrics.pnl);
    expect(Number.isFinite(l.slopePerMs)).toBe(true);
    expect(l).toEqual(serial.outcome.latency);
    expect(text).toMatch(/\+50 ms/);
    expect(text).toMatch(/sensitivity: .* per ms/);
  });

  it('writes the report with heatmap, ranked table, walk-forward and latency sections, sweep.json/csv', () => {
    const html = readFileSync(join(parallel.outDir, 'report.html'), 'utf8');
    for (const plot of ['sweep-heatmap', 'walk-forward', 'latency', 'mc-return', 'equity'])
      expect(html, plot).toContain(`data-plot="${plot}"`);
    const json = JSON.parse(readFileSync(join(parallel.outDir, 'sweep.json'), 'utf8'));
    expect(json.rows).toHaveLength(4);
    expect(json.rows[0]).toMatchObject({ rank: 1, params: parallel.outcome.ranked[0]!.params });
    expect(json.walkForward.rows).toHaveLength(2);
    expect(json.latency.points).toHaveLength(5);
    const csv = readFileSync(join(parallel.outDir, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^rank,spread_bps,order_size,initialCapital,/);
    expect(csv).toHaveLength(5);
    // Minutes of data: ranked by the per-sample Sharpe, named as such.
    expect(text).toMatch(/rank\s+spread_bps\s+order_size\s+sharpePerSample/);
    expect(text).toMatch(/ranked by sharpePerSample \(Sharpe per sample, standing in for sharpe/);
  });
});

describe('sweep --fast', () => {
  const tmp = tempDir('sweep-fast-');
  afterAll(() => tmp.cleanup());

  it('searches in fast mode, re-runs the best in full mode and prints the measured error', async () => {
    const io = captureIo();
    const run = await runSweepCommand(
      {
        strategy: 'market-maker',
        scenario: 'conservative',
        data: USDM,
        to: TO_US,
        seed: 1,
        grid: [{ name: 'spread_bps', values: ['2', '4'] }],
        metric: 'pnl',
        workers: 0,
        fast: true,
        walkForward: { folds: 2, inSampleFraction: 0.6, anchored: false },
        out: tmp.dir,
        parquet: false,
        quiet: true,
      },
      io,
    );
    expect(run.outcome.mode).toBe('fast');
    const e = run.outcome.fastError!;
    expect(e.full.pnl).toBe(run.outcome.best.metrics.pnl); // the full side is the reported best run
    expect(e.rowRatio).toBeLessThan(1);
    // 2 points × (whole + 2 in-sample windows) searched fast; then in full mode: the best, its fast-mode
    // error, and per fold the in-sample winner on its in-sample and out-of-sample windows.
    expect(run.outcome.runs).toBe(2 * 3 + 1 + 1 + 2 * 2);
    expect(run.outcome.walkForward!.folds).toHaveLength(2);
    expect(io.out.join('\n')).toMatch(/fast mode vs full: PnL .* fills \d+ vs \d+/);
  });
});
