/**
 * Reads the journal back: every day's file in day order (plain `.jsonl` or gzipped `.jsonl.gz`),
 * streamed a chunk at a time, each line decoded by the codec, filtered by order, time and kind.
 * The start-up rebuild (`replayJournal`) and the `journal` command both read through here.
 *
 * Design decisions:
 * - Nothing read can crash the reader: a line the codec refuses (a torn last line after a crash, an
 *   edited one) is skipped and counted with its file and line number; a file that cannot be read
 *   (a corrupt gzip) is counted, and what it yielded before the damage is kept.
 * - Records come out in `seq` order, each once: a record whose `seq` is not above the last one
 *   read is the repeat of a write retried after a failure (see journal-writer.ts) and is skipped
 *   and counted. Days are written in `seq` order, so no sorting or buffering is needed.
 * - A day's plain file is preferred to its compressed one: while both exist the compression has not
 *   finished and the plain file is the truth.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Micros } from '../../core/market/events.ts';
import {
  decodeRecord,
  isRefusal,
  type JournalKind,
  type JournalRecord,
} from '../../core/oms/journal/journal-record.ts';
import { type JournalDay, journalDays, utcDayBounds } from './journal-files.ts';

export interface JournalFilter {
  /** An order's id, client order id or venue order id: its order, fill and risk records. */
  readonly order?: string;
  /** Event-time range, µs, both ends included. */
  readonly from?: Micros;
  readonly to?: Micros;
  readonly kinds?: readonly JournalKind[];
}

export interface BadLine {
  readonly file: string;
  /** 1-based line number in the (uncompressed) file. */
  readonly line: number;
  readonly error: string;
}

export interface JournalReadStats {
  files: number;
  /** Records decoded (before filtering) and records that passed the filter. */
  records: number;
  matched: number;
  /** Lines refused by the codec, with the first few described. */
  badLines: number;
  readonly badLineExamples: BadLine[];
  /** Records whose seq was already read (a retried write), skipped. */
  repeated: number;
  /** Files that could not be read to the end (e.g. a corrupt gzip), with why. */
  readonly unreadableFiles: { readonly file: string; readonly error: string }[];
  /** The last record read (any kind, before filtering); 0 when none. */
  lastSeq: number;
  lastTs: Micros;
}

const MAX_EXAMPLES = 5;

export function emptyReadStats(): JournalReadStats {
  return {
    files: 0,
    records: 0,
    matched: 0,
    badLines: 0,
    badLineExamples: [],
    repeated: 0,
    unreadableFiles: [],
    lastSeq: 0,
    lastTs: 0,
  };
}

export interface JournalRead {
  readonly records: AsyncIterable<JournalRecord>;
  /** Filled in as `records` is iterated; complete once it is done. */
  readonly stats: JournalReadStats;
}

/** The records of journal folder `dir` that pass `filter`, in `seq` order. */
export function readJournal(dir: string, filter: JournalFilter = {}): JournalRead {
  const stats = emptyReadStats();
  return { stats, records: iterate(dir, filter, stats) };
}

function matches(record: JournalRecord, filter: JournalFilter): boolean {
  if (filter.from !== undefined && record.ts < filter.from) return false;
  if (filter.to !== undefined && record.ts > filter.to) return false;
  if (filter.kinds !== undefined && !filter.kinds.includes(record.kind)) return false;
  if (filter.order !== undefined) {
    if (record.kind !== 'order' && record.kind !== 'fill' && record.kind !== 'risk') return false;
    const id = filter.order;
    if (String(record.orderId) === id) return true;
    if (record.kind === 'risk') return false;
    return record.clientOrderId === id || (record.kind === 'order' && record.venueOrderId === id);
  }
  return true;
}

async function* iterate(
  dir: string,
  filter: JournalFilter,
  stats: JournalReadStats,
): AsyncGenerator<JournalRecord> {
  const days = journalDays(await namesIn(dir));
  for (const day of days) {
    // Every record in a day's file has ts below the day's end (days never go back), so a day that
    // ends before `from` has nothing to give. Late records can sit in later files: no cut on `to`.
    if (filter.from !== undefined && utcDayBounds(day.day).endUs <= filter.from) continue;
    for await (const { file, lineNo, line } of dayLines(dir, day, stats)) {
      if (line === '') continue;
      const decoded = decodeRecord(line);
      if (isRefusal(decoded)) {
        stats.badLines++;
        if (stats.badLineExamples.length < MAX_EXAMPLES)
          stats.badLineExamples.push({ file, line: lineNo, error: decoded.error });
        continue;
      }
      if (decoded.seq <= stats.lastSeq) {
        stats.repeated++;
        continue;
      }
      stats.records++;
      stats.lastSeq = decoded.seq;
      stats.lastTs = decoded.ts;
      if (!matches(decoded, filter)) continue;
      stats.matched++;
      yield decoded;
    }
  }
}

/** A journal folder that does not exist yet (the first start) holds no days. */
async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

interface Line {
  readonly file: string;
  readonly lineNo: number;
  readonly line: string;
}

async function* dayLines(dir: string, day: JournalDay, stats: JournalReadStats): AsyncGenerator<Line> {
  const candidates = [day.plain, day.compressed].filter((n): n is string => n !== undefined);
  for (const [i, file] of candidates.entries()) {
    const path = join(dir, file);
    const compressed = file.endsWith('.gz');
    const input = createReadStream(path);
    const source = compressed ? input.pipe(createGunzip()) : input;
    input.on('error', (error) => {
      // A pipe does not pass the source's errors on: hand them to the gunzip stream being read.
      if (compressed) (source as NodeJS.ReadWriteStream & { destroy(e: Error): void }).destroy(error);
    });
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let lineNo = 0;
    let opened = false;
    try {
      for await (const chunk of source) {
        opened = true;
        const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
        rest = lines.pop()!;
        for (const line of lines) yield { file, lineNo: ++lineNo, line };
      }
      rest += decoder.end();
      if (rest !== '') yield { file, lineNo: ++lineNo, line: rest };
      stats.files++;
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The plain file was compressed and removed between listing and opening: read the other form.
      if (!opened && code === 'ENOENT' && i < candidates.length - 1) continue;
      stats.unreadableFiles.push({ file, error: error instanceof Error ? error.message : String(error) });
      return;
    } finally {
      // Also reached when the consumer stops early: release the file.
      input.destroy();
    }
  }
}

/** What the start-up rebuild is handed: one callback per kind, each optional. */
export type JournalVisitor = {
  readonly [K in JournalKind]?: (record: Extract<JournalRecord, { kind: K }>) => void;
};

/**
 * Replay journal folder `dir` into `visitor`, every record in `seq` order (the runner wires the
 * callbacks to the OMS, positions and the breaker). A callback that throws stops the replay: a
 * rebuild that cannot apply the journal must not let trading start. Returns what was read,
 * including the last `seq` and event time, where the live session continues.
 */
export async function replayJournal(dir: string, visitor: JournalVisitor): Promise<JournalReadStats> {
  const { records, stats } = readJournal(dir);
  for await (const record of records) {
    const visit = visitor[record.kind] as ((r: JournalRecord) => void) | undefined;
    visit?.(record);
  }
  return stats;
}
