/**
 * Where the journal lives: `<data dir>/journal/journal-YYYY-MM-DD.jsonl`, one file per UTC day of
 * the records' event time; days before the one being written are gzipped to `.jsonl.gz`. A day can
 * briefly have both forms while it is being compressed: the plain file is the truth until the
 * compressed one is complete, so readers prefer it.
 */
import { join } from 'node:path';
import type { Micros } from '../../core/market/events.ts';

export const JOURNAL_DIR = 'journal';

const DAY_US = 86_400_000_000;
const NAME = /^journal-(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$/;

/** The journal folder of a data dir. */
export function journalDirOf(dataDir: string): string {
  return join(dataDir, JOURNAL_DIR);
}

export function journalFileName(day: string, compressed = false): string {
  return `journal-${day}.jsonl${compressed ? '.gz' : ''}`;
}

/** The UTC day (YYYY-MM-DD) of an event time. */
export function utcDayOf(ts: Micros): string {
  return new Date(Math.floor(ts / 1000)).toISOString().slice(0, 10);
}

/** The event-time bounds [startUs, endUs) of a UTC day. */
export function utcDayBounds(day: string): { readonly startUs: Micros; readonly endUs: Micros } {
  const startUs = Date.parse(`${day}T00:00:00Z`) * 1000;
  return { startUs, endUs: startUs + DAY_US };
}

/** One day's journal files as found in the folder. */
export interface JournalDay {
  readonly day: string;
  /** File names (not paths). */
  readonly plain?: string;
  readonly compressed?: string;
}

/** The journal days among a folder's entries, oldest first; other names are ignored. */
export function journalDays(names: readonly string[]): JournalDay[] {
  const byDay = new Map<string, { plain?: string; compressed?: string }>();
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const day = m[1]!;
    const entry = byDay.get(day) ?? {};
    if (m[2]) entry.compressed = name;
    else entry.plain = name;
    byDay.set(day, entry);
  }
  return [...byDay.keys()].sort().map((day) => ({ day, ...byDay.get(day)! }));
}

/** Suffix of the file a compression writes before renaming it into place. */
export const PARTIAL_SUFFIX = '.tmp';
