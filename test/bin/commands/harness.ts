/** Helpers for the command tests: parse argv with commander without exiting, and capture output. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import type { CommandIo } from '../../../local/backtest/command-io.ts';

export interface Parsed<T> {
  readonly options?: T;
  /** Commander's error text when parsing failed. */
  readonly error?: string;
}

/** Register a command with a stub action and parse `args` (after the command name). */
export async function parseWith<T>(
  register: (program: Command, run: (opts: T) => Promise<unknown>) => unknown,
  args: readonly string[],
): Promise<Parsed<T>> {
  let options: T | undefined;
  let stderr = '';
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => {} });
  register(program, async (opts) => {
    options = opts;
  });
  try {
    await program.parseAsync(['node', 'cli', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) return { error: stderr || error.message };
    throw error;
  }
  return { ...(options !== undefined ? { options } : {}) };
}

/** An io that records stdout and status lines; the progress bar is off (stderr is not a TTY). */
export function captureIo(): CommandIo & { readonly out: string[]; readonly statuses: string[] } {
  const out: string[] = [];
  const statuses: string[] = [];
  const sink = new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
  return {
    out,
    statuses,
    log: (line) => out.push(line),
    status: (line) => statuses.push(line),
    stderr: sink,
  };
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
