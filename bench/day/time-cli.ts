/**
 * Runs `bin/cli.ts` as its own process (node + tsx, as `npm run cli` does, without npm's own start-up)
 * and times it from spawn to exit: process start, module loading, reading the data, the work, and
 * writing the output — the wall time a user waits.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface CliRun {
  readonly seconds: number;
  readonly stdout: string;
}

export function timeCli(args: readonly string[]): CliRun {
  // From the project root: this file also runs bundled from .bench/.
  const cli = resolve('bin/cli.ts');
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.error) throw child.error;
  if (child.status !== 0)
    throw new Error(
      `cli ${args.join(' ')} exited ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`,
    );
  return { seconds, stdout: child.stdout };
}
