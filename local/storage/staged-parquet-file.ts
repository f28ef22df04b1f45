/**
 * One hourly Parquet file while its hour is open: `<base>.staged` (the magic, then row groups
 * appended one per flush) and `<base>.sidecar` (staging-sidecar.ts: what is committed, and each row
 * group's footer entry), both in the sink's staging folder, which no reader looks into. `finish()`
 * appends the footer and places the file into its partition folder in one atomic step
 * (place-part-file.ts); `recover()` does the same for a file a killed process left behind, from
 * its sidecar.
 *
 * Crash safety: a row group counts as stored once its sidecar record is written, after its bytes.
 * Without `fsync` that survives the process dying (kill -9: the kernel still holds the written
 * pages), not a power loss; with `fsync` the staged bytes are flushed before their record is
 * written and the record before the append returns, and the finished file before it is placed.
 */
import { join } from 'node:path';
import {
  type EncodedRowGroup,
  PARQUET_MAGIC,
  parquetFooter,
} from '../../core/storage/parquet/parquet-writer.ts';
import { placePartFile } from './place-part-file.ts';
import type { SinkFileSystem } from './sink-file-system.ts';
import {
  parseSidecar,
  type SidecarHeader,
  sidecarHeaderRecord,
  sidecarRowGroupRecord,
} from './staging-sidecar.ts';

export const STAGED_SUFFIX = '.staged';
export const SIDECAR_SUFFIX = '.sidecar';

/** What recovering one staged file did. */
export interface RecoveredFile {
  /** The file placed into the recording, undefined when nothing committed was left to place. */
  readonly path: string | undefined;
  readonly rows: number;
  readonly rowGroups: number;
  /** Staged bytes past the committed length and torn sidecar bytes, dropped. */
  readonly discardedBytes: number;
  /** Torn sidecar records (at most one per file: the last) and records past the staged bytes. */
  readonly tornRecords: number;
}

export class StagedParquetFile {
  readonly header: SidecarHeader;
  private readonly fs: SinkFileSystem;
  private readonly base: string;
  private readonly fsync: boolean;
  private dataFd: number | undefined;
  private sideFd: number | undefined;
  /** Committed length of the staged file, and of its sidecar. */
  private length: number;
  private sideLength: number;
  private readonly entries: Uint8Array[];
  private rowCount: number;

  private constructor(
    fs: SinkFileSystem,
    base: string,
    header: SidecarHeader,
    fsync: boolean,
    state: { length: number; sideLength: number; entries: Uint8Array[]; rows: number },
  ) {
    this.fs = fs;
    this.base = base;
    this.header = header;
    this.fsync = fsync;
    this.length = state.length;
    this.sideLength = state.sideLength;
    this.entries = state.entries;
    this.rowCount = state.rows;
  }

  /** Create `<base>.staged` and `<base>.sidecar` (nothing is left behind when that fails). */
  static create(fs: SinkFileSystem, base: string, header: SidecarHeader, fsync: boolean): StagedParquetFile {
    const record = sidecarHeaderRecord(header);
    const file = new StagedParquetFile(fs, base, header, fsync, {
      length: PARQUET_MAGIC.length,
      sideLength: record.length,
      entries: [],
      rows: 0,
    });
    try {
      file.dataFd = fs.openSync(base + STAGED_SUFFIX, 'wx+');
      fs.writeSync(file.dataFd, PARQUET_MAGIC, 0);
      file.sideFd = fs.openSync(base + SIDECAR_SUFFIX, 'wx+');
      fs.writeSync(file.sideFd, record, 0);
      if (fsync) {
        fs.fdatasyncSync(file.dataFd);
        fs.fdatasyncSync(file.sideFd);
      }
    } catch (error) {
      file.discard();
      throw error;
    }
    return file;
  }

  /**
   * Finish what a killed process left at `<base>`: truncate the staged file to its committed length,
   * append the footer from the sidecar and place it under `root`; remove the staged pair.
   */
  static recover(fs: SinkFileSystem, base: string, root: string): RecoveredFile {
    const staged = fs.statSync(base + STAGED_SUFFIX);
    const sidecar = fs.existsSync(base + SIDECAR_SUFFIX) ? fs.readFileSync(base + SIDECAR_SUFFIX) : undefined;
    const parsed = sidecar ? parseSidecar(sidecar) : undefined;
    const removeBoth = () => {
      for (const suffix of [SIDECAR_SUFFIX, STAGED_SUFFIX]) {
        if (fs.existsSync(base + suffix)) fs.unlinkSync(base + suffix);
      }
    };
    const torn = parsed && parsed.tornBytes > 0 ? 1 : 0;
    // Placed already (the process died before removing its staged name), or nothing to place.
    if (!staged || staged.nlink > 1 || !parsed?.header) {
      removeBoth();
      const dropped = staged && staged.nlink === 1 ? staged.size : 0;
      return {
        path: undefined,
        rows: 0,
        rowGroups: 0,
        discardedBytes: dropped + (parsed?.tornBytes ?? 0),
        tornRecords: torn,
      };
    }
    let length: number = PARQUET_MAGIC.length;
    let rows = 0;
    const entries: Uint8Array[] = [];
    let beyond = 0;
    for (const g of parsed.rowGroups) {
      // A record whose bytes are not all there (a power loss without fsync) commits nothing.
      if (g.committedLength > staged.size || g.committedLength <= length) {
        beyond++;
        break;
      }
      length = g.committedLength;
      rows += g.rows;
      entries.push(g.footerEntry);
    }
    if (staged.size < PARQUET_MAGIC.length || entries.length === 0) {
      removeBoth();
      return {
        path: undefined,
        rows: 0,
        rowGroups: 0,
        discardedBytes: staged.size + parsed.tornBytes,
        tornRecords: torn + beyond,
      };
    }
    fs.truncateSync(base + STAGED_SUFFIX, length);
    const file = new StagedParquetFile(fs, base, parsed.header, false, {
      length,
      sideLength: sidecar!.length - parsed.tornBytes,
      entries,
      rows,
    });
    const path = file.finish(root);
    return {
      path,
      rows,
      rowGroups: entries.length,
      discardedBytes: staged.size - length + parsed.tornBytes,
      tornRecords: torn + beyond,
    };
  }

