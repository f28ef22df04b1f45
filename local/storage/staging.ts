/**
 * The Parquet sink's staging folders: each sink writes its files into its own
 * `<root>/.staging/<pid>-<threadId>-<createdMs>-<n>/` and links them into place from there, so
 * readers never see half a file. A sink removes its folder when it closes; a process killed hard
 * (kill -9, power loss) leaves its folder behind, with at most the files it was writing.
 * `cleanStaleStaging` removes those leftovers at the next start: only folders whose process is gone,
 * so a second recorder writing into the same root keeps its own.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const STAGING_DIR = '.staging';

/** A staging folder's name: who made it and when (what cleanStaleStaging reads back). */
export function stagingFolderName(pid: number, threadId: number, createdMs: number, n: number): string {
  return `${pid}-${threadId}-${createdMs}-${n}`;
}

const NAME = /^(\d+)-(\d+)-(\d+)-(\d+)$/;

export interface StagingCleanup {
  /** Leftover folders removed, and the files and bytes they held. */
  readonly folders: number;
  readonly files: number;
  readonly bytes: number;
  /** Leftover folders that could not be removed (e.g. a read-only root): left for the next start. */
  readonly failed: number;
}

export interface StagingCleanupOptions {
  /** Whether process `pid` still runs (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /** When this process started (ms since the epoch): a folder of our own pid made before is a dead namesake's. */
  processStartMs?: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the staging folders that processes no longer running left under `root`. */
export async function cleanStaleStaging(
  root: string,
  options: StagingCleanupOptions = {},
): Promise<StagingCleanup> {
  const isAlive = options.isAlive ?? processAlive;
  const startedMs = options.processStartMs ?? Date.now() - process.uptime() * 1000;
  const base = join(root, STAGING_DIR);
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return { folders: 0, files: 0, bytes: 0, failed: 0 };
  }
  let folders = 0;
  let files = 0;
  let bytes = 0;
  let failed = 0;
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const createdMs = Number(m[3]);
    // Containers start every process as the same pid: ours, but made before we started, is stale.
    const stale = pid === process.pid ? createdMs < startedMs : !isAlive(pid);
    if (!stale) continue;
    const dir = join(base, name);
    let held = 0;
    let size = 0;
    try {
      for (const file of await readdir(dir)) {
        held++;
        size += (await stat(join(dir, file))).size;
      }
      await rm(dir, { recursive: true, force: true });
      folders++;
      files += held;
      bytes += size;
    } catch {
      failed++;
    }
  }
  return { folders, files, bytes, failed };
}

/** The cleanup as one line for a log, or undefined when there was nothing to clean. */
export function describeStagingCleanup(c: StagingCleanup, root: string): string | undefined {
  if (c.folders === 0 && c.failed === 0) return undefined;
  const cleaned = `removed ${c.folders} leftover staging folder${c.folders === 1 ? '' : 's'} (${c.files} partial file${c.files === 1 ? '' : 's'}, ${c.bytes} bytes) under ${join(root, STAGING_DIR)}`;
  return c.failed > 0 ? `${cleaned}; ${c.failed} could not be removed` : cleaned;
}
