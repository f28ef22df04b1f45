/**
 * `npm run cli -- import …` in a child process, then `validate` on what it wrote: it reads it and exits
 * 0. `books` and `backtest` on imported rows: import-backtest.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bin/cli.ts'), ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('cli import, then the readers', () => {
  it('imports a Tardis file; validate is clean; a venue the platform lacks is refused', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'import-cli-')), 'rec');
    dirs.push(out);
    const file = join(ROOT, 'test/fixtures/tardis/nautilus_binance-futures_book_snapshot_5_BTCUSDT.csv');
    const imported = await cli(['import', file, '--out', out, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 10, rejected: 0 });

    const validate = await cli(['validate', out, '--json']);
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ clean: true, rows: { book: 10 } });

    // The refused kind of input: a Tardis venue the platform does not have exits 1 with the reason.
    const refused = await cli([
      'import',
      join(ROOT, 'test/fixtures/tardis/nautilus_bitmex_trades_XBTUSD.csv'),
      '--out',
      out,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Tardis exchange "bitmex" is not a venue here/);
  }, 120_000);
});
