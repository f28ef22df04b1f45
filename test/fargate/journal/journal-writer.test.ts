import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeRecord, type JournalRecord } from '../../../core/oms/journal/journal-record.ts';
import { readJournal } from '../../../fargate/journal/journal-reader.ts';
import { JournalWriter, mustBeDurable } from '../../../fargate/journal/journal-writer.ts';
import { BEFORE_MIDNIGHT_US, fillEntry, orderEntry, SAMPLES } from '../../core/oms/journal/sample-records.ts';
import { faultyJournalFs } from './faulty-journal-fs.ts';

const DAY_US = 86_400_000_000;
const MIDNIGHT_US = BEFORE_MIDNIGHT_US + 1_000_000; // 2024-08-09T00:00:00Z

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-writer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(): Promise<{
  records: JournalRecord[];
  stats: ReturnType<typeof readJournal>['stats'];
}> {
  const { records, stats } = readJournal(dir);
  const out: JournalRecord[] = [];
  for await (const r of records) out.push(r);
  return { records: out, stats };
}

function lines(name: string): string[] {
  return readFileSync(join(dir, name), 'utf8').split('\n');
}

describe('journal writer: files per UTC day of event time', () => {
  it('rotates at midnight by event time and compresses the finished day, never the open one', async () => {
    const w = JournalWriter.open(dir);
    w.append(orderEntry(BEFORE_MIDNIGHT_US, 1, 'submit'));
    w.append(fillEntry(MIDNIGHT_US - 1, 1));
    expect(readdirSync(dir)).toEqual(['journal-2024-08-08.jsonl']);
    w.append(orderEntry(MIDNIGHT_US, 2, 'submit'));
    await w.settled();
    expect(readdirSync(dir).sort()).toEqual(['journal-2024-08-08.jsonl.gz', 'journal-2024-08-09.jsonl']);
    const first = gunzipSync(readFileSync(join(dir, 'journal-2024-08-08.jsonl.gz')))
      .toString()
      .split('\n');
    expect(first.map((l) => (l ? JSON.parse(l).seq : ''))).toEqual([1, 2, '']);
    expect(lines('journal-2024-08-09.jsonl').map((l) => (l ? JSON.parse(l).seq : ''))).toEqual([3, '']);
    await w.close();
    expect(w.stats).toMatchObject({ records: 3, daysCompressed: 1, compressionFailures: 0 });
    expect(readdirSync(dir).sort()).toEqual(['journal-2024-08-08.jsonl.gz', 'journal-2024-08-09.jsonl']);
  });

  it('keeps a late record (event time before the open day) in the open day, in seq order', async () => {
    const w = JournalWriter.open(dir);
    w.append(orderEntry(MIDNIGHT_US + 5, 1, 'submit'));
    w.append(fillEntry(MIDNIGHT_US - 10, 1));
    await w.close();
    expect(readdirSync(dir)).toEqual(['journal-2024-08-09.jsonl']);
    const { records } = await readAll();
    expect(records.map((r) => [r.seq, r.ts])).toEqual([
      [1, MIDNIGHT_US + 5],
      [2, MIDNIGHT_US - 10],
    ]);
  });

  it('compresses older plain days at open, cleans an interrupted compression, numbers on', async () => {
    const rec = (seq: number, ts: number) => encodeRecord({ ...SAMPLES[3]!, seq, ts } as JournalRecord);
    writeFileSync(join(dir, 'journal-2024-08-07.jsonl'), `${rec(1, BEFORE_MIDNIGHT_US - DAY_US)}\n`);
    // Crash after the rename, before the unlink: both forms; the plain one is the truth.
    writeFileSync(join(dir, 'journal-2024-08-08.jsonl'), `${rec(2, BEFORE_MIDNIGHT_US)}\n`);
    writeFileSync(join(dir, 'journal-2024-08-08.jsonl.gz'), gzipSync('stale'));
    writeFileSync(join(dir, 'journal-2024-08-08.jsonl.gz.tmp'), 'half a gzip');
    writeFileSync(join(dir, 'journal-2024-08-09.jsonl'), `${rec(3, MIDNIGHT_US)}\n`);
    writeFileSync(join(dir, 'notes.txt'), 'not the journal');
    const w = JournalWriter.open(dir);
    expect(w.lastSeq).toBe(3);
    await w.settled();
    expect(readdirSync(dir).sort()).toEqual([
      'journal-2024-08-07.jsonl.gz',
      'journal-2024-08-08.jsonl.gz',
      'journal-2024-08-09.jsonl',
      'notes.txt',
    ]);
    expect(gunzipSync(readFileSync(join(dir, 'journal-2024-08-08.jsonl.gz'))).toString()).toBe(
      `${rec(2, BEFORE_MIDNIGHT_US)}\n`,
    );
    expect(w.append(orderEntry(MIDNIGHT_US + 1, 9, 'submit'))).toBe(4);
    await w.close();
    expect((await readAll()).records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });

  it('resumes after a day found only compressed in the next day, never beside the .gz', async () => {
    const rec = encodeRecord({ ...SAMPLES[3]!, seq: 5, ts: BEFORE_MIDNIGHT_US } as JournalRecord);
    writeFileSync(join(dir, 'journal-2024-08-08.jsonl.gz'), gzipSync(`${rec}\n`));
    const w = JournalWriter.open(dir);
    expect(w.lastSeq).toBe(5);
    w.append(orderEntry(BEFORE_MIDNIGHT_US + 10, 1, 'submit'));
    await w.close();
    expect(readdirSync(dir).sort()).toEqual(['journal-2024-08-08.jsonl.gz', 'journal-2024-08-09.jsonl']);
    expect((await readAll()).records.map((r) => r.seq)).toEqual([5, 6]);
  });

  it('counts a failed background compression and keeps the plain file', async () => {
    const failures: string[] = [];
    const w = JournalWriter.open(dir, {
      compress: async () => {
        throw new Error('disk full');
      },
      onCompressionError: (day) => failures.push(day),
    });
    w.append(orderEntry(BEFORE_MIDNIGHT_US, 1, 'submit'));
    w.append(orderEntry(MIDNIGHT_US, 2, 'submit'));
    await w.close();
    expect(failures).toEqual(['2024-08-08']);
    expect(w.stats.compressionFailures).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['journal-2024-08-08.jsonl', 'journal-2024-08-09.jsonl']);
  });
});