  get rows(): number {
    return this.rowCount;
  }

  get rowGroups(): number {
    return this.entries.length;
  }

  /** Where the next row group starts: encode it for this offset. */
  get committedLength(): number {
    return this.length;
  }

  /** Whether the file holds open descriptors (see suspend). */
  get isOpen(): boolean {
    return this.dataFd !== undefined;
  }

  /**
   * Append a row group encoded for `committedLength`, then its sidecar record. When either write
   * fails, both files are cut back to their committed lengths and the error is thrown: the row
   * group is not stored.
   */
  append(group: EncodedRowGroup): void {
    const { data, side } = this.descriptors();
    const fs = this.fs;
    const end = this.length + group.bytes.length;
    const record = sidecarRowGroupRecord({
      committedLength: end,
      rows: group.rows,
      footerEntry: group.footerEntry,
    });
    try {
      fs.writeSync(data, group.bytes, this.length);
      if (this.fsync) fs.fdatasyncSync(data);
      fs.writeSync(side, record, this.sideLength);
      if (this.fsync) fs.fdatasyncSync(side);
    } catch (error) {
      this.cutBack();
      throw error;
    }
    this.length = end;
    this.sideLength += record.length;
    this.entries.push(group.footerEntry);
    this.rowCount += group.rows;
  }

  /** Close the descriptors (a sink holding many files); the next append or finish reopens them. */
  suspend(): void {
    const fs = this.fs;
    if (this.dataFd !== undefined) fs.closeSync(this.dataFd);
    if (this.sideFd !== undefined) fs.closeSync(this.sideFd);
    this.dataFd = undefined;
    this.sideFd = undefined;
  }

  /**
   * Append the footer and place the file under `root` (its partition folder, next free part number);
   * remove the staged pair. Returns the placed path, or undefined for a file without rows (removed).
   * When it throws, the staged pair is as before (the footer is past the committed length) and
   * finish can be tried again, or recovery finishes it.
   */
  finish(root: string): string | undefined {
    if (this.rowCount === 0) {
      this.discard();
      return undefined;
    }
    const fs = this.fs;
    const { data } = this.descriptors();
    const footer = parquetFooter(this.header.columns, this.entries, this.rowCount, this.header.metadata);
    try {
      fs.writeSync(data, footer, this.length);
      if (this.fsync) fs.fdatasyncSync(data);
    } catch (error) {
      this.cutBack();
      throw error;
    }
    this.suspend();
    const placed = placePartFile(fs, this.base + STAGED_SUFFIX, join(root, this.header.dir));
    // Placed: what follows only tidies up (a leftover staged pair is recognised by its link count).
    try {
      fs.unlinkSync(this.base + SIDECAR_SUFFIX);
      if (!placed.renamed) fs.unlinkSync(this.base + STAGED_SUFFIX);
    } catch {}
    return placed.path;
  }

  /** Close and remove the staged pair (nothing of it is kept). */
  discard(): void {
    try {
      this.suspend();
    } catch {}
    for (const suffix of [STAGED_SUFFIX, SIDECAR_SUFFIX]) {
      try {
        this.fs.unlinkSync(this.base + suffix);
      } catch {}
    }
  }

  private descriptors(): { data: number; side: number } {
    if (this.dataFd === undefined) this.dataFd = this.fs.openSync(this.base + STAGED_SUFFIX, 'r+');
    if (this.sideFd === undefined) this.sideFd = this.fs.openSync(this.base + SIDECAR_SUFFIX, 'r+');
    return { data: this.dataFd, side: this.sideFd };
  }

  /** After a failed write: both files back to their committed lengths (best effort). */
  private cutBack(): void {
    try {
      if (this.dataFd !== undefined) this.fs.ftruncateSync(this.dataFd, this.length);
      if (this.sideFd !== undefined) this.fs.ftruncateSync(this.sideFd, this.sideLength);
    } catch {}
  }
}
