/**
 * `npm run cli -- replay-check <data dir> [--json]`: replay the last paper session recorded by
 * `npm start` in `<data dir>` through the same runner, strategy, parameters, seed and models, and
 * compare its orders and fills with the session's journal (fargate/trading/replay-check.ts).
 * Prints `{orders, fills, matched, firstDivergence}` with --json; exit 0 only when all matched.
 */
import type { Command } from 'commander';
import { replayCheck } from '../../fargate/trading/replay-check.ts';

export function register(program: Command): void {
  program
    .command('replay-check')
    .description('Replay a recorded paper session to the same orders and fills, checked against its journal')
    .argument('<dir>', 'the data dir npm start recorded into (raw/ and journal/)')
    .option('--json', 'print one JSON object')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const r = await replayCheck(dir);
      if (opts.json) console.log(JSON.stringify(r));
      else {
        console.log(
          `orders ${r.orders}, fills ${r.fills}, matched ${r.matched} of ${r.orders + r.fills} decisions`,
        );
        if (r.firstDivergence)
          console.log(
            `first divergence at #${r.firstDivergence.index}:\n  journal: ${r.firstDivergence.expected ?? '(nothing)'}\n  replay:  ${r.firstDivergence.actual ?? '(nothing)'}`,
          );
        else console.log('every order and fill matched');
      }
      process.exitCode = r.firstDivergence ? 1 : 0;
    });
}