describe('journal writer: durability policy', () => {
  it('fsyncs a decision before append returns, and groups the rest', () => {
    const fs = faultyJournalFs();
    const w = JournalWriter.open(dir, { fs, groupRecords: 100, groupSpanUs: 1_000_000 });
    w.append({ ...SAMPLES[3]!, ts: BEFORE_MIDNIGHT_US }); // risk accepted: queued
    w.append(fillEntry(BEFORE_MIDNIGHT_US, 1)); // fill: queued
    expect(fs.fileSyncs).toBe(0);
    expect(w.pending).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
    w.append(orderEntry(BEFORE_MIDNIGHT_US, 2, 'submit'));
    // Everything queued before the decision went with it, in one write and one fsync, plus the new
    // file's folder entry.
    expect(w.pending).toBe(0);
    expect(fs.fileSyncs).toBe(1);
    expect(fs.folderSyncs).toBe(1);
    expect(lines('journal-2024-08-08.jsonl')).toHaveLength(4);
    for (const decision of [SAMPLES[4]!, SAMPLES[5]!, SAMPLES[6]!, SAMPLES[7]!]) {
      const before = fs.fileSyncs;
      w.append({ ...decision, ts: BEFORE_MIDNIGHT_US } as never);
      expect(fs.fileSyncs, decision.kind).toBe(before + 1);
    }
    expect(w.stats.forcedFlushes).toBe(5);
    expect(fs.folderSyncs).toBe(1);
  });

  it.each([
    ['submit', true],
    ['cancel_request', true],
    ['accept', false],
    ['fill', false],
    ['canceled', false],
  ] as const)('an order %s is a decision: %s', (event, durable) => {
    expect(mustBeDurable(orderEntry(1, 1, event))).toBe(durable);
  });

  it('writes a group once it holds groupRecords, or spans groupSpanUs of event time', () => {
    const fs = faultyJournalFs();
    const w = JournalWriter.open(dir, { fs, groupRecords: 3, groupSpanUs: 50_000 });
    w.append(fillEntry(BEFORE_MIDNIGHT_US, 1));
    w.append(fillEntry(BEFORE_MIDNIGHT_US + 10, 2));
    expect(fs.fileSyncs).toBe(0);
    w.append(fillEntry(BEFORE_MIDNIGHT_US + 20, 3));
    expect(fs.fileSyncs).toBe(1);
    w.append(fillEntry(BEFORE_MIDNIGHT_US + 30, 4));
    w.append(fillEntry(BEFORE_MIDNIGHT_US + 30 + 49_999, 5));
    expect(fs.fileSyncs).toBe(1);
    w.append(fillEntry(BEFORE_MIDNIGHT_US + 30 + 50_000, 6));
    expect(fs.fileSyncs).toBe(2);
    w.append(fillEntry(BEFORE_MIDNIGHT_US + 80_031, 7));
    w.flush();
    w.flush(); // nothing queued: no system call
    expect(fs.fileSyncs).toBe(3);
    expect(w.stats).toMatchObject({ records: 7, flushes: 3, forcedFlushes: 0 });
  });

  it('a failed fsync throws to the caller, keeps the records, and the retry loses nothing', async () => {
    const fs = faultyJournalFs();
    const w = JournalWriter.open(dir, { fs });
    w.append(orderEntry(BEFORE_MIDNIGHT_US, 1, 'submit'));
    w.append(fillEntry(BEFORE_MIDNIGHT_US, 1));
    fs.failFsyncs = 1;
    expect(() => w.append(orderEntry(BEFORE_MIDNIGHT_US, 2, 'submit'))).toThrow(/EIO/);
    expect(fs.fired).toBe(1);
    expect(w.pending).toBe(2);
    expect(w.stats.writeFailures).toBe(1);
    w.flush();
    expect(w.pending).toBe(0);
    await w.close();
    const { records, stats } = await readAll();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    // The failed attempt's write reached the file before its fsync failed: the retry wrote the same
    // two records again, after a fresh newline, and the reader skipped the repeats.
    expect(lines('journal-2024-08-08.jsonl').map((l) => (l ? JSON.parse(l).seq : ''))).toEqual([
      1,
      2,
      3,
      '',
      2,
      3,
      '',
    ]);
    expect(stats.repeated).toBe(2);
    expect(stats.badLines).toBe(0);
  });

  it('a failed folder fsync for a new file is retried before its first write', () => {
    const fs = faultyJournalFs();
    const w = JournalWriter.open(dir, { fs });
    fs.failFsyncs = 1;
    expect(() => w.append(orderEntry(BEFORE_MIDNIGHT_US, 1, 'submit'))).toThrow(/EIO/);
    expect(fs.fired).toBe(1);
    expect(fs.folderSyncs).toBe(0);
    w.flush();
    expect(fs.folderSyncs).toBe(1);
    expect(fs.fileSyncs).toBe(1);
  });

  it('a short write leaves a torn line; the retry starts on a new line and the reader skips it', async () => {
    const fs = faultyJournalFs();
    const w = JournalWriter.open(dir, { fs });
    w.append(orderEntry(BEFORE_MIDNIGHT_US, 1, 'submit'));
    w.append(fillEntry(BEFORE_MIDNIGHT_US, 1));
    w.append(fillEntry(BEFORE_MIDNIGHT_US + 1, 2));
    fs.failNextWriteHalfway = true;
    expect(() => w.append(orderEntry(BEFORE_MIDNIGHT_US + 2, 3, 'submit'))).toThrow(/ENOSPC/);
    expect(fs.fired).toBe(1);
    w.flush();
    await w.close();
    const text = readFileSync(join(dir, 'journal-2024-08-08.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const { records, stats } = await readAll();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    // Half of the three-line write reached the file: the first fill whole, the second torn.
    expect(stats.badLines).toBe(1);
    expect(stats.badLineExamples[0]).toMatchObject({ file: 'journal-2024-08-08.jsonl', line: 3 });
    expect(stats.repeated).toBe(1);
  });
});

describe('journal writer: after a crash mid-line', () => {
  it('numbers on from the last whole record and writes on a fresh line; the torn line is skipped', async () => {
    const w = JournalWriter.open(dir);
    w.append(orderEntry(BEFORE_MIDNIGHT_US, 1, 'submit'));
    w.append(orderEntry(BEFORE_MIDNIGHT_US + 1, 1, 'cancel_request'));
    await w.close();
    const torn = encodeRecord({
      ...orderEntry(BEFORE_MIDNIGHT_US + 2, 1, 'canceled'),
      seq: 3,
    } as JournalRecord);
    appendFileSync(join(dir, 'journal-2024-08-08.jsonl'), torn.slice(0, 40));

    const again = JournalWriter.open(dir);
    expect(again.lastSeq).toBe(2);
    expect(again.append(orderEntry(BEFORE_MIDNIGHT_US + 3, 1, 'cancel_request'))).toBe(3);
    await again.close();
    const file = lines('journal-2024-08-08.jsonl');
    expect(file[2]).toBe(torn.slice(0, 40));
    expect(JSON.parse(file[3]!).seq).toBe(3);
    const { records, stats } = await readAll();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(stats.badLines).toBe(1);
    expect(stats.badLineExamples).toEqual([
      { file: 'journal-2024-08-08.jsonl', line: 3, error: 'not JSON (a torn or edited line)' },
    ]);
  });

  it('finds the last record behind a long tail of bad lines (beyond the first tail window)', () => {
    const rec = encodeRecord({ ...SAMPLES[3]!, seq: 41, ts: BEFORE_MIDNIGHT_US } as JournalRecord);
    writeFileSync(join(dir, 'journal-2024-08-08.jsonl'), `${rec}\n${'x'.repeat(200_000)}\n`);
    expect(JournalWriter.open(dir).lastSeq).toBe(41);
  });
});
