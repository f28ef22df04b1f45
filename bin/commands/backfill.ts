/**
 * `cli backfill --exchange <id> --symbol <s> --from <date> --to <date> --out <dir>`: a venue's public
 * REST history (Binance aggTrades + klines, Bybit v5 recent trades + kline) into the recording layout,
 * weight-limited and resumable (local/backfill/run-backfill.ts; docs/import.md).
 */
import { type Command, InvalidArgumentError } from 'commander';
import {
  type BackfillDataset,
  type BackfillExchange,
  runBackfill,
} from '../../local/backfill/run-backfill.ts';

const EXCHANGES: readonly BackfillExchange[] = ['binance', 'binance-futures', 'bybit'];

function exchange(value: string): BackfillExchange {
  if (!(EXCHANGES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`one of ${EXCHANGES.join(', ')}`);
  return value as BackfillExchange;
}

/** ISO 8601 date or date-time, UTC unless it names an offset → ms. */
function date(value: string): number {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? `${value}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value)
      ? value
      : `${value}Z`;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError('an ISO 8601 date (2024-08-08) or date-time');
  return ms;
}

function datasets(value: string): BackfillDataset[] {
  const list = value.split(',').map((s) => s.trim());
  for (const d of list)
    if (d !== 'trades' && d !== 'klines') throw new InvalidArgumentError('trades, klines or both');
  return list as BackfillDataset[];
}

function category(value: string): 'spot' | 'linear' | 'inverse' {
  if (value !== 'spot' && value !== 'linear' && value !== 'inverse')
    throw new InvalidArgumentError('spot, linear or inverse');
  return value;
}

export function register(program: Command): void {
  program
    .command('backfill')
    .description(
      "Fetch a venue's public REST history (trades, klines) into a recording folder; resumes where it stopped",
    )
    .requiredOption('--exchange <id>', EXCHANGES.join(' | '), exchange)
    .requiredOption('--symbol <s>', 'venue symbol (BTCUSDT)')
    .requiredOption('--from <date>', 'start, ISO 8601 (UTC unless an offset is given)', date)
    .requiredOption('--to <date>', 'end (exclusive), ISO 8601', date)
    .requiredOption('--out <dir>', 'recording root to write into')
    .option('--data <list>', 'trades, klines or both', datasets, ['trades', 'klines'] as BackfillDataset[])
    .option('--interval <i>', 'kline interval (Binance 1m…1d, default 1m; Bybit 1…D, default 1)')
    .option('--category <c>', 'Bybit category: spot | linear | inverse (default linear)', category)
    .option('--rest <url>', "REST base URL (default the venue's; a simulator's for tests)")
    .option('-q, --quiet', 'no progress bar')
    .action(
      async (opts: {
        exchange: BackfillExchange;
        symbol: string;
        from: number;
        to: number;
        out: string;
        data: BackfillDataset[];
        interval?: string;
        category?: 'spot' | 'linear' | 'inverse';
        rest?: string;
        quiet?: boolean;
      }) => {
        const abort = new AbortController();
        const stop = (): void => abort.abort(new Error('interrupted: run the same command again to resume'));
        process.once('SIGINT', stop);
        try {
          const r = await runBackfill({
            exchange: opts.exchange,
            symbol: opts.symbol.toUpperCase(),
            fromMs: opts.from,
            toMs: opts.to,
            out: opts.out,
            datasets: opts.data,
            signal: abort.signal,
            ...(opts.interval ? { interval: opts.interval } : {}),
            ...(opts.category ? { category: opts.category } : {}),
            ...(opts.rest ? { rest: opts.rest } : {}),
            ...(opts.quiet ? { quiet: true } : {}),
          });
          const resumed = Object.entries(r.resumedFrom)
            .map(([d, ts]) => `${d} after ${new Date(ts / 1000).toISOString()}`)
            .join(', ');
          console.log(
            `backfill into ${r.out}: ${r.stored.trades.toLocaleString('en-US')} trades, ${r.stored.klines.toLocaleString('en-US')} klines in ${r.pages} pages` +
              `${resumed ? ` (resumed: ${resumed})` : ''}; ${r.limiter.grantedWeight} weight, ${r.limiter.delayed} requests waited for the limit`,
          );
        } finally {
          process.off('SIGINT', stop);
        }
      },
    );
}
