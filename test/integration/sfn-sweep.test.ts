import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSfnSweepCommand } from '../../bin/commands/sfn-sweep.ts';
import { runSweepCommand } from '../../bin/commands/sweep.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { readCapture } from '../../local/capture/read-capture.ts';
import { ParquetSink } from '../../local/storage/parquet-sink.ts';
import { tempDir } from '../bin/commands/harness.ts';
import { fixture } from '../support/fixtures.ts';

const CAPTURE = fixture('binance/hftbacktest_usdm_btcusdt_20240808.gz');
const tmp = tempDir('sfn-sweep-');
afterAll(() => tmp.cleanup());

const silent = { log: () => {}, status: () => {}, stderr: process.stderr };

let recording: string;
let window: { from: number; to: number };

beforeAll(async () => {
  // A small recorded-Parquet fixture: the capture through the recorder, in the archive's layout.
  const capture = readCapture(CAPTURE);
  recording = join(tmp.dir, 'recording');
  const recorder = new Recorder({ sink: await ParquetSink.open({ root: recording }), pollIntervalMs: 0 });
  for (const r of capture.records) recorder.recordCapture(capture.exchange, r, 'conn-0');
  await recorder.close();
  const first = capture.records[0]!.localTs;
  window = { from: first + 60_000_000, to: first + 10 * 60_000_000 };
}, 30_000);

describe('sfn-sweep', () => {
  it('ranks the same rows, parameters and metrics, as npm run sweep — row for row', async () => {
    const common = {
      strategy: 'market-maker',
      scenario: 'balanced',
      data: recording,
      from: window.from,
      to: window.to,
      seed: 1,
      params: {},
      grid: [
        { name: 'spread_bps', values: ['2', '8'] },
        { name: 'order_size', values: ['0.001', '0.002'] },
      ],
      metric: 'pnl' as const,
      parquet: false,
      quiet: true,
    };
    const cli = await runSweepCommand({ ...common, workers: 0, out: join(tmp.dir, 'cli') }, silent);
    const sfn = await runSfnSweepCommand({ ...common, out: join(tmp.dir, 'sfn') }, silent);
    const a = JSON.parse(readFileSync(join(cli.outDir, 'sweep.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(sfn.outDir, 'sweep.json'), 'utf8'));
    expect(b.rows).toHaveLength(4);
    expect(b.rows).toEqual(a.rows);
    expect(b).toEqual(a);
    expect(sfn.files.some((f) => f.endsWith('report.html'))).toBe(true);
  }, 60_000);
});
