/**
 * The file-system calls the Parquet sink and staging recovery make, as one interface: node:fs by
 * default, and the seam where tests inject faults (a full disk, a read-only folder, a failing
 * unlink) — which they cannot do with permissions on a machine that runs them as root.
 *
 * Synchronous on purpose: the sink appends row groups to files it holds open (staged-parquet-file.ts),
 * a copy into the page cache; creating and placing files happens once per file and hour. On a writer
 * thread (parquet-sink-worker.ts) synchronous calls also keep the work off libuv's pool, which the
 * feed's thread shares.
 */
import * as fs from 'node:fs';

export interface SinkFileSystem {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  /** flags as node:fs: 'wx+' (create, fail when it exists), 'r+' (reopen). */
  openSync(path: string, flags: string): number;
  /** Write all of `data` at `position`. */
  writeSync(fd: number, data: Uint8Array, position: number): void;
  ftruncateSync(fd: number, length: number): void;
  fdatasyncSync(fd: number): void;
  closeSync(fd: number): void;
  readFileSync(path: string): Uint8Array;
  /** Size and hard-link count; undefined when the path does not exist. */
  statSync(path: string): { size: number; nlink: number } | undefined;
  truncateSync(path: string, length: number): void;
  linkSync(existing: string, target: string): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readdirSync(path: string): string[];
  existsSync(path: string): boolean;
  rmSync(path: string, options: { recursive: true; force: true }): void;
}

export const nodeFileSystem: SinkFileSystem = {
  mkdirSync: (path, options) => fs.mkdirSync(path, options),
  openSync: (path, flags) => fs.openSync(path, flags),
  writeSync: (fd, data, position) => {
    let done = 0;
    while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, position + done);
  },
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  fdatasyncSync: (fd) => fs.fdatasyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  readFileSync: (path) => fs.readFileSync(path),
  statSync: (path) => {
    const s = fs.statSync(path, { throwIfNoEntry: false });
    return s ? { size: s.size, nlink: s.nlink } : undefined;
  },
  truncateSync: (path, length) => fs.truncateSync(path, length),
  linkSync: (existing, target) => fs.linkSync(existing, target),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => fs.unlinkSync(path),
  readdirSync: (path) => fs.readdirSync(path),
  existsSync: (path) => fs.existsSync(path),
  rmSync: (path, options) => fs.rmSync(path, options),
};
