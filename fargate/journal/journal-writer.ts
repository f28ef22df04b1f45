/**
 * The append-only journal writer: records numbered, encoded and queued in memory by `append`, then
 * written and fsynced in groups; one file per UTC day of event time; finished days gzipped in the
 * background. Layout in journal-files.ts, policy and measured costs in docs/journal.md.
 *
 * Design decisions:
 * - Durability policy. A decision — an order submit, cancel or amend request, a trading-state change,
 *   a control action, a parameter change, a session boundary — is written and fsynced before
 *   `append` returns, together with everything queued before it: once the caller acts on it, a
 *   crash cannot lose it. Other records (venue acks, fills, risk decisions, venue-side order
 *   events) are grouped: written once `groupRecords` are queued or the queue spans `groupSpanUs` of
 *   event time, or when the runner calls `flush()` (on its timer and at stop). What a crash can lose
 *   is then only what the venue also knows, and reconciliation gets it back.
 * - Synchronous fs calls. The fsync is the cost (ms), not the call style; an async write would
 *   put an await between a decision and the order it allows, and make ordering across concurrent
 *   flushes a problem to solve. `append` of a non-decision record is a JSON encode and an array
 *   push (µs, measured).
 * - Failures surface: a write or fsync that throws propagates to the caller (a journal that cannot
 *   write is a stall; the caller halts trading and must not act on the record). The queued lines
 *   are kept and written again, after a fresh newline, at the next flush; if the first attempt did
 *   reach the disk, the reader skips the repeated sequence numbers.
 * - Days never go back: a record whose event time is before the open day (a late report) goes in
 *   the open day's file, so files stay in `seq` order; readers filter on each record's own `ts`.
 * - A file left by a crash in the middle of a line is never truncated (it is the audit trail): the
 *   writer starts on a fresh line, and the reader counts and skips the torn one.
 */
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Micros } from '../../core/market/events.ts';
import {
  decodeRecord,
  encodeEntry,
  isRefusal,
  type JournalEntry,
} from '../../core/oms/journal/journal-record.ts';
import { compressJournalDay } from './journal-compression.ts';
import { type JournalFileSystem, nodeJournalFileSystem } from './journal-file-system.ts';
import { journalDays, journalFileName, PARTIAL_SUFFIX, utcDayBounds, utcDayOf } from './journal-files.ts';

export interface JournalWritePolicy {
  /** Write and fsync once this many records are queued. */
  readonly groupRecords: number;
  /** … or once the queued records span this much event time, µs. */
  readonly groupSpanUs: Micros;
}

export const DEFAULT_WRITE_POLICY: JournalWritePolicy = { groupRecords: 64, groupSpanUs: 50_000 };

export interface JournalWriterOptions extends Partial<JournalWritePolicy> {
  readonly fs?: JournalFileSystem;
  /** Gzips a finished day (default: compressJournalDay). */
  readonly compress?: (dir: string, day: string) => Promise<void>;
  /** A background compression failed; the plain file is kept and compressed at the next open. */
  readonly onCompressionError?: (day: string, error: unknown) => void;
}

export interface JournalWriterStats {
  records: number;
  /** Write + fsync rounds, and how many of them a decision record forced. */
  flushes: number;
  forcedFlushes: number;
  fsyncs: number;
  bytes: number;
  writeFailures: number;
  daysCompressed: number;
  compressionFailures: number;
}

/** Records that must be on disk before the caller acts on them. */
export function mustBeDurable(record: JournalEntry): boolean {
  switch (record.kind) {
    case 'order':
      return (
        record.event === 'submit' || record.event === 'cancel_request' || record.event === 'update_request'
      );
    case 'state':
    case 'control':
    case 'params':
    case 'session':
      return true;
    case 'fill':
    case 'risk':
      return false;
  }
}

const NEWLINE = 0x0a;
const TAIL_CHUNK = 64 * 1024;

