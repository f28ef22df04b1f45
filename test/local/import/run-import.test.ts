import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { runValidate } from '../../../bin/commands/validate.ts';
import { loadTape } from '../../../local/backtest/load-tape.ts';
import { readManifest } from '../../../local/import/import-manifest.ts';
import { runImport } from '../../../local/import/run-import.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'import-'));
  dirs.push(d);
  return d;
};
const TARDIS = new URL('../../fixtures/tardis/', import.meta.url).pathname;

/** A Binance spot aggTrades zip of 2025 (µs timestamps), laid out as data.binance.vision does. */
function binanceZip(root: string): string {
  const dir = join(root, 'data/spot/daily/aggTrades/BTCUSDT');
  mkdirSync(dir, { recursive: true });
  const rows = Array.from(
    { length: 50 },
    (_, i) =>
      `${100 + i},94000.${String(i).padStart(2, '0')},0.0${(i % 9) + 1},${i},${i},${1735776000000000 + i * 250_000},${i % 2 === 0 ? 'True' : 'False'},True`,
  );
  const path = join(dir, 'BTCUSDT-aggTrades-2025-01-02.zip');
  writeFileSync(path, zipSync({ 'BTCUSDT-aggTrades-2025-01-02.csv': strToU8(`${rows.join('\n')}\n`) }));
  return path;
}

describe('cli import', () => {
  it('imports Tardis and Binance files into the recording layout; validate reads it, a second import adds nothing', async () => {
    const out = join(temp(), 'rec');
    const zip = binanceZip(temp());
    const snapshot = join(TARDIS, 'nautilus_binance-futures_book_snapshot_5_BTCUSDT.csv');
    const summary = await runImport([snapshot, zip], { out, quiet: true, instruments: [] });
    expect(
      summary.files.map((f) => [f.status, f.dataset, f.exchange, f.symbol, f.rows, f.timestampUnit]),
    ).toEqual([
      ['imported', 'book_snapshot', 'binance-futures', 'BTC/USDT:USDT', 10, 'us'],
      ['imported', 'aggTrades', 'binance', 'BTC/USDT', 50, 'us'],
    ]);
    const report = await runValidate(out);
    expect(report.rows).toEqual({ book: 10, trade: 50 });
    expect(report.clean).toBe(true);
    expect(report.quietPeriods.count).toBe(0);
    const manifest = readManifest(out);
    expect(Object.keys(manifest.ranges).sort()).toEqual([
      'binance-futures/BTC/USDT:USDT',
      'binance/BTC/USDT',
    ]);
    expect(manifest.ranges['binance/BTC/USDT']![0]).toMatchObject({
      fromTs: 1735776000000000,
      toTs: 1735776000000000 + 49 * 250_000,
      rows: 50,
    });

    const again = await runImport([snapshot, zip], { out, quiet: true, instruments: [] });
    expect(again.files.map((f) => f.status)).toEqual(['skipped', 'skipped']);
    expect((await runValidate(out)).rows).toEqual({ book: 10, trade: 50 });
  });

  it('refuses files whose venue it cannot tell; a backtest reads the imported rows', async () => {
    const out = join(temp(), 'rec');
    const summary = await runImport([TARDIS], { out, quiet: true, instruments: [] });
    const refused = summary.files.filter((f) => f.status === 'refused');
    expect(refused.map((f) => f.path.replace(/^.*\//, ''))).toEqual([
      'nautilus_bitmex_trades_XBTUSD.csv',
      'nautilus_deribit_incremental_book_L2_BTC-PERPETUAL.csv.gz',
      'nautilus_huobi-dm-swap_quotes_BTC-USD.csv',
    ]);
    expect(refused[0]!.note).toMatch(/Tardis exchange "bitmex" is not a venue here/);
    expect((await loadTape(out)).kind).toBe('recorded-rows');
  });

  it('stores klines as the venue REST bodies; a backtest refuses candles alone', async () => {
    const root = temp();
    const dir = join(root, 'data/futures/um/daily/klines/BTCUSDT/1m');
    mkdirSync(dir, { recursive: true });
    const csv =
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n1723161240000,61000.1,61010,60990.5,61005.2,12.5,1723161299999,762000.1,321,6.1,372000.2,0\n';
    writeFileSync(join(dir, 'BTCUSDT-1m-2024-08-08.csv'), csv);
    const out = join(root, 'rec');
    const summary = await runImport([root], { out, quiet: true, instruments: [] });
    expect(summary.files[0]).toMatchObject({
      status: 'imported',
      dataset: 'klines',
      exchange: 'binance-futures',
      rows: 1,
    });
    await expect(loadTape(out)).rejects.toThrow(/REST responses only \(klines\?\)/);
  });
});
