/**
 * The file-system calls the Parquet sink makes, as one interface: node:fs by default, and the seam
 * where tests inject faults (a full disk, a read-only folder, a failing unlink) — which they cannot
 * do with permissions on a machine that runs them as root.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';

export interface SinkFileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  link(existing: string, target: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  rm(path: string, options: { recursive: true; force: true }): Promise<void>;
  mkdirSync(path: string, options: { recursive: true }): unknown;
  writeFileSync(path: string, data: Uint8Array): void;
  linkSync(existing: string, target: string): void;
  unlinkSync(path: string): void;
  renameSync(from: string, to: string): void;
  readdirSync(path: string): string[];
  existsSync(path: string): boolean;
}

export const nodeFileSystem: SinkFileSystem = {
  mkdir: (path, options) => fsp.mkdir(path, options),
  writeFile: (path, data) => fsp.writeFile(path, data),
  link: (existing, target) => fsp.link(existing, target),
  unlink: (path) => fsp.unlink(path),
  rename: (from, to) => fsp.rename(from, to),
  readdir: (path) => fsp.readdir(path),
  rm: (path, options) => fsp.rm(path, options),
  mkdirSync: (path, options) => fs.mkdirSync(path, options),
  writeFileSync: (path, data) => fs.writeFileSync(path, data),
  linkSync: (existing, target) => fs.linkSync(existing, target),
  unlinkSync: (path) => fs.unlinkSync(path),
  renameSync: (from, to) => fs.renameSync(from, to),
  readdirSync: (path) => fs.readdirSync(path),
  existsSync: (path) => fs.existsSync(path),
};
