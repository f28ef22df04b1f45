/**
 * `npm run bench -- --suite day`: one synthetic day of Binance USD-M BTCUSDT (synthetic-day.ts: the
 * real 6-minute capture looped with consistent ids and times), written to a temporary folder as a
 * capture file and as a recording (record-day.ts), then, each as its own process (time-cli.ts):
 *
 * - `cli backtest` (market-maker, scenario balanced) over each form, timed from process start until
 *   the report is written and the process has exited;
 * - `cli books --json` over the capture form: its own timed replay (the feeds over every line,
 *   file reading excluded), against `JSON.parse` alone over the JSON of the same lines in this
 *   process, both divided into the same level-change count.
 *
 * `--day-fraction F` scales the day (default DEFAULT_DAY_FRACTION, a few minutes on two cores;
 * `--day-fraction 1` builds and times the full day: every reader streams, so size is bounded by disk).
 * Below a full day the full-day figures are also extrapolated: the CLI's start-up (timed alone,
 * `--help`) plus the rest scaled by 1 / fraction.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCaptureStream } from '../../local/capture/read-capture.ts';
import { parquetFiles } from '../../local/storage/duckdb.ts';
import { median } from '../stats.ts';
import { recordCaptureFile } from './record-day.ts';
import { dayTemplate, writeDayCapture } from './synthetic-day.ts';
import { timeCli } from './time-cli.ts';

/**
 * Of a 24 h day: ~13 loops of the capture, ~1.2 M lines, ~6 M tape rows, ~2 minutes on two cores.
 * The steps scale linearly, so a full day (`--day-fraction 1`: ~23 M lines, ~6.6 GB of JSON, ~120 M
 * rows) takes ~40 minutes here: too long for a default.
 */
export const DEFAULT_DAY_FRACTION = 0.05;
const DAY_SECONDS = 86_400;
const CAPTURE = resolve('test/fixtures/binance/hftbacktest_usdm_btcusdt_20240808.gz');

