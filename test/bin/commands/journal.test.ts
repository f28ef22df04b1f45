import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JournalCommandOptions, register, runJournalCommand } from '../../../bin/commands/journal.ts';
import { decodeRecord, isRefusal } from '../../../core/oms/journal/journal-record.ts';
import { journalDirOf } from '../../../fargate/journal/journal-files.ts';
import { JournalWriter } from '../../../fargate/journal/journal-writer.ts';
import { BEFORE_MIDNIGHT_US, fillEntry, orderEntry } from '../../core/oms/journal/sample-records.ts';
import { captureIo, parseWith, tempDir } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MIDNIGHT_US = BEFORE_MIDNIGHT_US + 1_000_000;
const temp = tempDir('journal-cli-');
const dataDir = temp.dir;

/** A data dir whose journal holds two days: the first compressed, the second plain. */
beforeAll(async () => {
  const w = JournalWriter.open(journalDirOf(dataDir));
  w.append({ kind: 'risk', ts: BEFORE_MIDNIGHT_US, orderId: 7, outcome: 'accepted' }); // 1
  w.append(orderEntry(BEFORE_MIDNIGHT_US, 7, 'submit')); // 2
  w.append(fillEntry(BEFORE_MIDNIGHT_US + 500, 7)); // 3
  w.append({
    kind: 'risk',
    ts: MIDNIGHT_US,
    orderId: 8,
    outcome: 'denied',
    reason: 'MAX_NOTIONAL_EXCEEDED',
    detail: 'notional=120000',
  }); // 4
  w.append({
    kind: 'state',
    ts: MIDNIGHT_US + 1,
    from: 'ACTIVE',
    to: 'HALTED',
    reason: 'kill switch',
    breaker: { state: 'HALTED', reason: 'kill switch', at: MIDNIGHT_US + 1 },
  }); // 5
  await w.close();
});
afterAll(() => temp.cleanup());

function cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bin/cli.ts'), ...args],
      { cwd: ROOT, timeout: 25_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('journal: argument parsing', () => {
  const parse = (args: string[]) => parseWith<JournalCommandOptions>(register, args);

  it('reads the order, an ISO or µs range and kinds', async () => {
    const { options } = await parse([
      'journal',
      'data',
      '--order',
      'c-7',
      '--from',
      '2024-08-08T23:59:59Z',
      '--to',
      String(MIDNIGHT_US),
      '--kind',
      'order,fill',
      '--json',
    ]);
    expect(options).toEqual({
      dir: 'data',
      order: 'c-7',
      from: BEFORE_MIDNIGHT_US,
      to: MIDNIGHT_US,
      kinds: ['order', 'fill'],
      json: true,
    });
  });

  it.each([
    [['journal', 'd', '--from', 'yesterday'], /ISO 8601 .* or µs since the epoch/],
    [['journal', 'd', '--to', '99999999999999999999'], /too large/],
    [['journal', 'd', '--kind', 'order,trade'], /unknown kind trade/],
    [['journal'], /missing required argument 'dir'/],
  ])('rejects %j', async (args, message) => {
    const { options, error } = await parse(args);
    expect(options).toBeUndefined();
    expect(error).toMatch(message);
  });
});

describe('journal: output', () => {
  it('prints an aligned table across a compressed and a plain day, from the data dir or the journal dir', async () => {
    for (const dir of [dataDir, journalDirOf(dataDir)]) {
      const io = captureIo();
      const stats = await runJournalCommand({ dir }, io);
      expect(stats.matched).toBe(5);
      const [table, summary] = io.out;
      const lines = table!.split('\n');
      expect(lines[0]).toMatch(
        /^time \(UTC\)\s+seq\s+kind\s+order\s+instrument\s+side\s+price\s+size\s+venue\s+outcome$/,
      );
      expect(lines[1]).toMatch(/^─+ {2}─+/);
      expect(lines[3]).toMatch(
        /^2024-08-08T23:59:59\.000000Z\s+2\s+order\s+7\s+binance:BTC\/USDT\s+buy\s+61837\.64\s+0\.01500\s+binance\s+submit → Submitted$/,
      );
      expect(lines[4]).toMatch(
        /3\s+fill\s+7\s+binance:BTC\/USDT\s+buy\s+61837\.64\s+0\.01500\s+sim\s+fill t-7 maker, fee -0\.0093 USDT$/,
      );
      expect(lines[5]).toMatch(
        /^2024-08-09T00:00:00\.000000Z\s+4\s+risk\s+8\s+denied MAX_NOTIONAL_EXCEEDED notional=120000$/,
      );
      expect(lines[6]).toMatch(/5\s+state\s+ACTIVE → HALTED: kill switch$/);
      // Columns line up: every row's seq column ends where the header's does.
      const seqEnd = lines[0]!.indexOf('seq') + 3;
      for (const row of lines.slice(2)) expect(row.slice(seqEnd - 1, seqEnd)).toMatch(/\d/);
      expect(summary).toBe(`5 of 5 records; 2 files in ${journalDirOf(dataDir)}`);
    }
  });

  it('filters by order and by time', async () => {
    const io = captureIo();
    await runJournalCommand({ dir: dataDir, order: '7', to: BEFORE_MIDNIGHT_US }, io);
    expect(
      io.out[0]!.split('\n')
        .slice(2)
        .map((l) => l.split(/\s+/)[1]),
    ).toEqual(['1', '2']);
    const none = captureIo();
    await runJournalCommand({ dir: dataDir, order: 'nope' }, none);
    expect(none.out[0]).toBe('no records match');
  });

  it('--json prints the records as the journal stores them, one per line', async () => {
    const io = captureIo();
    await runJournalCommand({ dir: dataDir, kinds: ['fill', 'state'], json: true }, io);
    expect(io.out).toHaveLength(2);
    const [fill, state] = io.out.map((l) => JSON.parse(l));
    expect(fill).toMatchObject({ kind: 'fill', seq: 3, priceDecimal: '61837.64', feeDecimal: '-0.0093' });
    expect(state).toMatchObject({ kind: 'state', seq: 5, to: 'HALTED' });
    for (const line of io.out) expect(isRefusal(decodeRecord(line))).toBe(false);
    expect(io.statuses).toEqual([`2 of 5 records; 2 files in ${journalDirOf(dataDir)}`]);
  });

  it('refuses a folder without journal files and a reversed range, one line each', async () => {
    await expect(runJournalCommand({ dir: ROOT }, captureIo())).rejects.toThrow(/^journal: no journal files/);
    await expect(runJournalCommand({ dir: dataDir, from: 2, to: 1 }, captureIo())).rejects.toThrow(
      '--from must not be later than --to',
    );
  });
});

describe('journal: the real CLI', () => {
  it('a missing dir: exit 1 and one line on stderr', async () => {
    const run = await cli(['journal', join(dataDir, 'no-such-dir')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `journal: no such directory: ${join(dataDir, 'no-such-dir')}`,
    ]);
  });

  it('--json on stdout, the counts on stderr, exit 0', async () => {
    const run = await cli(['journal', dataDir, '--order', 'c-7', '--json']);
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).seq),
    ).toEqual([2, 3]);
    expect(run.stderr.trim()).toBe(`2 of 5 records; 2 files in ${journalDirOf(dataDir)}`);
  });
});
