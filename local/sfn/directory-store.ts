/** A folder standing in for S3 in the local runner: object `s3://bucket/key` is the file `<root>/bucket/key`. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectStore } from '../../stepfunctions/sweep/object-store.ts';

function fileOf(root: string, bucket: string, key: string): string {
  if (key.split('/').some((p) => p === '..')) throw new Error(`key ${key}: ".." is not allowed`);
  return join(root, bucket, ...key.split('/'));
}

export function directoryStore(root: string): ObjectStore {
  return {
    get: (bucket, key) => readFile(fileOf(root, bucket, key)),
    async tryGet(bucket, key) {
      const path = fileOf(root, bucket, key);
      return existsSync(path) ? readFile(path) : undefined;
    },
    async put(bucket, key, body) {
      const path = fileOf(root, bucket, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    },
    async list(bucket, prefix) {
      const base = join(root, bucket);
      const keys: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        if (!existsSync(dir)) return;
        for (const e of await readdir(dir, { withFileTypes: true })) {
          const path = join(dir, e.name);
          if (e.isDirectory()) await walk(path);
          else keys.push(relative(base, path).split(sep).join('/'));
        }
      };
      await walk(base);
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
  };
}
