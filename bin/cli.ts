#!/usr/bin/env -S npx tsx
/**
 * The platform's command line. `npm run cli -- <command>`; `npm start` runs `start`.
 */
import { Command, InvalidArgumentError } from 'commander';
import { booksJson, formatBooks, runBooks } from './commands/books.ts';
import { runStart } from './commands/start.ts';

function positiveInt(value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n < 1 || String(n) !== value.trim())
    throw new InvalidArgumentError('a positive integer');
  return n;
}

const program = new Command()
  .name('cli')
  .description('Crypto trading platform: exact order books, recording, backtests, risk-limited trading.')
  .showHelpAfterError();

program
  .command('books')
  .description('Replay a recorded capture (file or folder) through the venue feeds and show the books')
  .argument('<capture>', 'capture file (.ws, .gz hftbacktest, .zip JSON lines) or a folder of them')
  .option('--repeat <n>', 'replay rounds for the throughput figure', positiveInt, 1)
  .option('--json', 'print one JSON object')
  .action((capture: string, opts: { repeat: number; json?: boolean }) => {
    const result = runBooks(capture, opts.repeat);
    console.log(opts.json ? booksJson(result) : formatBooks(result));
  });

program
  .command('start')
  .description('The embedded default: replay the bundled real captures of all five venues and show the books')
  .action(() => {
    runStart();
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
