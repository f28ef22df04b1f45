/**
 * The extract of one execution as a prepared run (tape, sized parameters, simulator): downloaded
 * from the store into the function's /tmp once, loaded once per warm container. prepareRun is the
 * function `npm run sweep` uses, so each step sees the tape and parameters the CLI sees.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo } from '../../local/backtest/command-io.ts';
import { prepareRun } from '../../local/backtest/prepare-run.ts';
import { downloadPrefix, type ObjectStore } from './object-store.ts';
import { runInputOptions, type SweepInput } from './sweep-input.ts';
import type { SweepRun } from './sweep-state.ts';

export type PreparedRun = Awaited<ReturnType<typeof prepareRun>>;

const SILENT: CommandIo = { log: () => {}, status: () => {}, stderr: process.stderr };
const COMPLETE = '.complete';

let cached: { key: string; prepared: Promise<PreparedRun> } | undefined;

async function download(store: ObjectStore, run: SweepRun, dir: string): Promise<void> {
  if (existsSync(join(dir, COMPLETE))) return;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const count = await downloadPrefix(store, run.bucket, run.dataPrefix, dir);
  if (count === 0)
    throw new Error(`s3://${run.bucket}/${run.dataPrefix}: the extract is empty (no data in the range?)`);
  await writeFile(join(dir, COMPLETE), String(count));
}

export function preparedRun(store: ObjectStore, input: SweepInput, run: SweepRun): Promise<PreparedRun> {
  const key = JSON.stringify([run.bucket, run.prefix, input]);
  if (cached?.key === key) return cached.prepared;
  const dir = join(tmpdir(), 'sweep-data', run.prefix);
  const prepared = download(store, run, dir).then(() => prepareRun(runInputOptions(input, dir), SILENT));
  // A failure is not cached: the next invocation tries again.
  prepared.catch(() => {
    if (cached?.prepared === prepared) cached = undefined;
  });
  cached = { key, prepared };
  return prepared;
}
