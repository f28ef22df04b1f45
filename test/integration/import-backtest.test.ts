/**
 * Imported history end to end, in child processes as a user runs it: `cli import` a Tardis
 * book_snapshot_5 sample (real, test/fixtures/tardis) plus a Tardis trades file written here over the
 * same 0.5 s (the fixtures hold no trades of a venue the platform has), then `backtest` twice and
 * `books` on what it wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOOK_CSV = join(ROOT, 'test/fixtures/tardis/nautilus_binance-futures_book_snapshot_5_BTCUSDT.csv');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bin/cli.ts'), ...args],
      { cwd: ROOT, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** The top of book after the CSV's last row, recomputed from its columns (best bid = highest bid price). */
function lastTopOfBook(csv: string): { bid: string; ask: string } {
  const [head, ...lines] = csv.trim().split('\n');
  const col = head!.split(',');
  const v = lines[lines.length - 1]!.split(',');
  const side = (name: 'bids' | 'asks') =>
    col
      .map((c, i) => (c.startsWith(`${name}[`) && c.endsWith('].price') ? v[i]! : ''))
      .filter((p, i) => p !== '' && Number(v[col.indexOf(col[i]!.replace('.price', '.amount'))]) > 0);
  const bids = side('bids').sort((a, b) => Number(b) - Number(a));
  const asks = side('asks').sort((a, b) => Number(a) - Number(b));
  return { bid: bids[0]!, ask: asks[0]! };
}

/** Trades crossing the book both ways every 35 ms inside the book file's receive times. */
function tradesCsv(): string {
  const lines = ['exchange,symbol,timestamp,local_timestamp,id,side,price,amount'];
  for (let i = 0; i < 12; i++) {
    const t = 1_598_918_403_850_000 + i * 35_000;
    const sell = i % 2 === 0;
    lines.push(
      `binance-futures,BTCUSDT,${t},${t + 4000},${1000 + i},${sell ? 'sell' : 'buy'},${sell ? '11650.00' : '11665.00'},0.500`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('cli import, then backtest and books on the rows', () => {
  it('backtests imported Tardis rows deterministically with fills, and books prints the CSV top of book', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'import-backtest-'));
    dirs.push(tmp);
    const trades = join(tmp, 'binance-futures_trades_2020-09-01_BTCUSDT.csv');
    writeFileSync(trades, tradesCsv());
    const rec = join(tmp, 'rec');
    const imported = await cli(['import', BOOK_CSV, trades, '--out', rec, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 22, rejected: 0 });

    const run = (out: string) =>
      cli([
        'backtest',
        '--strategy',
        'market-maker',
        '--scenario',
        'balanced',
        '--data',
        rec,
        '--out',
        join(tmp, out),
        '--no-parquet',
        '-q',
      ]);
    const [a, b] = [await run('a'), await run('b')];
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const metricsA = readFileSync(join(tmp, 'a', 'metrics.json'), 'utf8');
    expect(readFileSync(join(tmp, 'b', 'metrics.json'), 'utf8')).toBe(metricsA);
    expect(readFileSync(join(tmp, 'b', 'trades.csv'), 'utf8')).toBe(
      readFileSync(join(tmp, 'a', 'trades.csv'), 'utf8'),
    );
    const m = JSON.parse(metricsA) as Record<string, unknown>;
    expect(m.numFills as number).toBeGreaterThan(0);
    // 0.48 s of data: per-sample and over-the-run figures, no annualized ones.
    expect(m.annualized).toBe(false);
    expect(m.sharpe).toBeNull();
    expect(typeof m.sharpeOverPeriod).toBe('number');
    // 10 book rows (Clear + 10 snapshot levels, then diffs) and 12 trades made the tape.
    expect(a.stdout).toMatch(/\b38 rows in /);
    expect(a.stdout).toMatch(/Not annualized: the run covers 478 ms/);

    const books = await cli(['books', rec]);
    expect(books.code, books.stderr).toBe(0);
    const top = lastTopOfBook(readFileSync(BOOK_CSV, 'utf8'));
    const line = books.stdout.split('\n').find((l) => l.startsWith('binance-futures'));
    expect(line?.split(/\s{2,}/).slice(0, 5)).toEqual([
      'binance-futures',
      'BTC/USDT:USDT',
      'trusted',
      top.bid,
      top.ask,
    ]);
    expect(books.stdout).toMatch(/messages 22 .* trades 12 /);

    const json = await cli(['books', rec, '--json']);
    const parsed = JSON.parse(json.stdout) as {
      books: Array<{ bestBidText: string; bestAskText: string; bidLevels: number }>;
    };
    expect(parsed.books).toHaveLength(1);
    expect(parsed.books[0]).toMatchObject({ bestBidText: top.bid, bestAskText: top.ask, bidLevels: 5 });
  }, 240_000);
});
