/**
 * Gzips one finished journal day: `journal-D.jsonl` → `journal-D.jsonl.gz`, off the hot path (zlib
 * runs on the thread pool) and crash-safe at every step:
 *
 *   read → gzip → write `.gz.tmp` → fsync → check it gunzips to the same bytes → rename → fsync
 *   the folder → remove the plain file.
 *
 * A crash before the rename leaves a `.tmp` (removed at the next open) and the plain file; after the
 * rename but before the unlink, both forms (the plain one is read, and compressed again at the next
 * open). The read-back check costs one gunzip per day and means a bad compression never replaces
 * the only copy of a day's audit trail.
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { journalFileName, PARTIAL_SUFFIX } from './journal-files.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

async function writeDurably(path: string, data: Uint8Array): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Compress day `day` in journal folder `dir`; throws (leaving the plain file) on any failure. */
export async function compressJournalDay(dir: string, day: string): Promise<void> {
  const plain = join(dir, journalFileName(day));
  const compressed = join(dir, journalFileName(day, true));
  const partial = compressed + PARTIAL_SUFFIX;
  const source = await readFile(plain);
  const packed = await gzipAsync(source, { level: 6 });
  await writeDurably(partial, packed);
  const back = await gunzipAsync(await readFile(partial));
  if (!back.equals(source)) {
    await unlink(partial);
    throw new Error(
      `journal: compressed ${journalFileName(day)} did not read back identical; kept the plain file`,
    );
  }
  await rename(partial, compressed);
  await syncFolder(dir);
  await unlink(plain);
}
