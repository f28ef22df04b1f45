import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterEach, describe, expect, it } from 'vitest';
import { RowGroupBuilder } from '../../../core/storage/parquet/parquet-writer.ts';
import { nodeFileSystem } from '../../../local/storage/sink-file-system.ts';
import { StagedParquetFile } from '../../../local/storage/staged-parquet-file.ts';
import {
  cleanStaleStaging,
  describeStagingCleanup,
  STAGING_DIR,
  type StagingCleanup,
  stagingFolderName,
} from '../../../local/storage/staging.ts';
import { sidecarRowGroupRecord } from '../../../local/storage/staging-sidecar.ts';

const NOTHING: StagingCleanup = {
  folders: 0,
  recoveredFiles: 0,
  recoveredRows: 0,
  recoveredRowGroups: 0,
  files: 0,
  bytes: 0,
  tornRecords: 0,
  failed: 0,
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, STAGING_DIR, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

describe('cleanStaleStaging', () => {
  it('removes the folders of processes that are gone, keeps live ones and foreign names, reports one line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'staging-'));
    dirs.push(root);
    const dead = folder(root, stagingFolderName(4242, 1, 1_000, 0), {
      '1.parquet': 'abc',
      '2.parquet': 'de',
    });
    const live = folder(root, stagingFolderName(4343, 0, 1_000, 1), { '3.parquet': 'x' });
    // Same pid as ours (a container restarts as pid 1): made before we started → a dead namesake's.
    const namesake = folder(root, stagingFolderName(process.pid, 0, 1_000, 2), {});
    const ours = folder(root, stagingFolderName(process.pid, 0, 5_000, 3), { '4.parquet': 'y' });
    const foreign = folder(root, 'notes', { 'keep.txt': 'z' });
    const report = await cleanStaleStaging(root, { isAlive: (pid) => pid === 4343, processStartMs: 2_000 });
    expect(report).toEqual({ ...NOTHING, folders: 2, files: 2, bytes: 5 });
    expect([dead, live, namesake, ours, foreign].map(existsSync)).toEqual([false, true, false, true, true]);
    expect(readdirSync(join(root, STAGING_DIR)).sort()).toHaveLength(3);
    expect(describeStagingCleanup(report, root)).toBe(
      `2 stale staging folders under ${join(root, STAGING_DIR)}: recovered 0 files (0 rows, 0 row groups), removed 2 leftovers, dropped 5 uncommitted bytes (0 torn records)`,
    );
    expect(await cleanStaleStaging(root, { isAlive: (pid) => pid === 4343, processStartMs: 2_000 })).toEqual(
      NOTHING,
    );
    expect(describeStagingCleanup(NOTHING, root)).toBeUndefined();
  });

  it('a root without a staging folder (or none at all) has nothing to clean', async () => {
    expect(await cleanStaleStaging(join(tmpdir(), 'no-such-root-for-staging'))).toEqual(NOTHING);
  });

  it('finishes a staged file from its sidecar: the uncommitted tail and the torn record are dropped and counted', async () => {
    const root = mkdtempSync(join(tmpdir(), 'staging-'));
    dirs.push(root);
    const dir = join(root, STAGING_DIR, stagingFolderName(4242, 1, 1_000, 0));
    mkdirSync(dir, { recursive: true });
    const columns = [{ name: 'v', type: 'INT64' as const }];
    const file = StagedParquetFile.create(
      nodeFileSystem,
      join(dir, '0'),
      { dir: 'trade/exchange=x/symbol=A/date=2024-08-08/hour=23', hour: 1, columns, metadata: { k: 'v' } },
      false,
    );
    const builder = new RowGroupBuilder();
    for (const values of [
      [1, 2, 3],
      [4, 5],
    ]) {
      builder.begin();
      builder.addColumn({
        name: 'v',
        type: 'INT64',
        rows: values.length,
        present: undefined,
        values: Float64Array.from(values),
      });
      file.append(builder.finish(values.length, file.committedLength));
    }
    file.suspend();
    // A kill mid-append: half a row group in the staged file, half its record in the sidecar.
    appendFileSync(join(dir, '0.staged'), new Uint8Array(100).fill(7));
    const torn = sidecarRowGroupRecord({ committedLength: 9_999, rows: 3, footerEntry: new Uint8Array(40) });
    appendFileSync(join(dir, '0.sidecar'), torn.subarray(0, 20));
    const report = await cleanStaleStaging(root, { isAlive: () => false });
    expect(report).toEqual({
      ...NOTHING,
      folders: 1,
      recoveredFiles: 1,
      recoveredRows: 5,
      recoveredRowGroups: 2,
      bytes: 120,
      tornRecords: 1,
    });
    expect(existsSync(dir)).toBe(false);
    const placed = join(root, 'trade/exchange=x/symbol=A/date=2024-08-08/hour=23/part-000000.parquet');
    const bytes = readFileSync(placed);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const meta = parquetMetadata(buffer);
    expect(meta.row_groups).toHaveLength(2);
    const rows = await parquetReadObjects({ file: buffer });
    expect(rows.map((r) => r.v)).toEqual([1n, 2n, 3n, 4n, 5n]);
  });
});
