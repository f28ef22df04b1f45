/**
 * What `cli validate <dir>` finds in a recording, and how it is printed. The checks themselves run as
 * SQL over the Parquet files (local/storage/validate-recording.ts); this file holds the rules'
 * thresholds, the report's shape and the human summary — pure, so any adapter (DuckDB locally,
 * Athena in the cloud) can fill the same report.
 *
 * Rules:
 * - gaps (data loss, a real problem): windows in which data was lost or cannot be trusted —
 *   `sequence_break` (the feed found a sequence gap or checksum mismatch: book_state 'stale' with a
 *   gap/checksum reason, until it is trusted again), `reconnect` (a connection down, or books stale
 *   because it dropped, until trusted again), `untrusted_book` (a book stale for another reason,
 *   such as a refused message), `recorder_drop` (rows the recorder accepted that are not on disk:
 *   holes in `rec_seq`, its one counter over every row, checked only over a recording root, where
 *   every table is present). The time between two sessions is downtime, shown by the sessions'
 *   time ranges, not a gap;
 * - quiet periods (information, never a failure): consecutive raw messages of one connection, or
 *   consecutive book rows of one symbol, more than `maxGapMicros` apart within one session, each
 *   with the stream's usual interval (the median of its intervals) — an illiquid symbol is quiet for
 *   seconds without losing anything;
 * - duplicate sequence ids: two book rows of one symbol with the same venue sequence; duplicate
 *   trade ids likewise for trades;
 * - duplicate timestamps: two book rows of one symbol, or two raw messages of one connection, with the
 *   same receive time (µs) — a frame recorded twice;
 * - crossed books: best bid ≥ best ask in a book row;
 * - negative sizes: any level size or trade size below zero.
 *
 * The checks run over the whole folder (the totals) and per recorder session (`rec_session`, the
 * recorder's start time): a session's line counts what lies within it, plus the sequence ids and
 * trade ids it repeats from an earlier session (a venue never reuses ids, so a restart that does is
 * found here).
 */
import { textTableLines } from '../format/text-table.ts';
import type { RecordingKind } from './recording-tables.ts';

export interface ValidationThresholds {
  /** A silence longer than this between consecutive messages is a quiet period (µs). */
  readonly maxGapMicros: number;
  /** Examples kept per finding (the count is always complete). */
  readonly maxExamples: number;
}

export const DEFAULT_VALIDATION_THRESHOLDS: ValidationThresholds = {
  maxGapMicros: 1_000_000,
  maxExamples: 20,
};

export type StreamKind = 'raw' | 'book' | 'trade';

export interface StreamStats {
  readonly kind: StreamKind;
  readonly exchange: string;
  /** Path-safe symbol; ALL for raw frames. */
  readonly symbol: string;
  /** Raw: WS messages only (REST bodies and connection lines are not messages). */
  readonly rows: number;
  readonly firstTs: number;
  readonly lastTs: number;
  readonly seconds: number;
  /** rows / seconds; null when the stream spans no time. */
  readonly perSecond: number | null;
  /** The median time between consecutive rows (µs, within a session); null with fewer than two rows. */
  readonly usualIntervalMicros: number | null;
}

export type LossCause = 'sequence_break' | 'reconnect' | 'untrusted_book' | 'recorder_drop';

/** A window in which data was lost or not trustworthy. */
export interface GapFinding {
  readonly cause: LossCause;
  readonly exchange: string;
  /** The symbol (path-safe; ALL for a connection or the recorder). */
  readonly stream: string;
  readonly session: number;
  readonly fromTs: number;
  readonly toTs: number;
  readonly gapMicros: number;
  /** The feed's reason, or for recorder drops the number of rows missing. */
  readonly detail: string;
}

/** A silence longer than the threshold: information, with the stream's usual pace beside it. */
export interface QuietPeriod {
  readonly kind: 'raw' | 'book';
  readonly exchange: string;
  /** The connection id (raw) or symbol (book). */
  readonly stream: string;
  readonly fromTs: number;
  readonly toTs: number;
  readonly quietMicros: number;
  /** The stream's median interval (µs). */
  readonly usualIntervalMicros: number;
}

export interface DuplicateSequence {
  readonly exchange: string;
  readonly symbol: string;
  readonly sequence: number;
  readonly rows: number;
}

export interface DuplicateTradeId {
  readonly exchange: string;
  readonly symbol: string;
  readonly tradeId: string;
  readonly rows: number;
}

export interface DuplicateTimestamp {
  readonly kind: 'raw' | 'book';
  readonly exchange: string;
  readonly stream: string;
  readonly localTs: number;
  readonly rows: number;
}

