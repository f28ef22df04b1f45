/**
 * The synchronous file-system calls the journal writer makes, as one interface: node:fs by default,
 * and the seam where tests count fsyncs and inject faults (a failing fsync, a short write, a full
 * disk) — which permissions cannot simulate on a machine that runs tests as root.
 */
import * as fs from 'node:fs';

export interface JournalFileSystem {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  readdirSync(path: string): string[];
  /** `flags` 'a' (append, create) or 'r' (read; also how a folder is opened to fsync it). */
  openSync(path: string, flags: 'a' | 'r'): number;
  /** Bytes written, which may be fewer than asked for. */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  fileSize(fd: number): number;
  readFileSync(path: string): Buffer;
  unlinkSync(path: string): void;
}

export const nodeJournalFileSystem: JournalFileSystem = {
  mkdirSync: (path, options) => fs.mkdirSync(path, options),
  readdirSync: (path) => fs.readdirSync(path),
  openSync: (path, flags) => fs.openSync(path, flags),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  fileSize: (fd) => fs.fstatSync(fd).size,
  readFileSync: (path) => fs.readFileSync(path),
  unlinkSync: (path) => fs.unlinkSync(path),
};
