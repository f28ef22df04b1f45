import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRunReport } from '../../../local/report/write-run-report.ts';
import { HAND_RESULT } from '../../core/backtest/analytics/hand-result.ts';
import { randomResult } from '../../core/backtest/analytics/random-result.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'run-report-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('writeRunReport', () => {
  it('writes report, metrics, CSVs and typed Parquet copies', async () => {
    const out = join(tempDir(), 'nested', 'run-1');
    const written = await writeRunReport(out, { result: HAND_RESULT });
    const names = written.files.map((f) => f.slice(out.length + 1));
    expect(names).toEqual([
      'report.html',
      'metrics.json',
      'trades.csv',
      'orders.csv',
      'equity.csv',
      'round-trips.csv',
      'trades.parquet',
      'orders.parquet',
      'equity.parquet',
      'round-trips.parquet',
    ]);
    for (const f of written.files) expect(existsSync(f), f).toBe(true);

    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    expect(metrics.totalReturn).toBeCloseTo(0.001468, 12);
    expect(metrics.profitFactor).toBeNull();
    // A 4 s run: the annualized figures are null (not annualized), flagged NaN.
    expect(metrics.nonFinite).toEqual({
      profitFactor: 'Infinity',
      annualizedReturn: 'NaN',
      volatility: 'NaN',
      sharpe: 'NaN',
      sortino: 'NaN',
    });

    const trades = await query(`SELECT * FROM read_parquet('${join(out, 'trades.parquet')}') ORDER BY ts`);
    expect(trades).toHaveLength(3);
    expect(trades[0]).toMatchObject({
      orderId: 'o1',
      side: 'buy',
      price: 10,
      size: 1,
      fee: 0.01,
      liquidity: 'maker',
    });
    expect(trades[0]!.ts).toBe(BigInt(HAND_RESULT.startTs + 1_000_000));

    const types = await query(`DESCRIBE SELECT * FROM read_parquet('${join(out, 'orders.parquet')}')`);
    const typeOf = Object.fromEntries(types.map((t) => [t.column_name, t.column_type]));
    expect(typeOf).toMatchObject({
      orderId: 'VARCHAR',
      price: 'DOUBLE',
      submittedTs: 'BIGINT',
      rejectReason: 'VARCHAR',
    });
    const orders = await query(
      `SELECT orderId, price, rejectReason FROM read_parquet('${join(out, 'orders.parquet')}') ORDER BY orderId`,
    );
    expect(orders[4]).toEqual({ orderId: 'o5', price: null, rejectReason: 'min_notional' });
    expect(orders[0]!.rejectReason).toBeNull();

    const equity = await query(
      `SELECT count(*) AS n, max(drawdown) AS dd FROM read_parquet('${join(out, 'equity.parquet')}')`,
    );
    expect(equity[0]!.n).toBe(5n);
    expect(equity[0]!.dd as number).toBeCloseTo(0.51 / 1001.978, 12);
  });

  it('an empty run still writes every file, Parquet tables with their schema and no rows', async () => {
    const out = tempDir();
    await writeRunReport(out, {
      result: { ...HAND_RESULT, orders: [], fills: [], roundTrips: [], equity: [] },
    });
    const rows = await query(`SELECT count(*) AS n FROM read_parquet('${join(out, 'trades.parquet')}')`);
    expect(rows[0]!.n).toBe(0n);
    const cols = await query(`DESCRIBE SELECT * FROM read_parquet('${join(out, 'trades.parquet')}')`);
    expect(cols.map((c) => c.column_name)).toContain('orderId');
  });

  it('Parquet row counts match the run, and CSV numbers read back exactly', async () => {
    const r = randomResult({ seed: 3, points: 2000 });
    const out = tempDir();
    await writeRunReport(out, { result: r });
    const n = await query(
      `SELECT (SELECT count(*) FROM read_parquet('${join(out, 'trades.parquet')}')) AS fills,
              (SELECT count(*) FROM read_parquet('${join(out, 'orders.parquet')}')) AS orders,
              (SELECT count(*) FROM read_parquet('${join(out, 'equity.parquet')}')) AS equity,
              (SELECT sum(fee) FROM read_parquet('${join(out, 'trades.parquet')}')) AS fees`,
    );
    expect(n[0]).toMatchObject({
      fills: BigInt(r.fills.length),
      orders: BigInt(r.orders.length),
      equity: 2000n,
    });
    expect(n[0]!.fees as number).toBeCloseTo(
      r.fills.reduce((s, f) => s + f.fee, 0),
      9,
    );
  });

  it('can skip Parquet', async () => {
    const out = tempDir();
    const written = await writeRunReport(out, { result: HAND_RESULT }, { parquet: false });
    expect(written.files.some((f) => f.endsWith('.parquet'))).toBe(false);
    expect(existsSync(join(out, 'trades.parquet'))).toBe(false);
  });
});