export interface CrossedBook {
  readonly exchange: string;
  readonly symbol: string;
  readonly localTs: number;
  readonly bid: string;
  readonly ask: string;
}

export interface NegativeSize {
  readonly kind: 'book' | 'trade';
  readonly exchange: string;
  readonly symbol: string;
  readonly localTs: number;
  readonly column: string;
  readonly size: string;
}

export interface Findings<T> {
  /** Every occurrence (gaps, duplicated values, crossed rows, negative sizes). */
  readonly count: number;
  /** The worst/first few, at most maxExamples. */
  readonly examples: readonly T[];
}

/** What one recorder session holds and what the checks found within it. */
export interface SessionSummary {
  /** The recorder session id: its start time, µs. */
  readonly session: number;
  /** Receive-time range of its rows, µs. */
  readonly firstTs: number;
  readonly lastTs: number;
  readonly rows: Partial<Record<RecordingKind, number>>;
  /** Per check, the findings within this session. */
  readonly findings: Readonly<Record<CheckName, number>>;
  /** Sequence ids (per exchange and symbol) already used by an earlier session. */
  readonly reusedSequences: number;
  /** Trade ids (per exchange and symbol) already used by an earlier session. */
  readonly reusedTradeIds: number;
  /** Nothing found within it and no id reused. */
  readonly clean: boolean;
}

export interface ValidationReport {
  readonly root: string;
  readonly thresholds: ValidationThresholds;
  readonly files: Partial<Record<RecordingKind, number>>;
  readonly rows: Partial<Record<RecordingKind, number>>;
  readonly streams: readonly StreamStats[];
  readonly gaps: Findings<GapFinding>;
  readonly duplicateSequences: Findings<DuplicateSequence>;
  readonly duplicateTradeIds: Findings<DuplicateTradeId>;
  readonly duplicateTimestamps: Findings<DuplicateTimestamp>;
  readonly crossedBooks: Findings<CrossedBook>;
  readonly negativeSizes: Findings<NegativeSize>;
  /** Information only: silences longer than the threshold, longest relative to the usual pace first. */
  readonly quietPeriods: Findings<QuietPeriod>;
  /** Whether rec_seq holes (recorder drops) were looked for: only over a recording root. */
  readonly recorderDropsChecked: boolean;
  /** One entry per recorder session, oldest first. */
  readonly sessions: readonly SessionSummary[];
  /** No problem of any kind (quiet periods are not problems). */
  readonly clean: boolean;
}

export type CheckName =
  | 'gaps'
  | 'duplicateSequences'
  | 'duplicateTradeIds'
  | 'duplicateTimestamps'
  | 'crossedBooks'
  | 'negativeSizes';

export const CHECKS: readonly CheckName[] = [
  'gaps',
  'duplicateSequences',
  'duplicateTradeIds',
  'duplicateTimestamps',
  'crossedBooks',
  'negativeSizes',
];

export function isClean(report: Pick<ValidationReport, CheckName>): boolean {
  return CHECKS.every((c) => report[c].count === 0);
}

export function isSessionClean(s: Omit<SessionSummary, 'clean'>): boolean {
  return CHECKS.every((c) => s.findings[c] === 0) && s.reusedSequences === 0 && s.reusedTradeIds === 0;
}

/** An exact DECIMAL text without the padding zeros of its 18-digit scale ("61837.640000" → "61837.64"). */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function time(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().replace('T', ' ').replace('Z', '');
}

function seconds(us: number): string {
  return (us / 1e6).toFixed(3);
}

