/**
 * What the journal's write policy costs on this machine's disk: records/s and µs per record for
 * writing each record without fsync, with an fsync each, and with the writer's grouped policy (a
 * stream of fills and acks only, and a market-maker mix where 2 records in 5 are decisions that
 * force an fsync). Median of `--runs` runs, each in a fresh folder (default: under the OS temp dir).
 *
 *   npx tsx fargate/journal/measure-write-policy.ts [--records 20000] [--runs 3] [--dir /path]
 *
 * The figures in docs/journal.md come from this script.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { textTable } from '../../core/format/text-table.ts';
import type { JournalEntry } from '../../core/oms/journal/journal-record.ts';
import { nodeJournalFileSystem } from './journal-file-system.ts';
import { DEFAULT_WRITE_POLICY, JournalWriter, type JournalWriterOptions } from './journal-writer.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string' },
  },
});
const RECORDS = Number(values.records);
const RUNS = Number(values.runs);
const BASE = values.dir ?? tmpdir();
const START_US = Date.parse('2024-08-08T12:00:00Z') * 1000;
/** Event time between records: 100 µs (a busy market maker). */
const STEP_US = 100;

function order(i: number, event: 'submit' | 'accept' | 'cancel_request' | 'canceled'): JournalEntry {
  const status = {
    submit: 'Submitted',
    accept: 'Accepted',
    cancel_request: 'PendingCancel',
    canceled: 'Canceled',
  } as const;
  return {
    kind: 'order',
    ts: START_US + i * STEP_US,
    orderId: i,
    clientOrderId: `mm-${i}`,
    ...(event === 'submit' ? {} : { venueOrderId: `${9_000_000 + i}` }),
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: i % 2 === 0 ? 'buy' : 'sell',
    type: 'limit',
    price: 6_183_764 + (i % 50),
    size: 1_500,
    filled: 0,
    priceScale: 2,
    sizeScale: 5,
    status: status[event],
    event,
  };
}

function fill(i: number): JournalEntry {
  return {
    kind: 'fill',
    ts: START_US + i * STEP_US,
    orderId: i,
    clientOrderId: `mm-${i}`,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: 'buy',
    tradeId: `${40_000_000 + i}`,
    price: 6_183_764,
    size: 1_500,
    priceScale: 2,
    sizeScale: 5,
    fee: 93,
    feeScale: 4,
    feeCurrency: 'USDT',
    maker: true,
    venue: 'binance',
  };
}

/** Fills and venue acks only: nothing forces an fsync. */
function nonDecision(i: number): JournalEntry {
  return i % 2 === 0 ? fill(i) : order(i, 'accept');
}

/** risk accepted → submit (decision) → accept → cancel request (decision) → canceled. */
function marketMakerMix(i: number): JournalEntry {
  switch (i % 5) {
    case 0:
      return { kind: 'risk', ts: START_US + i * STEP_US, orderId: i, outcome: 'accepted' };
    case 1:
      return order(i, 'submit');
    case 2:
      return order(i, 'accept');
    case 3:
      return order(i, 'cancel_request');
    default:
      return order(i, 'canceled');
  }
}

interface Case {
  readonly name: string;
  readonly options: JournalWriterOptions;
  readonly record: (i: number) => JournalEntry;
  readonly records: number;
}

const noFsync = { ...nodeJournalFileSystem, fsyncSync: () => {} };
const CASES: readonly Case[] = [
  {
    name: 'grouped writes, no fsync (CPU floor)',
    options: { fs: noFsync },
    record: nonDecision,
    records: RECORDS,
  },
  {
    name: 'write each record, no fsync',
    options: { fs: noFsync, groupRecords: 1 },
    record: nonDecision,
    records: RECORDS,
  },
  {
    name: 'write + fsync each record',
    options: { groupRecords: 1 },
    record: nonDecision,
    records: Math.ceil(RECORDS / 10),
  },
  { name: 'grouped: fills and acks only', options: {}, record: nonDecision, records: RECORDS },
  {
    name: 'grouped: market-maker mix (2 in 5 forced)',
    options: {},
    record: marketMakerMix,
    records: Math.ceil(RECORDS / 5),
  },
];

function runOnce(c: Case): { seconds: number; fsyncs: number } {
  const dir = mkdtempSync(join(BASE, 'journal-measure-'));
  try {
    const writer = JournalWriter.open(dir, c.options);
    const entries = Array.from({ length: c.records }, (_, i) => c.record(i));
    const started = process.hrtime.bigint();
    for (const entry of entries) writer.append(entry);
    writer.flush();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds, fsyncs: writer.stats.fsyncs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[][] = [['policy', 'records', 'fsyncs', 'records/s', 'µs/record']];
for (const c of CASES) {
  const runs = Array.from({ length: RUNS }, () => runOnce(c)).sort((a, b) => a.seconds - b.seconds);
  const median = runs[Math.floor(runs.length / 2)]!;
  rows.push([
    c.name,
    String(c.records),
    c.options.fs === noFsync ? '—' : String(median.fsyncs),
    Math.round(c.records / median.seconds).toLocaleString('en-US'),
    ((median.seconds * 1e6) / c.records).toFixed(2),
  ]);
}
console.log(
  `journal write policy (groupRecords ${DEFAULT_WRITE_POLICY.groupRecords}, groupSpanUs ${DEFAULT_WRITE_POLICY.groupSpanUs}), ` +
    `median of ${RUNS}, folder ${BASE}, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
);
console.log(textTable(rows, [false, true, true, true, true]));
