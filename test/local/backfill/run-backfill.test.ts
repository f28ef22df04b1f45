import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidate } from '../../../bin/commands/validate.ts';
import { type BackfillOptions, runBackfill } from '../../../local/backfill/run-backfill.ts';
import { type Simulators, startSimulators } from '../../../local/exchanges/index.ts';
import { readManifest } from '../../../local/import/import-manifest.ts';
import { openDuckDb, parquetFiles, readParquetSql } from '../../../local/storage/duckdb.ts';

// The simulators' market, driven step by step on a manual clock: 5000 steps 20 ms apart = 100 s.
const T0 = Date.UTC(2024, 7, 8, 12, 0, 0) * 1000;
let now = T0;
let sims: Simulators;
const dirs: string[] = [];

beforeAll(async () => {
  sims = await startSimulators({
    venues: ['binance-futures', 'bybit'],
    source: 'synthetic',
    symbols: 1,
    seed: 7,
    tradeRatio: 0.5,
    autoStart: false,
    clock: () => now,
  });
  for (let i = 0; i < 5000; i++) {
    now += 20_000;
    sims.synthetic('binance-futures')!.stepMany(1);
    sims.synthetic('bybit')!.stepMany(1);
  }
});
afterAll(async () => {
  await sims.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'backfill-'));
  dirs.push(d);
  return d;
};

async function stored(root: string): Promise<{ trades: string[]; klines: string[] }> {
  const db = await openDuckDb();
  try {
    const read = async (sql: string, kind: string): Promise<string[]> => {
      const files = parquetFiles(join(root, kind));
      if (files.length === 0) return [];
      const rows = (
        await db.connection.runAndReadAll(sql.replace('$SRC', readParquetSql(files)))
      ).getRowObjectsJson();
      return rows.map((r) => String(Object.values(r)[0]));
    };
    return {
      trades: await read(
        "SELECT trade_id || ' ' || price_units || ' ' || size_units || ' ' || side || ' ' || exchange_ts FROM $SRC ORDER BY exchange_ts, trade_id",
        'trade',
      ),
      klines: await read(
        "SELECT local_ts || ' ' || body FROM $SRC WHERE type = 'rest' ORDER BY local_ts",
        'raw',
      ),
    };
  } finally {
    db.close();
  }
}

function options(
  exchange: 'binance-futures' | 'bybit',
  out: string,
  extra: Partial<BackfillOptions> = {},
): BackfillOptions {
  return {
    exchange,
    symbol: sims.symbols(exchange)[0]!,
    fromMs: T0 / 1000,
    toMs: now / 1000 + 1,
    out,
    rest: sims.urls[exchange]!.rest,
    instruments: [],
    quiet: true,
    ...extra,
  };
}

describe('backfill from the simulators', () => {
  it('Binance USD-M: aggTrades and klines, paged and weight-limited; interrupted and resumed gives the same rows', async () => {
    const whole = temp();
    const a = await runBackfill(options('binance-futures', whole));
    expect(a.stored.trades).toBeGreaterThan(1000); // more than one page
    expect(a.stored.klines).toBe(2); // 12:00 and 12:01 (the last one still forming)
    expect(a.limiter.grantedWeight).toBeGreaterThanOrEqual(20 * 2);

    const split = temp();
    const abort = new AbortController();
    let pages = 0;
    await expect(
      runBackfill(
        options('binance-futures', split, {
          signal: abort.signal,
          onPage: () => {
            if (++pages === 1) abort.abort(new Error('stopped'));
          },
        }),
      ),
    ).rejects.toThrow(/stopped/);
    const partial = await stored(split);
    expect(partial.trades.length).toBe(1000); // the first page is on disk, no more
    const b = await runBackfill(options('binance-futures', split));
    expect(b.resumedFrom.trades).toBeDefined();
    expect(await stored(split)).toEqual(await stored(whole));

    const report = await runValidate(split);
    expect(report.duplicateTradeIds.count).toBe(0);
    expect(report.clean).toBe(true);
    // A third run finds everything stored and adds nothing.
    const c = await runBackfill(options('binance-futures', split));
    expect(c.stored).toEqual({ trades: 0, klines: 0 });
    expect(Object.keys(readManifest(split).ranges)).toEqual([expect.stringMatching(/^binance-futures\//)]);
  });

  it('Bybit v5: recent trades and forward kline windows, resumable', async () => {
    const out = temp();
    const r = await runBackfill(options('bybit', out, { interval: '1' }));
    expect(r.stored.trades).toBe(1000); // the latest 1000: Bybit pages no further back
    expect(r.stored.klines).toBeGreaterThanOrEqual(1);
    const first = await stored(out);
    const again = await runBackfill(options('bybit', out, { interval: '1' }));
    expect(again.stored).toEqual({ trades: 0, klines: 0 });
    expect(await stored(out)).toEqual(first);
  });
});
