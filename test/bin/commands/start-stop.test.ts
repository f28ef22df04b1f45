/**
 * Ctrl-C ends `npm start` within 5 s whatever the recorder is doing, with a last line that counts
 * what was not written; a second Ctrl-C exits at once. Real child processes (the whole stack: the
 * simulators, connectors, recorder), so each run takes a few seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/start-with-sink.ts', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  /** Resolves when `pattern` has appeared in the output. */
  seen: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exit: Promise<{ code: number | null; at: number }>;
}

function start(mode: 'stuck' | 'blocked'): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: performance.now() })),
  );
  const seen = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${text}`)), timeoutMs);
      const check = () => {
        if (pattern.test(text)) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { child, output: () => text, seen, exit };
}

describe('stopping npm start', () => {
  it('Ctrl-C with the recorder stuck in a write: exits within 5 s, counting the rows not written', async () => {
    const run = start('stuck');
    try {
      await run.seen(/dashboard {2}http/);
      await run.seen(/stuck sink: a write arrived/, 30_000);
      const sent = performance.now();
      run.child.kill('SIGINT');
      const { code, at } = await run.exit;
      const tookMs = at - sent;
      expect(tookMs).toBeLessThan(5_000);
      expect(code).toBe(1);
      const last = run.output().trim().split('\n').at(-1)!;
      expect(last).toMatch(
        /stopped in \d+ ms; recorder: 0 rows written in 0 files; .*\d+ in a write still running at exit/,
      );
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('SIGTERM then Ctrl-C with every write failing (a file where the data folder should be): the second exits at once', async () => {
    const run = start('blocked');
    try {
      await run.seen(/recorder: write failed \(.*ENOTDIR|recorder: write failed/, 30_000);
      run.child.kill('SIGTERM');
      await run.seen(/stopping \(SIGTERM/);
      const sent = performance.now();
      run.child.kill('SIGINT');
      const { code, at } = await run.exit;
      expect(at - sent).toBeLessThan(1_000);
      expect(code).toBe(130);
      expect(run.output()).toMatch(/SIGINT again: exiting now; \d+ recorded rows not written/);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);
});
