/**
 * `npm start` until live ingest lands: replay the bundled real captures of all five venues through
 * the same path as `cli books` and print the books.
 */
import { fileURLToPath } from 'node:url';
import { formatBooks, runBooks } from './books.ts';

export const BUNDLED_CAPTURES = fileURLToPath(new URL('../../test/fixtures', import.meta.url));

export function runStart(): void {
  console.log(
    `Replaying the bundled real exchange captures (${BUNDLED_CAPTURES}) through the venue feeds…\n`,
  );
  console.log(formatBooks(runBooks(BUNDLED_CAPTURES, 1)));
}
