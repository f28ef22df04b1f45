/**
 * Put a finished file into its partition folder under the next free part number
 * (core/recording/partition-path.ts: part-000000.parquet, part-000001.parquet, …), atomically and
 * never over another file: a hard link fails when the name is taken (another writer, or an earlier
 * session of the same hour), and the next number is tried. Where the file system has no hard links
 * (some container file systems) a rename onto a name checked free stands in.
 *
 * Leaves the staged name in place after a link (the caller removes it): a staged file with two links
 * is one that was placed, which is how recovery tells it from one still to finish (staging.ts).
 */
import { join } from 'node:path';
import { partFileName, partSeq } from '../../core/recording/partition-path.ts';
import type { SinkFileSystem } from './sink-file-system.ts';

export interface PlacedFile {
  readonly path: string;
  /** True when the file was renamed (no hard links here): the staged name is gone. */
  readonly renamed: boolean;
}

export function placePartFile(fs: SinkFileSystem, staged: string, dir: string): PlacedFile {
  fs.mkdirSync(dir, { recursive: true });
  let seq = firstFreeSeq(fs.readdirSync(dir));
  for (;;) {
    const target = join(dir, partFileName(seq++));
    try {
      fs.linkSync(staged, target);
      return { path: target, renamed: false };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') && !fs.existsSync(target)) {
        fs.renameSync(staged, target);
        return { path: target, renamed: true };
      }
      throw error;
    }
  }
}

/** The part number after the highest in a folder listing. */
function firstFreeSeq(names: readonly string[]): number {
  let next = 0;
  for (const name of names) {
    const seq = partSeq(name);
    if (seq !== undefined && seq >= next) next = seq + 1;
  }
  return next;
}
