import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecord, type JournalRecord } from '../../../core/oms/journal/journal-record.ts';
import { type JournalFilter, readJournal, replayJournal } from '../../../fargate/journal/journal-reader.ts';
import { JournalWriter } from '../../../fargate/journal/journal-writer.ts';
import { BEFORE_MIDNIGHT_US, fillEntry, orderEntry, SAMPLES } from '../../core/oms/journal/sample-records.ts';

const MIDNIGHT_US = BEFORE_MIDNIGHT_US + 1_000_000;
let dir: string;

/** Day 1 (compressed): order 1 submitted and filled, order 2 submitted. Day 2 (plain): order 2 filled, a kill. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'journal-reader-'));
  const w = JournalWriter.open(dir);
  w.append({ ...SAMPLES[7]!, ts: BEFORE_MIDNIGHT_US - 1000 } as never); // 1 session
  w.append(orderEntry(BEFORE_MIDNIGHT_US, 1, 'submit')); // 2
  w.append(fillEntry(BEFORE_MIDNIGHT_US + 10, 1)); // 3
  w.append(orderEntry(BEFORE_MIDNIGHT_US + 10, 1, 'fill')); // 4
  w.append({ kind: 'risk', ts: BEFORE_MIDNIGHT_US + 20, orderId: 2, outcome: 'accepted' }); // 5
  w.append(orderEntry(BEFORE_MIDNIGHT_US + 20, 2, 'submit')); // 6
  w.append(fillEntry(MIDNIGHT_US + 5, 2)); // 7
  w.append({ kind: 'control', ts: MIDNIGHT_US + 6, action: 'kill', detail: { source: 'http' } }); // 8
  await w.close();
  expect(readdirSync(dir).sort()).toEqual(['journal-2024-08-08.jsonl.gz', 'journal-2024-08-09.jsonl']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function seqs(filter: JournalFilter = {}, from = dir): Promise<number[]> {
  const out: number[] = [];
  for await (const r of readJournal(from, filter).records) out.push(r.seq);
  return out;
}

describe('journal reader: across a compressed and a plain day', () => {
  it('reads every record once, in seq order', async () => {
    const read = readJournal(dir);
    const out: JournalRecord[] = [];
    for await (const r of read.records) out.push(r);
    expect(out.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(read.stats).toMatchObject({
      files: 2,
      records: 8,
      matched: 8,
      badLines: 0,
      lastSeq: 8,
      lastTs: MIDNIGHT_US + 6,
    });
  });

  it.each<[string, JournalFilter, number[]]>([
    ['order id', { order: '1' }, [2, 3, 4]],
    ['client order id (risk records carry the order id only)', { order: 'c-2' }, [6, 7]],
    ['order id, with its risk decision', { order: '2' }, [5, 6, 7]],
    ['venue order id', { order: 'v-1' }, [4]],
    ['an unknown order', { order: 'nope' }, []],
    ['kind', { kinds: ['fill'] }, [3, 7]],
    ['kinds', { kinds: ['control', 'session'] }, [1, 8]],
    ['range, both ends included', { from: BEFORE_MIDNIGHT_US + 10, to: MIDNIGHT_US + 5 }, [3, 4, 5, 6, 7]],
    ['from only, skipping the whole first day', { from: MIDNIGHT_US }, [7, 8]],
    ['to only', { to: BEFORE_MIDNIGHT_US }, [1, 2]],
    ['order and range and kind', { order: '2', from: MIDNIGHT_US, kinds: ['fill'] }, [7]],
  ])('filters by %s', async (_name, filter, expected) => {
    expect(await seqs(filter)).toEqual(expected);
  });
});

describe('journal reader: damage is counted, never thrown', () => {
  it('skips bad lines with their place, and a corrupt gzip keeps what came before', async () => {
    const d = mkdtempSync(join(tmpdir(), 'journal-damage-'));
    try {
      const rec = (seq: number, ts: number) => encodeRecord({ ...SAMPLES[3]!, seq, ts } as JournalRecord);
      const good = gzipSync(`${rec(1, BEFORE_MIDNIGHT_US - 86_400_000_000)}\n`);
      writeFileSync(join(d, 'journal-2024-08-07.jsonl.gz'), good.subarray(0, good.length - 6));
      writeFileSync(
        join(d, 'journal-2024-08-08.jsonl'),
        `${rec(2, BEFORE_MIDNIGHT_US)}\n{"kind":"risk"\n\nnot json\n`,
      );
      appendFileSync(
        join(d, 'journal-2024-08-08.jsonl'),
        `${rec(3, BEFORE_MIDNIGHT_US)}\n${rec(3, BEFORE_MIDNIGHT_US)}\n`,
      );
      const read = readJournal(d);
      const out: number[] = [];
      for await (const r of read.records) out.push(r.seq);
      expect(out).toEqual([1, 2, 3]);
      expect(read.stats.badLines).toBe(2);
      expect(read.stats.repeated).toBe(1);
      expect(read.stats.badLineExamples.map((b) => [b.file, b.line])).toEqual([
        ['journal-2024-08-08.jsonl', 2],
        ['journal-2024-08-08.jsonl', 4],
      ]);
      expect(read.stats.unreadableFiles).toHaveLength(1);
      expect(read.stats.unreadableFiles[0]!.file).toBe('journal-2024-08-07.jsonl.gz');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a journal folder that does not exist yet replays nothing', async () => {
    const stats = await replayJournal(join(dir, 'missing'), {});
    expect(stats).toMatchObject({ files: 0, records: 0, lastSeq: 0 });
  });
});

describe('replayJournal', () => {
  it('hands each record to its kind’s callback in seq order, and returns where to continue', async () => {
    const seen: string[] = [];
    const stats = await replayJournal(dir, {
      order: (r) => seen.push(`${r.seq} order ${r.orderId} ${r.status}`),
      fill: (r) => seen.push(`${r.seq} fill ${r.tradeId}`),
      control: (r) => seen.push(`${r.seq} control ${r.action}`),
    });
    expect(seen).toEqual([
      '2 order 1 Submitted',
      '3 fill t-1',
      '4 order 1 Filled',
      '6 order 2 Submitted',
      '7 fill t-2',
      '8 control kill',
    ]);
    expect(stats.lastSeq).toBe(8);
  });

  it('stops when a callback throws: a rebuild that fails must not let trading start', async () => {
    await expect(
      replayJournal(dir, {
        fill: () => {
          throw new Error('overfill');
        },
      }),
    ).rejects.toThrow('overfill');
  });
});
