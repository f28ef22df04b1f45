/**
 * `cli import <files or folders…> --out <dir> [--exchange <id>]`: Tardis CSV and Binance public data
 * files into the recording layout (local/import/run-import.ts; docs/import.md).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { EXCHANGES, type ExchangeId, isExchangeId } from '../../core/market/exchange.ts';
import { formatImport, runImport } from '../../local/import/run-import.ts';

function exchangeId(value: string): ExchangeId {
  if (!isExchangeId(value)) throw new InvalidArgumentError(`one of ${EXCHANGES.join(', ')}`);
  return value;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('Import historical files (Tardis CSV, Binance public data zips) into a recording folder')
    .argument('<paths...>', 'files (.csv, .csv.gz, .zip) or folders of them')
    .requiredOption('--out <dir>', 'recording root to write into')
    .option('--exchange <id>', 'the venue, where the file names and contents do not tell', exchangeId)
    .option('--json', 'print the summary as JSON')
    .option('-q, --quiet', 'no progress bar')
    .action(
      async (
        paths: string[],
        opts: { out: string; exchange?: ExchangeId; json?: boolean; quiet?: boolean },
      ) => {
        const summary = await runImport(paths, {
          out: opts.out,
          ...(opts.exchange ? { exchange: opts.exchange } : {}),
          ...(opts.quiet ? { quiet: true } : {}),
        });
        console.log(opts.json ? JSON.stringify(summary, null, 2) : formatImport(summary));
        if (summary.files.some((f) => f.status === 'refused')) process.exitCode = 1;
      },
    );
}
