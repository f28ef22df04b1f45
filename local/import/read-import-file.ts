/**
 * The CSV texts inside one input file: plain `.csv`, gzipped `.csv.gz` (Tardis), or `.zip` (Binance
 * public data: one CSV inside, sometimes with a `.CHECKSUM` beside the zip, which is skipped).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync, strFromU8, unzipSync } from 'fflate';

export interface CsvText {
  /** The CSV's own name (inside a zip: its entry name). */
  readonly name: string;
  readonly text: string;
}

export function readImportFile(path: string): CsvText[] {
  const bytes = readFileSync(path);
  const name = basename(path);
  if (name.endsWith('.zip')) {
    const entries = unzipSync(bytes, { filter: (f) => f.name.endsWith('.csv') });
    return Object.entries(entries).map(([entry, data]) => ({ name: basename(entry), text: strFromU8(data) }));
  }
  if (name.endsWith('.gz')) return [{ name: name.slice(0, -3), text: strFromU8(gunzipSync(bytes)) }];
  return [{ name, text: bytes.toString('utf8') }];
}

/** Input files this importer reads. */
export function isImportFile(name: string): boolean {
  return /\.(csv|csv\.gz|zip)$/.test(name);
}