export interface DayBenchOptions {
  readonly fraction?: number;
  /** JSON.parse passes and `cli books --repeat` rounds (median / total). Default 3. */
  readonly rounds?: number;
  /** Keep the temporary folder (its path is logged). */
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

interface BacktestRun {
  /** Spawn → exit, report written. */
  readonly seconds: number;
  /** The engine's own run, as the CLI prints it. */
  readonly engineSeconds: number;
  readonly rows: number;
}

export interface DayBenchResult {
  /** End to end, recorded-Parquet form (what `npm start` leaves), measured at `dayFraction`. */
  readonly backtestSeconds: number;
  /** `cli books` over the capture form: level changes / its timed replay. */
  readonly booksLevelChangesPerSec: number;
  /** `JSON.parse` alone over the same lines: the same level changes / parse time (median pass). */
  readonly jsonParseLevelChangesPerSec: number;
  /** Measured share of 24 h: loops × loop length / 86 400 s. */
  readonly dayFraction: number;
  readonly loops: number;
  readonly loopSeconds: number;
  /** Tape rows of the backtest (level changes, trades, clears). */
  readonly rows: number;
  readonly captureLines: number;
  readonly captureBytes: number;
  readonly recordingBytes: number;
  readonly recordingFiles: number;
  readonly forms: { readonly capture: BacktestRun; readonly recording: BacktestRun };
  readonly books: {
    readonly seconds: number;
    readonly replaySeconds: number;
    readonly rounds: number;
    readonly messages: number;
    readonly levelChanges: number;
    readonly gaps: number;
    readonly resyncs: number;
    readonly rejected: number;
  };
  readonly jsonParse: { readonly seconds: number; readonly passes: number; readonly lines: number };
  /** `node --import tsx bin/cli.ts backtest --help`: process start and the backtest's module loading alone. */
  readonly cliStartupSeconds: number;
  /** Linear extrapolation to 24 h (start-up + rest / fraction); not measured. */
  readonly extrapolatedFullDay: {
    readonly backtestSeconds: number;
    readonly captureBacktestSeconds: number;
    readonly rows: number;
  };
  readonly generateSeconds: number;
}

const ROWS_LINE = /([\d,]+) rows in ([\d.]+) s/;

function runBacktest(data: string, out: string): BacktestRun {
  const run = timeCli([
    'backtest',
    '--strategy',
    'market-maker',
    '--scenario',
    'balanced',
    '--data',
    data,
    '--out',
    out,
    '--quiet',
  ]);
  if (!existsSync(join(out, 'report.html')))
    throw new Error(`backtest over ${data}: no report.html in ${out}`);
  const m = ROWS_LINE.exec(run.stdout);
  if (!m) throw new Error(`backtest over ${data}: no "rows in … s" line in its output`);
  return { seconds: run.seconds, engineSeconds: Number(m[2]), rows: Number(m[1]!.replaceAll(',', '')) };
}

interface BooksJson {
  messages: number;
  levelChanges: number;
  gaps: number;
  resyncs: number;
  rejected: number;
  throughput: { rounds: number; seconds: number };
}

/** Seconds inside JSON.parse over every record body of the capture (reading excluded). */
async function parseSeconds(capturePath: string, onObject: () => void): Promise<number> {
  let ns = 0n;
  const stream = await openCaptureStream(capturePath);
  for await (const batch of stream.batches) {
    const started = process.hrtime.bigint();
    for (const r of batch) if (typeof JSON.parse(r.body) === 'object') onObject();
    ns += process.hrtime.bigint() - started;
  }
  return Number(ns) / 1e9;
}

function folderBytes(files: readonly string[]): number {
  let n = 0;
  for (const f of files) n += statSync(f).size;
  return n;
}

export async function runDayBench(options: DayBenchOptions = {}): Promise<DayBenchResult> {
  const log = options.log ?? (() => {});
  const rounds = Math.max(1, Math.floor(options.rounds ?? 3));
  const generateStart = process.hrtime.bigint();
  const template = dayTemplate(CAPTURE);
  const loopSeconds = template.loopMs / 1000;
  const loops = Math.max(
    1,
    Math.round(((options.fraction ?? DEFAULT_DAY_FRACTION) * DAY_SECONDS) / loopSeconds),
  );
  const dayFraction = (loops * loopSeconds) / DAY_SECONDS;
  const dir = mkdtempSync(join(tmpdir(), 'day-bench-'));
  try {
    log(
      `day: ${loops} loops of ${loopSeconds.toFixed(1)} s (${(dayFraction * 100).toFixed(1)} % of 24 h) into ${dir}`,
    );
    const capturePath = join(dir, 'hftbacktest_usdm_btcusdt_20240808.gz');
    const written = writeDayCapture(template, loops, capturePath);
    const recordingRoot = join(dir, 'recording');
    const recorded = await recordCaptureFile(capturePath, recordingRoot);
    const recordingBytes = folderBytes(parquetFiles(recordingRoot));
    const generateSeconds = Number(process.hrtime.bigint() - generateStart) / 1e9;
    log(
      `day: ${written.lines} lines (${(statSync(capturePath).size / 1e6).toFixed(0)} MB gz), recording ${recorded.files} ` +
        `Parquet files (${(recordingBytes / 1e6).toFixed(0)} MB), built in ${generateSeconds.toFixed(1)} s`,
    );

    // The backtest's own start-up: the CLI loads only the module of the command it runs.
    const startup = timeCli(['backtest', '--help']).seconds;
    log(`day: cli start-up ${startup.toFixed(2)} s; books over the capture form …`);
    const booksRun = timeCli(['books', capturePath, '--json', '--repeat', String(rounds)]);
    const books = JSON.parse(booksRun.stdout) as BooksJson;
    if (books.gaps > 0 || books.rejected > 0 || books.resyncs > 0)
      throw new Error(
        `books over the synthetic day: ${books.gaps} gaps, ${books.rejected} rejected, ${books.resyncs} resyncs — the day is not one unbroken stream`,
      );
    // The summary is of one round (fresh feeds each round); the timed replay covers all of them.
    const booksRounds = books.throughput.rounds;

    // The floor: JSON.parse alone over the same lines' JSON, read as books reads them and, as books'
    // timed replay, timed batch by batch without the reading.
    const passes: number[] = [];
    let parsed = 0;
    for (let p = 0; p < rounds; p++) passes.push(await parseSeconds(capturePath, () => parsed++));
    if (parsed !== rounds * written.lines)
      throw new Error(`JSON.parse: ${parsed} objects of ${rounds} × ${written.lines} lines`);
    const parseSecondsMedian = median(passes);

    log('day: backtest over the capture form …');
    const capture = runBacktest(capturePath, join(dir, 'report-capture'));
    log('day: backtest over the recorded-Parquet form …');
    const recording = runBacktest(recordingRoot, join(dir, 'report-recording'));
    const extrapolate = (s: number) => startup + (s - startup) / dayFraction;
    return {
      backtestSeconds: recording.seconds,
      booksLevelChangesPerSec: (books.levelChanges * booksRounds) / books.throughput.seconds,
      jsonParseLevelChangesPerSec: books.levelChanges / parseSecondsMedian,
      dayFraction,
      loops,
      loopSeconds,
      rows: recording.rows,
      captureLines: written.lines,
      captureBytes: statSync(capturePath).size,
      recordingBytes,
      recordingFiles: recorded.files,
      forms: { capture, recording },
      books: {
        seconds: booksRun.seconds,
        replaySeconds: books.throughput.seconds,
        rounds: booksRounds,
        messages: books.messages,
        levelChanges: books.levelChanges,
        gaps: books.gaps,
        resyncs: books.resyncs,
        rejected: books.rejected,
      },
      jsonParse: { seconds: parseSecondsMedian, passes: rounds, lines: written.lines },
      cliStartupSeconds: startup,
      extrapolatedFullDay: {
        backtestSeconds: extrapolate(recording.seconds),
        captureBacktestSeconds: extrapolate(capture.seconds),
        rows: Math.round(recording.rows / dayFraction),
      },
      generateSeconds,
    };
  } finally {
    if (options.keep) log(`day: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
