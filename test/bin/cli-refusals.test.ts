/**
 * What a user sees when `npm start` (or a command) cannot run: the real CLI in a child process, one
 * line on stderr, a non-zero exit, and nothing started or written. Few and fast: each child stops
 * before any simulator or recorder would start.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USDM } from './commands/data.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = join(ROOT, 'config');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bin/cli.ts'), ...args],
      { cwd: ROOT, timeout: 25_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the CLI refuses to start, with one line and nothing started', () => {
  let root: string;
  let busy: Server;
  let busyPort: number;

  /** A copy of the bundled config folder with one file changed. */
  function configWith(name: string, edit: (text: string) => string): string {
    const dir = mkdtempSync(join(root, 'config-'));
    for (const f of readdirSync(CONFIG).filter((f) => f.endsWith('.json')))
      copyFileSync(join(CONFIG, f), join(dir, f));
    writeFileSync(join(dir, name), edit(readFileSync(join(dir, name), 'utf8')));
    return dir;
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cli-refusals-'));
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((done) => busy.close(() => done()));
    rmSync(root, { recursive: true, force: true });
  });

  it('a depth stream Binance spot does not offer: the file, the path, expected and received', async () => {
    const config = configWith('venues.json', (t) => {
      const edited = t.replace('"depthStream": "depth@100ms"', '"depthStream": "depth@1ms"');
      expect(edited).not.toBe(t);
      return edited;
    });
    const data = join(root, 'data-venues');
    const run = await cli(['start', '--config-dir', config, '--data', data, '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `${join(config, 'venues.json')}: venues.binance.depthStream: expected one of depth|depth@100ms, received "depth@1ms"\n`,
    );
    expect(run.stdout).toBe('');
    expect(existsSync(data)).toBe(false);
  });

  it('a port in use: one line, no data folder; a broken scenarios file does not concern start', async () => {
    const config = configWith('scenarios.json', () => '{ "scenarios": ');
    const data = join(root, 'data-port');
    const run = await cli(['start', '--config-dir', config, '--data', data, '--port', String(busyPort)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `port ${busyPort} is in use (another process is listening on 127.0.0.1:${busyPort}); choose another with --port <n> or PORT\n`,
    );
    expect(run.stdout).toBe('');
    expect(existsSync(data)).toBe(false);
  });

  it('a broken scenarios file fails backtest with its line, not a stack trace', async () => {
    const config = configWith('scenarios.json', () => '{\n  "scenarios": {\n    x\n');
    const out = join(root, 'results');
    const run = await cli([
      'backtest',
      '--config-dir',
      config,
      '--strategy',
      'market-maker',
      '--scenario',
      'balanced',
      '--data',
      USDM,
      '--out',
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^${join(config, 'scenarios.json')}: not valid JSON: [^\\n]* at line 3, column 5\\n$`),
    );
    expect(existsSync(out)).toBe(false);
  });
});