export class JournalWriter {
  readonly stats: JournalWriterStats = {
    records: 0,
    flushes: 0,
    forcedFlushes: 0,
    fsyncs: 0,
    bytes: 0,
    writeFailures: 0,
    daysCompressed: 0,
    compressionFailures: 0,
  };
  private readonly fs: JournalFileSystem;
  private readonly policy: JournalWritePolicy;
  private readonly compress: (dir: string, day: string) => Promise<void>;
  private readonly onCompressionError: (day: string, error: unknown) => void;
  private seq: number;
  /** The day being written ('' before the first record), its end, whether its file exists, its fd. */
  private day: string;
  private dayEndUs: Micros;
  private dayFileExists: boolean;
  private folderSynced = true;
  private fd = -1;
  private readonly queued: string[] = [];
  private queuedSinceTs = 0;
  /** The file may end mid-line (a crash, or a failed write): start the next write with '\n'. */
  private needsNewline = false;
  private compressions: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dir: string,
    options: JournalWriterOptions,
    lastSeq: number,
    openDay: string,
    openDayFileExists: boolean,
    openDayEndsMidLine: boolean,
  ) {
    this.fs = options.fs ?? nodeJournalFileSystem;
    this.policy = {
      groupRecords: options.groupRecords ?? DEFAULT_WRITE_POLICY.groupRecords,
      groupSpanUs: options.groupSpanUs ?? DEFAULT_WRITE_POLICY.groupSpanUs,
    };
    this.compress = options.compress ?? compressJournalDay;
    this.onCompressionError = options.onCompressionError ?? (() => {});
    this.seq = lastSeq;
    this.day = openDay;
    this.dayEndUs = openDay === '' ? Number.NEGATIVE_INFINITY : utcDayBounds(openDay).endUs;
    this.dayFileExists = openDayFileExists;
    this.needsNewline = openDayEndsMidLine;
  }

  /**
   * Open the journal in folder `dir` (created if missing): numbering continues after the last
   * complete record; every day before the newest is compressed in the background; leftovers of an
   * interrupted compression are cleaned up.
   */
  static open(dir: string, options: JournalWriterOptions = {}): JournalWriter {
    const fs = options.fs ?? nodeJournalFileSystem;
    fs.mkdirSync(dir, { recursive: true });
    const names = fs.readdirSync(dir);
    for (const name of names) if (name.endsWith(PARTIAL_SUFFIX)) fs.unlinkSync(join(dir, name));
    const days = journalDays(names);
    const newest = days.at(-1);
    let lastSeq = 0;
    for (let i = days.length - 1; i >= 0 && lastSeq === 0; i--) lastSeq = lastSeqOf(fs, dir, days[i]!);
    let writer: JournalWriter;
    if (newest?.plain !== undefined) {
      const endsMidLine = endsMidLineOf(fs, join(dir, newest.plain));
      writer = new JournalWriter(dir, options, lastSeq, newest.day, true, endsMidLine);
    } else if (newest !== undefined) {
      // The newest day is sealed (compressed): writing resumes in the day after it, never beside it.
      const nextDay = utcDayOf(utcDayBounds(newest.day).endUs);
      writer = new JournalWriter(dir, options, lastSeq, nextDay, false, false);
    } else {
      writer = new JournalWriter(dir, options, 0, '', false, false);
    }
    for (const d of days) if (d.plain !== undefined && d !== newest) writer.scheduleCompression(d.day);
    return writer;
  }

  /** The last sequence number given out (0: none yet). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Records queued and not yet on disk. */
  get pending(): number {
    return this.queued.length;
  }

  /**
   * Number and queue a record; returns its `seq`. A decision (`mustBeDurable`) is on disk when this
   * returns. Throws when the journal cannot be written (see the class notes).
   */
  append(entry: JournalEntry): number {
    if (this.closed) throw new Error('journal: append after close');
    if (entry.ts >= this.dayEndUs) this.rotateTo(utcDayOf(entry.ts));
    const seq = ++this.seq;
    if (this.queued.length === 0) this.queuedSinceTs = entry.ts;
    this.queued.push(encodeEntry(entry, seq));
    this.stats.records++;
    if (mustBeDurable(entry)) {
      this.stats.forcedFlushes++;
      this.flush();
    } else if (
      this.queued.length >= this.policy.groupRecords ||
      entry.ts - this.queuedSinceTs >= this.policy.groupSpanUs
    ) {
      this.flush();
    }
    return seq;
  }

  /** Write and fsync everything queued (nothing to do: no system call). */
  flush(): void {
    if (this.queued.length === 0) return;
    const text = `${this.needsNewline ? '\n' : ''}${this.queued.join('\n')}\n`;
    const data = Buffer.from(text);
    try {
      if (this.fd < 0) this.openDayFile();
      if (!this.folderSynced) this.syncFolder();
      let written = 0;
      while (written < data.length)
        written += this.fs.writeSync(this.fd, data, written, data.length - written);
      this.fs.fsyncSync(this.fd);
    } catch (error) {
      this.stats.writeFailures++;
      this.needsNewline = true;
      throw error;
    }
    this.needsNewline = false;
    this.queued.length = 0;
    this.stats.flushes++;
    this.stats.fsyncs++;
    this.stats.bytes += data.length;
  }

  /** Flush, close the file and wait for background compressions. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.flush();
      this.closed = true;
      this.closeDayFile();
    }
    await this.compressions;
  }

  /** Resolves when every compression started so far has finished (or failed, counted). */
  settled(): Promise<void> {
    return this.compressions;
  }

  private rotateTo(day: string): void {
    // The finished day's records go to its own file before anything of the new day is queued.
    this.flush();
    const finished = this.dayFileExists ? this.day : '';
    this.closeDayFile();
    this.day = day;
    this.dayEndUs = utcDayBounds(day).endUs;
    this.dayFileExists = false;
    this.needsNewline = false;
    if (finished !== '') this.scheduleCompression(finished);
  }

  private openDayFile(): void {
    this.fd = this.fs.openSync(join(this.dir, journalFileName(this.day)), 'a');
    if (!this.dayFileExists) {
      this.dayFileExists = true;
      this.folderSynced = false;
    }
  }

  /** A new file's folder entry must be durable too, or an fsynced file can vanish in a crash. */
  private syncFolder(): void {
    const folder = this.fs.openSync(this.dir, 'r');
    try {
      this.fs.fsyncSync(folder);
      this.stats.fsyncs++;
    } finally {
      this.fs.closeSync(folder);
    }
    this.folderSynced = true;
  }

  private closeDayFile(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    this.fs.closeSync(fd);
  }

  private scheduleCompression(day: string): void {
    this.compressions = this.compressions.then(async () => {
      try {
        await this.compress(this.dir, day);
        this.stats.daysCompressed++;
      } catch (error) {
        this.stats.compressionFailures++;
        this.onCompressionError(day, error);
      }
    });
  }
}

