/**
 * `npm run cli -- journal <dir> [--order ID] [--from T] [--to T] [--kind k,…] [--json]`
 *
 * Reads the trading journal (fargate/journal, docs/journal.md): `<dir>` is the data dir (its
 * `journal/` folder is read) or the journal folder itself. T is ISO 8601 (UTC unless an offset is
 * given) or µs since the epoch; the range includes both ends. Prints an aligned table (time, seq,
 * kind, order, instrument, side, price, size, venue, outcome), or with --json the matching records as
 * JSON lines, exactly as the journal stores them (one object per line, streamable into jq). Lines
 * the journal could not decode are counted on stderr, never fatal.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { isoUtcMicros } from '../../core/backtest/report/format.ts';
import { textTable } from '../../core/format/text-table.ts';
import { formatDecimal } from '../../core/num/format-decimal.ts';
import {
  encodeRecord,
  JOURNAL_KINDS,
  type JournalKind,
  type JournalRecord,
  type JsonValue,
} from '../../core/oms/journal/journal-record.ts';
import { journalDays, journalDirOf } from '../../fargate/journal/journal-files.ts';
import {
  type JournalFilter,
  type JournalReadStats,
  readJournal,
} from '../../fargate/journal/journal-reader.ts';
import { isoTime } from '../../local/backtest/cli-args.ts';
import { type CommandIo, consoleIo } from '../../local/backtest/command-io.ts';

export interface JournalCommandOptions {
  readonly dir: string;
  readonly order?: string;
  readonly from?: number;
  readonly to?: number;
  readonly kinds?: readonly JournalKind[];
  readonly json?: boolean;
}

/** ISO 8601 or an integer count of µs since the epoch → µs. */
export function journalTime(value: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const us = Number(text);
    if (!Number.isSafeInteger(us)) throw new InvalidArgumentError('µs since the epoch: too large');
    return us;
  }
  try {
    return isoTime(text);
  } catch {
    throw new InvalidArgumentError('expected ISO 8601 (2024-08-08T23:55:00Z) or µs since the epoch');
  }
}

function kindList(value: string): JournalKind[] {
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(JOURNAL_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0)
    throw new InvalidArgumentError(`unknown kind ${unknown.join(', ')} (one of ${JOURNAL_KINDS.join(', ')})`);
  return kinds as JournalKind[];
}

function holdsJournal(dir: string): boolean {
  return journalDays(readdirSync(dir)).length > 0;
}

/** The journal folder `dir` names: the data dir's `journal/`, or `dir` itself. Throws one line. */
export function resolveJournalDir(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`journal: no such directory: ${dir}`);
  const nested = journalDirOf(dir);
  if (existsSync(nested) && statSync(nested).isDirectory() && holdsJournal(nested)) return nested;
  if (holdsJournal(dir)) return dir;
  throw new Error(`journal: no journal files (journal-YYYY-MM-DD.jsonl[.gz]) in ${dir} or ${nested}`);
}

