import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanStaleStaging,
  describeStagingCleanup,
  STAGING_DIR,
  stagingFolderName,
} from '../../../local/storage/staging.ts';

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
    expect(report).toEqual({ folders: 2, files: 2, bytes: 5, failed: 0 });
    expect([dead, live, namesake, ours, foreign].map(existsSync)).toEqual([false, true, false, true, true]);
    expect(readdirSync(join(root, STAGING_DIR)).sort()).toHaveLength(3);
    expect(describeStagingCleanup(report, root)).toBe(
      `removed 2 leftover staging folders (2 partial files, 5 bytes) under ${join(root, STAGING_DIR)}`,
    );
    expect(await cleanStaleStaging(root, { isAlive: (pid) => pid === 4343, processStartMs: 2_000 })).toEqual({
      folders: 0,
      files: 0,
      bytes: 0,
      failed: 0,
    });
    expect(describeStagingCleanup({ folders: 0, files: 0, bytes: 0, failed: 0 }, root)).toBeUndefined();
  });

  it('a root without a staging folder (or none at all) has nothing to clean', async () => {
    expect(await cleanStaleStaging(join(tmpdir(), 'no-such-root-for-staging'))).toEqual({
      folders: 0,
      files: 0,
      bytes: 0,
      failed: 0,
    });
  });
});
