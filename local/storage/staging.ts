/**
 * The Parquet sink's staging folders: each sink keeps the hourly files it is writing in its own
 * `<root>/.staging/<pid>-<threadId>-<createdMs>-<n>/` (staged-parquet-file.ts: `<k>.staged` with
 * the row groups so far, `<k>.sidecar` with what is committed) and places each into its partition
 * when its hour closes, so readers never see half a file. A sink that closes places every file and
 * removes its folder; a process killed hard (kill -9) leaves its folder behind.
 *
 * `cleanStaleStaging` recovers those leftovers at the next start — only folders whose process is
 * gone, so a second recorder writing into the same root keeps its own: every staged file is cut to
 * its committed length, finished with the footer from its sidecar and placed (a torn sidecar tail or
 * staged bytes past the committed length are dropped and counted); then the folder goes. Recorded
 * data is never deleted: a folder whose files cannot be placed (a read-only root) stays, for the
 * next start.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileSystem, type SinkFileSystem } from './sink-file-system.ts';
import { SIDECAR_SUFFIX, STAGED_SUFFIX, StagedParquetFile } from './staged-parquet-file.ts';

export const STAGING_DIR = '.staging';

/** A staging folder's name: who made it and when (what cleanStaleStaging reads back). */
export function stagingFolderName(pid: number, threadId: number, createdMs: number, n: number): string {
  return `${pid}-${threadId}-${createdMs}-${n}`;
}

const NAME = /^(\d+)-(\d+)-(\d+)-(\d+)$/;

export interface StagingCleanup {
  /** Leftover folders handled and removed. */
  readonly folders: number;
  /** Staged files finished and placed into the recording, with their rows and row groups. */
  readonly recoveredFiles: number;
  readonly recoveredRows: number;
  readonly recoveredRowGroups: number;
  /** Other leftovers removed: staged files with nothing committed, strays. */
  readonly files: number;
  /** Bytes dropped: uncommitted staged tails, torn sidecar records, removed leftovers. */
  readonly bytes: number;
  /** Torn or unusable sidecar records dropped. */
  readonly tornRecords: number;
  /** Leftover folders that could not be recovered or removed (e.g. a read-only root): left for the next start. */
  readonly failed: number;
}

export interface StagingCleanupOptions {
  /** Whether process `pid` still runs (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /** When this process started (ms since the epoch): a folder of our own pid made before is a dead namesake's. */
  processStartMs?: number;
  fs?: SinkFileSystem;
}

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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Recover and remove the staging folders that processes no longer running left under `root`. */
export async function cleanStaleStaging(
  root: string,
  options: StagingCleanupOptions = {},
): Promise<StagingCleanup> {
  const isAlive = options.isAlive ?? processAlive;
  const fs = options.fs ?? nodeFileSystem;
  const startedMs = options.processStartMs ?? Date.now() - process.uptime() * 1000;
  const base = join(root, STAGING_DIR);
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return NOTHING;
  }
  const c = { ...NOTHING };
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const createdMs = Number(m[3]);
    // Containers start every process as the same pid: ours, but made before we started, is stale.
    const stale = pid === process.pid ? createdMs < startedMs : !isAlive(pid);
    if (!stale) continue;
    try {
      recoverFolder(fs, join(base, name), root, c);
      fs.rmSync(join(base, name), { recursive: true, force: true });
      c.folders++;
    } catch {
      c.failed++;
    }
  }
  return c;
}

type Counts = { -readonly [K in keyof StagingCleanup]: StagingCleanup[K] };

function recoverFolder(fs: SinkFileSystem, dir: string, root: string, c: Counts): void {
  const names = fs.readdirSync(dir);
  const bases = new Set<string>();
  for (const name of names) {
    if (name.endsWith(SIDECAR_SUFFIX)) bases.add(name.slice(0, -SIDECAR_SUFFIX.length));
    else if (name.endsWith(STAGED_SUFFIX)) bases.add(name.slice(0, -STAGED_SUFFIX.length));
    else {
      // Not a staged pair (a partial file of an older writer): nothing committed to keep.
      c.files++;
      c.bytes += fs.statSync(join(dir, name))?.size ?? 0;
      fs.rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
  for (const b of bases) {
    const r = StagedParquetFile.recover(fs, join(dir, b), root);
    c.bytes += r.discardedBytes;
    c.tornRecords += r.tornRecords;
    if (r.path === undefined) {
      c.files++;
      continue;
    }
    c.recoveredFiles++;
    c.recoveredRows += r.rows;
    c.recoveredRowGroups += r.rowGroups;
  }
}

/** The cleanup as one line for a log, or undefined when there was nothing to clean. */
export function describeStagingCleanup(c: StagingCleanup, root: string): string | undefined {
  if (c.folders === 0 && c.failed === 0) return undefined;
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    `recovered ${s(c.recoveredFiles, 'file')} (${s(c.recoveredRows, 'row')}, ${s(c.recoveredRowGroups, 'row group')})`,
    `removed ${s(c.files, 'leftover')}`,
    `dropped ${c.bytes} uncommitted bytes (${s(c.tornRecords, 'torn record')})`,
  ];
  const line = `${s(c.folders, 'stale staging folder')} under ${join(root, STAGING_DIR)}: ${parts.join(', ')}`;
  return c.failed > 0 ? `${line}; ${c.failed} could not be recovered (kept for the next start)` : line;
}