/** A free-form value, short: the table is for scanning, --json has it whole. */
function brief(value: JsonValue): string {
  const text = JSON.stringify(value) ?? '';
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

const HEADER = [
  'time (UTC)',
  'seq',
  'kind',
  'order',
  'instrument',
  'side',
  'price',
  'size',
  'venue',
  'outcome',
];

/** One table row: the columns that do not apply to a kind stay empty. */
export function journalRow(r: JournalRecord): string[] {
  const head = [isoUtcMicros(r.ts), String(r.seq), r.kind];
  switch (r.kind) {
    case 'order':
      return [
        ...head,
        String(r.orderId),
        `${r.exchange}:${r.symbol}`,
        r.side,
        r.price === null ? 'market' : formatDecimal(r.price, r.priceScale),
        formatDecimal(r.size, r.sizeScale),
        r.exchange,
        `${r.event} → ${r.status}${r.filled > 0 ? ` (filled ${formatDecimal(r.filled, r.sizeScale)})` : ''}${r.reason ? `: ${r.reason}` : ''}`,
      ];
    case 'fill':
      return [
        ...head,
        String(r.orderId),
        `${r.exchange}:${r.symbol}`,
        r.side,
        formatDecimal(r.price, r.priceScale),
        formatDecimal(r.size, r.sizeScale),
        r.venue,
        `fill ${r.tradeId} ${r.maker ? 'maker' : 'taker'}, fee ${formatDecimal(r.fee, r.feeScale)} ${r.feeCurrency}`,
      ];
    case 'risk':
      return [
        ...head,
        String(r.orderId),
        '',
        '',
        '',
        '',
        '',
        [r.outcome, r.reason, r.detail].filter((s) => s !== undefined && s !== '').join(' '),
      ];
    case 'state':
      return [...head, '', '', '', '', '', '', `${r.from} → ${r.to}: ${r.reason}`];
    case 'params':
      return [...head, '', '', '', '', '', '', `${r.target} ${brief(r.old)} → ${brief(r.new)}`];
    case 'control':
      return [...head, '', '', '', '', '', '', `${r.action} ${brief(r.detail)}`];
    case 'session':
      return [
        ...head,
        '',
        '',
        '',
        '',
        '',
        r.instance,
        `${r.phase} ${r.strategy} epoch ${r.epoch} seed ${r.seed} config ${r.configHash}`,
      ];
  }
}

function describeStats(stats: JournalReadStats, dir: string): string {
  const parts = [
    `${stats.matched} of ${stats.records} records`,
    `${stats.files} file${stats.files === 1 ? '' : 's'} in ${dir}`,
  ];
  if (stats.badLines > 0) {
    const first = stats.badLineExamples[0];
    parts.push(
      `${stats.badLines} bad line${stats.badLines === 1 ? '' : 's'} skipped${first ? ` (first: ${first.file}:${first.line} ${first.error})` : ''}`,
    );
  }
  if (stats.repeated > 0) parts.push(`${stats.repeated} repeated records skipped`);
  for (const u of stats.unreadableFiles) parts.push(`${u.file} unreadable: ${u.error}`);
  return parts.join('; ');
}

export async function runJournalCommand(
  opts: JournalCommandOptions,
  io: CommandIo = consoleIo(),
): Promise<JournalReadStats> {
  if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to)
    throw new Error('journal: --from must not be later than --to');
  const dir = resolveJournalDir(opts.dir);
  const filter: JournalFilter = {
    ...(opts.order !== undefined ? { order: opts.order } : {}),
    ...(opts.from !== undefined ? { from: opts.from } : {}),
    ...(opts.to !== undefined ? { to: opts.to } : {}),
    ...(opts.kinds !== undefined ? { kinds: opts.kinds } : {}),
  };
  const { records, stats } = readJournal(dir, filter);
  if (opts.json) {
    for await (const record of records) io.log(encodeRecord(record));
    io.status(describeStats(stats, dir));
    return stats;
  }
  const rows: string[][] = [HEADER];
  for await (const record of records) rows.push(journalRow(record));
  io.log(
    rows.length > 1
      ? textTable(rows, [false, true, false, true, false, false, true, true])
      : 'no records match',
  );
  io.log(describeStats(stats, dir));
  return stats;
}

interface JournalCliFlags {
  order?: string;
  from?: number;
  to?: number;
  kind?: JournalKind[];
  json?: boolean;
}

export function register(
  program: Command,
  run: (opts: JournalCommandOptions) => Promise<unknown> = (opts) => runJournalCommand(opts),
): Command {
  return program
    .command('journal')
    .description('Show the trading journal: orders, fills, risk decisions, state and parameter changes')
    .argument('<dir>', 'the data dir (its journal/ folder) or the journal folder')
    .option('--order <id>', "one order's records: order id, client order id or venue order id")
    .option('--from <t>', 'from this event time, ISO 8601 or µs since the epoch (included)', journalTime)
    .option('--to <t>', 'up to this event time (included)', journalTime)
    .option('--kind <list>', `only these kinds, comma-separated (${JOURNAL_KINDS.join(', ')})`, kindList)
    .option('--json', 'the matching records as JSON lines, as stored')
    .action(async (dir: string, flags: JournalCliFlags) => {
      await run({
        dir,
        ...(flags.order !== undefined ? { order: flags.order } : {}),
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        ...(flags.kind !== undefined ? { kinds: flags.kind } : {}),
        ...(flags.json ? { json: true } : {}),
      });
    });
}