/** Whether a file's last byte is not a newline (a torn last line). */
function endsMidLineOf(fs: JournalFileSystem, path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fileSize(fd);
    if (size === 0) return false;
    const last = new Uint8Array(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    return last[0] !== NEWLINE;
  } finally {
    fs.closeSync(fd);
  }
}

/** The highest `seq` among the last complete records of a day (0 when it has none). */
function lastSeqOf(fs: JournalFileSystem, dir: string, day: { plain?: string; compressed?: string }): number {
  if (day.plain !== undefined) return lastSeqInTail(fs, join(dir, day.plain));
  if (day.compressed === undefined) return 0;
  return lastSeqInText(gunzipSync(fs.readFileSync(join(dir, day.compressed))).toString('utf8'));
}

/** Reads backwards from the end, a growing window at a time, until a whole record is found. */
function lastSeqInTail(fs: JournalFileSystem, path: string): number {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fileSize(fd);
    for (let window = TAIL_CHUNK; ; window *= 4) {
      const length = Math.min(window, size);
      const buffer = new Uint8Array(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      let text = Buffer.from(buffer.buffer, 0, length).toString('utf8');
      // Unless the window reaches the start, its first line may be cut: not a record to trust.
      if (length < size) text = text.slice(text.indexOf('\n') + 1);
      const seq = lastSeqInText(text);
      if (seq > 0 || length === size) return seq;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function lastSeqInText(text: string): number {
  const lines = text.split('\n');
  let best = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line === '') continue;
    const decoded = decodeRecord(line);
    if (!isRefusal(decoded)) best = Math.max(best, decoded.seq);
    if (best > 0) return best;
  }
  return best;
}
