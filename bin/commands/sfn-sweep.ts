/**
 * `npm run cli -- sfn-sweep` — `npm run sweep`'s options (--strategy, --data, --grid, --metric,
 * --fast, --walk-forward, --from/--to/--symbols/--params/--seed/--queue/--latency-ms, --out), or
 * `--input <file|json>` (the Step Functions console's input form, config/sweep-input.example.json),
 * run through the backtest sweep state machine on this machine (local/sfn/run-local-sweep.ts):
 * the deployed definition, with DuckDB in place of Athena over --data (a recording) and the
 * Distributed Map run inline. Writes the report files and sweep.json into --out, the same files
 * `npm run sweep` writes. docs/sweeps-on-step-functions.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { GridAxis } from '../../local/backtest/cli-args.ts';
import { type CommandIo, consoleIo } from '../../local/backtest/command-io.ts';
import { LOCAL_RESOURCES, runLocalSweep } from '../../local/sfn/run-local-sweep.ts';
import { parseSweepInput, type SweepInputDocument } from '../../stepfunctions/sweep/sweep-input.ts';
import { addRunOptions } from './backtest.ts';
import { addSweepOptions, type SweepCommandOptions, toSweepOptions } from './sweep.ts';

export interface SfnSweepOptions extends Partial<Omit<SweepCommandOptions, 'data'>> {
  readonly data: string;
  /** The console's input JSON (a file path or the JSON itself); replaces the run flags. */
  readonly input?: string;
}

export interface SfnSweepResult {
  readonly output: unknown;
  readonly outDir: string;
  readonly files: readonly string[];
  readonly seconds: number;
}

/** µs since the epoch → ISO 8601 with all six fractional digits (isoTime reads it back exactly). */
function isoMicros(us: number): string {
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(((us % 1000) + 1000) % 1000).padStart(3, '0')}Z`;
}

/** The console input `npm run sweep`'s flags describe. */
export function inputFromFlags(opts: SfnSweepOptions): SweepInputDocument {
  if (!opts.strategy) throw new Error('sfn-sweep: give --strategy (or --input)');
  if (!opts.grid || opts.grid.length === 0)
    throw new Error('sfn-sweep: give at least one --grid name=v1,v2,… (or --input)');
  if (opts.latencyOffsetsMs)
    throw new Error('sfn-sweep: --latency is not part of the state machine; run npm run sweep');
  return {
    strategy: opts.strategy,
    ...(opts.scenario ? { scenario: opts.scenario } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    data: {
      ...(opts.from !== undefined ? { from: isoMicros(opts.from) } : {}),
      ...(opts.to !== undefined ? { to: isoMicros(opts.to) } : {}),
      ...(opts.symbols && opts.symbols.length > 0 ? { symbols: [...opts.symbols] } : {}),
      source: opts.data,
    },
    grid: Object.fromEntries(opts.grid.map((a: GridAxis) => [a.name, [...a.values]])),
    params: { ...opts.params },
    ...(opts.metric ? { metric: opts.metric } : {}),
    ...(opts.fast ? { fast: true } : {}),
    ...(opts.queue ? { queue: opts.queue } : {}),
    ...(opts.latencyUs !== undefined ? { latencyMs: opts.latencyUs / 1000 } : {}),
    ...(opts.walkForward ? { walkForward: { ...opts.walkForward } } : {}),
  };
}

function readInput(text: string, data: string): unknown {
  const json = existsSync(text) ? readFileSync(text, 'utf8') : text;
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (error) {
    throw new Error(`--input: neither a file nor JSON (${error instanceof Error ? error.message : error})`);
  }
  if (
    doc &&
    typeof doc === 'object' &&
    (doc as { data?: unknown }).data &&
    typeof (doc as { data: unknown }).data === 'object'
  ) {
    const d = (doc as { data: Record<string, unknown> }).data;
    if (d.source === undefined) d.source = data;
  }
  return doc;
}

export async function runSfnSweepCommand(
  opts: SfnSweepOptions,
  io: CommandIo = consoleIo(opts.quiet),
): Promise<SfnSweepResult> {
  const input = opts.input !== undefined ? readInput(opts.input, opts.data) : inputFromFlags(opts);
  parseSweepInput(input);
  const started = process.hrtime.bigint();
  const store = await mkdtemp(join(tmpdir(), 'sfn-sweep-store-'));
  try {
    io.status(`sfn-sweep: running the state machine locally (store ${store}) …`);
    const executionName = `local-${Date.now().toString(36)}`;
    const { output } = await runLocalSweep({ input, recording: opts.data, storeRoot: store, executionName });
    const report = output as { bucket: string; reportPrefix: string; runId: string; failed: string[] };
    const outDir = resolve(opts.out ?? join('results', report.runId));
    const from = join(
      store,
      report.bucket ?? LOCAL_RESOURCES.resultsBucket,
      ...report.reportPrefix.split('/').filter(Boolean),
    );
    await cp(from, outDir, { recursive: true });
    const files = (await readdir(outDir, { recursive: true })).map((f) => join(outDir, String(f)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    io.log(
      [
        `sfn-sweep ${report.runId}: the state machine succeeded in ${seconds.toFixed(1)} s`,
        ...(report.failed.length > 0 ? [`failed items (tolerated): ${report.failed.join(', ')}`] : []),
        `report: ${join(outDir, 'report.html')}`,
        `sweep.json: ${join(outDir, 'sweep.json')}`,
      ].join('\n'),
    );
    return { output, outDir, files, seconds };
  } finally {
    await rm(store, { recursive: true, force: true });
  }
}

export function register(
  program: Command,
  run: (opts: SfnSweepOptions) => Promise<unknown> = (opts) => runSfnSweepCommand(opts),
): Command {
  const cmd = program
    .command('sfn-sweep')
    .description(
      'The sweep as the Step Functions state machine, run locally (DuckDB for Athena, inline Map)',
    );
  addSweepOptions(addRunOptions(cmd, false)).option(
    '--input <file|json>',
    "the Step Functions console's input JSON (config/sweep-input.example.json) instead of the run flags",
  );
  // With --input the strategy and grid come from the JSON.
  for (const o of cmd.options) if (o.long === '--strategy' || o.long === '--grid') o.mandatory = false;
  cmd.action(async (flags: Parameters<typeof toSweepOptions>[0] & { input?: string }) => {
    const { input, ...rest } = flags;
    await run({ ...toSweepOptions(rest), ...(input !== undefined ? { input } : {}) });
  });
  return cmd;
}
