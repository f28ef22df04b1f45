/**
 * The object storage the sweep steps read and write: S3 in the cloud (s3-object-store.ts), a
 * folder standing in for S3 in the local runner (local/sfn/directory-store.ts). Keys are S3 keys;
 * `list` returns every key below a prefix, sorted.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

export interface ObjectStore {
  get(bucket: string, key: string): Promise<Uint8Array>;
  /** undefined when no such object exists. */
  tryGet(bucket: string, key: string): Promise<Uint8Array | undefined>;
  put(bucket: string, key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  list(bucket: string, prefix: string): Promise<string[]>;
}

export async function getJson(store: ObjectStore, bucket: string, key: string): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(await store.get(bucket, key)));
}

export async function putJson(
  store: ObjectStore,
  bucket: string,
  key: string,
  value: unknown,
): Promise<void> {
  await store.put(bucket, key, JSON.stringify(value), 'application/json');
}

/**
 * Copy every object below `prefix` into `dir`, keeping the key's path below the prefix. Names that
 * do not end in .parquet get the extension (Athena's UNLOAD writes extension-less files; the
 * Parquet readers list *.parquet).
 */
export async function downloadPrefix(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  dir: string,
): Promise<number> {
  const keys = await store.list(bucket, prefix);
  for (const key of keys) {
    const rest = key.slice(prefix.length).replace(/^\/+/, '');
    if (rest === '' || rest.endsWith('/')) continue;
    const path = join(dir, ...rest.split('/'));
    const named = /\.parquet$|\.json$/.test(path) ? path : `${path}.parquet`;
    await mkdir(dirname(named), { recursive: true });
    await writeFile(named, await store.get(bucket, key));
  }
  return keys.length;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

/** Upload the files of `dir` (recursively) under `prefix`; returns the keys written. */
export async function uploadFolder(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  dir: string,
): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const key = `${prefix}${relative(dir, path).split(sep).join('/')}`;
        const ext = entry.name.split('.').pop() ?? '';
        await store.put(bucket, key, await readFile(path), CONTENT_TYPES[ext]);
        keys.push(key);
      }
    }
  };
  await walk(dir);
  return keys;
}