function quietLine(q: QuietPeriod): string {
  const usual = q.usualIntervalMicros > 0 ? ` (usually every ${seconds(q.usualIntervalMicros)} s)` : '';
  return `${q.kind} ${q.exchange} ${q.stream}: ${seconds(q.quietMicros)} s quiet after ${time(q.fromTs)}${usual}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

const LABELS: Record<CheckName, string> = {
  gaps: 'gaps (data loss)',
  duplicateSequences: 'duplicate sequence ids',
  duplicateTradeIds: 'duplicate trade ids',
  duplicateTimestamps: 'duplicate timestamps',
  crossedBooks: 'crossed books',
  negativeSizes: 'negative sizes',
};

function example(check: CheckName, e: unknown): string {
  switch (check) {
    case 'gaps': {
      const g = e as GapFinding;
      return `${g.cause} ${g.exchange} ${g.stream}: ${seconds(g.gapMicros)} s from ${time(g.fromTs)} (${g.detail})`;
    }
    case 'duplicateSequences': {
      const d = e as DuplicateSequence;
      return `${d.exchange} ${d.symbol}: sequence ${d.sequence} × ${d.rows}`;
    }
    case 'duplicateTradeIds': {
      const d = e as DuplicateTradeId;
      return `${d.exchange} ${d.symbol}: trade ${d.tradeId} × ${d.rows}`;
    }
    case 'duplicateTimestamps': {
      const d = e as DuplicateTimestamp;
      return `${d.kind} ${d.exchange} ${d.stream}: ${time(d.localTs)} (${d.localTs}) × ${d.rows}`;
    }
    case 'crossedBooks': {
      const c = e as CrossedBook;
      return `${c.exchange} ${c.symbol} at ${time(c.localTs)}: bid ${c.bid} ≥ ask ${c.ask}`;
    }
    case 'negativeSizes': {
      const n = e as NegativeSize;
      return `${n.kind} ${n.exchange} ${n.symbol} at ${time(n.localTs)}: ${n.column} = ${n.size}`;
    }
  }
}

function sessionLine(s: SessionSummary): string {
  const kinds = Object.keys(s.rows) as RecordingKind[];
  const rows = kinds.map((k) => `${k} ${count(s.rows[k] ?? 0)}`).join(' · ');
  const found: string[] = [];
  for (const check of CHECKS)
    if (s.findings[check] > 0) found.push(`${LABELS[check]} ${count(s.findings[check])}`);
  if (s.reusedSequences > 0) found.push(`sequence ids of an earlier session ${count(s.reusedSequences)}`);
  if (s.reusedTradeIds > 0) found.push(`trade ids of an earlier session ${count(s.reusedTradeIds)}`);
  const span = `${time(s.firstTs)} → ${time(s.lastTs)}`;
  return `  ${s.clean ? 'ok  ' : 'FAIL'} session ${s.session} (${span}): ${rows} rows${found.length > 0 ? `; ${found.join(', ')}` : ''}`;
}

/**
 * The human summary: files, per-stream counts and rates, one line per recorder session, then each
 * check over the whole folder with a few examples.
 */
export function formatValidationReport(report: ValidationReport, examplesPerCheck = 5): string {
  const lines: string[] = [`recording ${report.root}`];
  const kinds = Object.keys(report.files) as RecordingKind[];
  lines.push(
    kinds.length === 0
      ? 'no Parquet files found'
      : kinds
          .map((k) => `${k}: ${count(report.files[k] ?? 0)} files, ${count(report.rows[k] ?? 0)} rows`)
          .join('  ·  '),
  );
  if (report.streams.length > 0) {
    lines.push('');
    const rows: string[][] = [
      ['kind', 'exchange', 'symbol', 'rows', 'first (UTC)', 'last (UTC)', 'span s', 'rows/s', 'usual gap s'],
    ];
    for (const s of report.streams) {
      rows.push([
        s.kind,
        s.exchange,
        s.symbol,
        count(s.rows),
        time(s.firstTs),
        time(s.lastTs),
        s.seconds.toFixed(1),
        s.perSecond === null ? '—' : s.perSecond.toFixed(1),
        s.usualIntervalMicros === null ? '—' : seconds(s.usualIntervalMicros),
      ]);
    }
    lines.push(...textTableLines(rows));
  }
  if (report.sessions.length > 0) {
    lines.push('', `sessions (${report.sessions.length}):`);
    for (const s of report.sessions) lines.push(sessionLine(s));
  }
  lines.push('', 'checks, all sessions:');
  if (!report.recorderDropsChecked) lines.push('  (recorder drops not checked: not a recording root)');
  for (const check of CHECKS) {
    const f = report[check] as Findings<unknown>;
    lines.push(`  ${f.count === 0 ? 'ok  ' : 'FAIL'} ${LABELS[check]}: ${count(f.count)}`);
    for (const e of f.examples.slice(0, examplesPerCheck)) lines.push(`         ${example(check, e)}`);
    if (f.count > Math.min(f.examples.length, examplesPerCheck)) lines.push('         …');
  }
  const quiet = report.quietPeriods;
  lines.push(
    '',
    `info: quiet periods over ${seconds(report.thresholds.maxGapMicros)} s (not data loss): ${count(quiet.count)}`,
  );
  for (const q of quiet.examples.slice(0, examplesPerCheck)) lines.push(`         ${quietLine(q)}`);
  if (quiet.count > Math.min(quiet.examples.length, examplesPerCheck)) lines.push('         …');
  lines.push('', report.clean ? 'CLEAN' : 'PROBLEMS FOUND');
  return lines.join('\n');
}
