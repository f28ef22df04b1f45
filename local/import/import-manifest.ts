/**
 * `<recording>/manifest.json`: the time ranges held per exchange and symbol, and which input files
 * they came from. An input already listed (same name and size) is skipped on a second import, so
 * importing a folder twice stores nothing twice.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ManifestRange {
  readonly dataset: string;
  /** Receive time, µs, inclusive. */
  readonly fromTs: number;
  readonly toTs: number;
  readonly rows: number;
  readonly source: string;
  readonly bytes: number;
}

export interface Manifest {
  readonly version: 1;
  /** "exchange/symbol" (unified) → ranges, oldest first. */
  readonly ranges: Record<string, ManifestRange[]>;
}

export const MANIFEST_FILE = 'manifest.json';

export function readManifest(root: string): Manifest {
  const path = join(root, MANIFEST_FILE);
  if (!existsSync(path)) return { version: 1, ranges: {} };
  const json = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  if (json.version !== 1 || typeof json.ranges !== 'object')
    throw new Error(`${path}: not a manifest (version 1)`);
  return json;
}

export function holdsSource(m: Manifest, source: string, bytes: number): boolean {
  return Object.values(m.ranges).some((list) => list.some((r) => r.source === source && r.bytes === bytes));
}

export function addRange(m: Manifest, key: string, range: ManifestRange): void {
  const list = m.ranges[key] ?? [];
  m.ranges[key] = list;
  list.push(range);
  list.sort((a, b) => a.fromTs - b.fromTs || a.dataset.localeCompare(b.dataset));
}

/** Written beside the data with a rename, so a reader never sees half a manifest. */
export function writeManifest(root: string, m: Manifest): void {
  const path = join(root, MANIFEST_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(m, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
