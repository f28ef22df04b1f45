/**
 * The Parquet sink's file-system seam (local/storage/sink-file-system.ts) held in memory: the record
 * Lambda runs the local recorder's own sink into it and uploads the files it placed. Links fail
 * with EEXIST like a real file system, so the sink's numbering behaves as on disk.
 */
import { posix } from 'node:path';
import type { SinkFileSystem } from '../../local/storage/sink-file-system.ts';

function fsError(code: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${path}`);
  error.code = code;
  return error;
}

export class MemoryFileSystem implements SinkFileSystem {
  readonly files = new Map<string, Uint8Array>();

  read(path: string): Uint8Array {
    const data = this.files.get(path);
    if (!data) throw fsError('ENOENT', path);
    return data;
  }

  clear(): void {
    this.files.clear();
  }

  mkdir(): Promise<unknown> {
    return Promise.resolve(undefined);
  }
  mkdirSync(): unknown {
    return undefined;
  }
  writeFile(path: string, data: Uint8Array): Promise<void> {
    this.writeFileSync(path, data);
    return Promise.resolve();
  }
  writeFileSync(path: string, data: Uint8Array): void {
    this.files.set(path, Uint8Array.from(data));
  }
  link(existing: string, target: string): Promise<void> {
    try {
      this.linkSync(existing, target);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }
  linkSync(existing: string, target: string): void {
    if (this.files.has(target)) throw fsError('EEXIST', target);
    this.files.set(target, this.read(existing));
  }
  unlink(path: string): Promise<void> {
    this.unlinkSync(path);
    return Promise.resolve();
  }
  unlinkSync(path: string): void {
    if (!this.files.delete(path)) throw fsError('ENOENT', path);
  }
  rename(from: string, to: string): Promise<void> {
    this.renameSync(from, to);
    return Promise.resolve();
  }
  renameSync(from: string, to: string): void {
    this.files.set(to, this.read(from));
    this.files.delete(from);
  }
  readdir(path: string): Promise<string[]> {
    return Promise.resolve(this.readdirSync(path));
  }
  readdirSync(path: string): string[] {
    const names: string[] = [];
    for (const file of this.files.keys()) if (posix.dirname(file) === path) names.push(posix.basename(file));
    return names;
  }
  rm(path: string): Promise<void> {
    for (const file of [...this.files.keys()])
      if (file === path || file.startsWith(`${path}/`)) this.files.delete(file);
    return Promise.resolve();
  }
  existsSync(path: string): boolean {
    return this.files.has(path);
  }
}
