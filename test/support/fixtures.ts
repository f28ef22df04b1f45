/** Paths of the bundled real captures (test/fixtures, a small copy of the shared recordings). */
import { fileURLToPath } from 'node:url';

export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}
