/**
 * `cli validate <dir>`: the checks of core/recording/validation-report.ts as DuckDB SQL over a
 * recording's Parquet files (raw/, book/, trade/; event/ is counted only). Any folder holding the
 * recorder's layout works: the recording root, or a copy of some of its kinds.
 *
 * Data loss (the `gaps` check) comes from the event table's book_state/connection rows
 * (core/recording/loss-windows.ts) and from holes in `rec_seq`; silences are quiet periods,
 * reported as information with each stream's median interval.
 *
 * Sessions are told apart by `rec_session` (the recorder's start time, on every row). Each check
 * runs once over the folder (the totals, with examples) and once grouped by session (counts within
 * each session); ids repeated from an earlier session are counted per session as well.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lossWindows, type StateRow } from '../../core/recording/loss-windows.ts';
import { RECORDING_KINDS, type RecordingKind } from '../../core/recording/recording-tables.ts';
import {
  CHECKS,
  type CheckName,
  DEFAULT_VALIDATION_THRESHOLDS,
  type Findings,
  type GapFinding,
  isClean,
  isSessionClean,
  type SessionSummary,
  type StreamStats,
  trimDecimal,
  type ValidationReport,
  type ValidationThresholds,
} from '../../core/recording/validation-report.ts';
import { type DuckDb, openDuckDb, parquetFiles, readParquetSql, sqlIdent, toNumber } from './duckdb.ts';
import { UNITS_TO_DECIMAL_SQL } from './recording-sql.ts';

type Row = Record<string, unknown>;

/** Book level columns (integer units): bid_0_price_units … ask_19_size_units. */
const LEVEL = /^(bid|ask)_\d+_(price|size)_units$/;

const VIEW: Record<RecordingKind, string> = {
  raw: 'rec_raw',
  book: 'rec_book',
  trade: 'rec_trade',
  event: 'rec_event',
};

async function rows(db: DuckDb, sql: string): Promise<Row[]> {
  // JSON values: DECIMALs as exact text, BIGINTs as text (converted with toNumber).
  return (await db.connection.runAndReadAll(sql)).getRowObjectsJson() as Row[];
}

function findings<T>(found: Row[], map: (r: Row) => T): Findings<T> {
  return { count: found.length > 0 ? toNumber(found[0]!.total) : 0, examples: found.map(map) };
}

const NONE: Findings<never> = { count: 0, examples: [] };

export async function validateRecording(
  dir: string,
  thresholds: ValidationThresholds = DEFAULT_VALIDATION_THRESHOLDS,
): Promise<ValidationReport> {
  if (!existsSync(dir)) throw new Error(`no such folder: ${dir}`);
  const db = await openDuckDb();
  try {
    await db.connection.run(UNITS_TO_DECIMAL_SQL);
    const files: Partial<Record<RecordingKind, number>> = {};
    const counts: Partial<Record<RecordingKind, number>> = {};
    const has = new Set<RecordingKind>();
    for (const kind of RECORDING_KINDS) {
      const list = parquetFiles(join(dir, kind));
      if (list.length === 0) continue;
      has.add(kind);
      files[kind] = list.length;
      await db.connection.run(`CREATE VIEW ${VIEW[kind]} AS SELECT * FROM ${readParquetSql(list)}`);
      counts[kind] = toNumber((await rows(db, `SELECT count(*) AS n FROM ${VIEW[kind]}`))[0]!.n);
    }
    const limit = Math.max(0, Math.floor(thresholds.maxExamples));
    const maxGap = Math.floor(thresholds.maxGapMicros);

    // Intervals between consecutive rows of one stream, in recorder order, within a session.
    const intervalSql: string[] = [];
    if (has.has('raw'))
      intervalSql.push(
        `SELECT 'raw' AS kind, exchange, 'ALL' AS symbol, connection AS stream, rec_session, lag(local_ts) OVER (PARTITION BY rec_session, exchange, connection ORDER BY rec_seq) AS from_ts, local_ts AS to_ts FROM rec_raw WHERE type = 'message'`,
      );
    for (const kind of ['book', 'trade'] as const)
      if (has.has(kind))
        intervalSql.push(
          `SELECT '${kind}' AS kind, exchange, symbol, symbol AS stream, rec_session, lag(local_ts) OVER (PARTITION BY rec_session, exchange, symbol ORDER BY rec_seq) AS from_ts, local_ts AS to_ts FROM ${VIEW[kind]}`,
        );
    if (intervalSql.length > 0)
      await db.connection.run(
        `CREATE TEMP TABLE rec_intervals AS SELECT *, to_ts - from_ts AS gap FROM (${intervalSql.join(' UNION ALL ')}) WHERE from_ts IS NOT NULL`,
      );

    // Streams: per exchange (raw messages) and per exchange/symbol (book rows, trades).
    const streamSql: string[] = [];
    if (has.has('raw'))
      streamSql.push(
        `SELECT 'raw' AS kind, exchange, 'ALL' AS symbol, count(*) AS n, min(local_ts) AS first, max(local_ts) AS last FROM rec_raw WHERE type = 'message' GROUP BY exchange`,
      );
    for (const kind of ['book', 'trade'] as const)
      if (has.has(kind))
        streamSql.push(
          `SELECT '${kind}' AS kind, exchange, symbol, count(*) AS n, min(local_ts) AS first, max(local_ts) AS last FROM ${VIEW[kind]} GROUP BY exchange, symbol`,
        );
    const streams: StreamStats[] =
      streamSql.length === 0
        ? []
        : (
            await rows(
              db,
              `SELECT s.*, u.usual FROM (${streamSql.join(' UNION ALL ')}) s LEFT JOIN
                 (SELECT kind, exchange, symbol, quantile_disc(gap, 0.5) AS usual FROM rec_intervals GROUP BY ALL) u
                 USING (kind, exchange, symbol)
               ORDER BY kind, exchange, symbol`,
            )
          ).map((r) => {
            const first = toNumber(r.first);
            const last = toNumber(r.last);
            const n = toNumber(r.n);
            const seconds = (last - first) / 1e6;
            return {
              kind: r.kind as StreamStats['kind'],
              exchange: String(r.exchange),
              symbol: String(r.symbol),
              rows: n,
              firstTs: first,
              lastTs: last,
              seconds,
              perSecond: seconds > 0 ? n / seconds : null,
              usualIntervalMicros: r.usual === null || r.usual === undefined ? null : toNumber(r.usual),
            };
          });

    // Quiet periods (information): silences of raw connections and book symbols over the threshold.
    const quietWhere = `kind IN ('raw', 'book') AND gap > ${maxGap}`;
    const quietPeriods =
      intervalSql.length === 0
        ? NONE
        : findings(
            await rows(
              db,
              `SELECT q.*, u.usual, count(*) OVER () AS total FROM (SELECT * FROM rec_intervals WHERE ${quietWhere}) q
               JOIN (SELECT kind, exchange, stream, quantile_disc(gap, 0.5) AS usual FROM rec_intervals GROUP BY ALL) u
               USING (kind, exchange, stream)
               ORDER BY q.gap / greatest(u.usual, 1) DESC, q.gap DESC, kind, exchange, stream LIMIT ${limit}`,
            ),
            (r) => ({
              kind: r.kind as 'raw' | 'book',
              exchange: String(r.exchange),
              stream: String(r.stream),
              fromTs: toNumber(r.from_ts),
              toTs: toNumber(r.to_ts),
              quietMicros: toNumber(r.gap),
              usualIntervalMicros: toNumber(r.usual),
            }),
          );

    // Session ends: where a loss window still open at the end of a session closes.
    const sessionEnd = new Map<number, number>();
    for (const kind of has)
      for (const r of await rows(
        db,
        `SELECT rec_session, max(local_ts) AS last FROM ${VIEW[kind]} GROUP BY rec_session`,
      )) {
        const session = toNumber(r.rec_session);
        sessionEnd.set(session, Math.max(sessionEnd.get(session) ?? 0, toNumber(r.last)));
      }

    // Data loss: windows from the feed's state events, and the recorder's own drops (rec_seq holes).
    const lost: GapFinding[] = [];
    if (has.has('event')) {
      const states: StateRow[] = (
        await rows(
          db,
          `SELECT rec_session, exchange, symbol, local_ts, type, state, detail FROM rec_event
           WHERE type IN ('book_state', 'connection') ORDER BY rec_session, rec_seq`,
        )
      ).map((r) => ({
        session: toNumber(r.rec_session),
        exchange: String(r.exchange),
        symbol: String(r.symbol),
        localTs: toNumber(r.local_ts),
        type: r.type as StateRow['type'],
        state: String(r.state ?? ''),
        detail: String(r.detail ?? ''),
      }));
      lost.push(...lossWindows(states, sessionEnd));
    }
    // rec_seq counts every row of every table, so holes mean something only where every table is.
    const recorderDropsChecked = RECORDING_KINDS.some((k) => existsSync(join(dir, k)));
    if (recorderDropsChecked && has.size > 0) {
      const all = [...has]
        .map((k) => `SELECT rec_session, rec_seq, local_ts FROM ${VIEW[k]}`)
        .join(' UNION ALL ');
      const holes = await rows(
        db,
        `SELECT rec_session, prev_seq, rec_seq, prev_ts, local_ts FROM (
           SELECT rec_session, rec_seq, local_ts,
                  coalesce(lag(rec_seq) OVER w, -1) AS prev_seq, coalesce(lag(local_ts) OVER w, local_ts) AS prev_ts
           FROM (${all}) WINDOW w AS (PARTITION BY rec_session ORDER BY rec_seq))
         WHERE rec_seq - prev_seq > 1 ORDER BY rec_session, rec_seq`,
      );
      for (const r of holes) {
        const missing = toNumber(r.rec_seq) - toNumber(r.prev_seq) - 1;
        const from = toNumber(r.prev_ts);
        const to = toNumber(r.local_ts);
        lost.push({
          cause: 'recorder_drop',
          exchange: 'ALL',
          stream: 'ALL',
          session: toNumber(r.rec_session),
          fromTs: from,
          toTs: to,
          gapMicros: to - from,
          detail: `${missing} rows accepted by the recorder and not on disk`,
        });
      }
    }
    lost.sort((a, b) => b.gapMicros - a.gapMicros || a.fromTs - b.fromTs);
    const gaps: Findings<GapFinding> = { count: lost.length, examples: lost.slice(0, limit) };

    const duplicateSequences = has.has('book')
      ? findings(
          await rows(
            db,
            `SELECT exchange, symbol, sequence, count(*) AS n, count(*) OVER () AS total FROM rec_book
             WHERE sequence IS NOT NULL GROUP BY exchange, symbol, sequence HAVING count(*) > 1
             ORDER BY n DESC, exchange, symbol, sequence LIMIT ${limit}`,
          ),
          (r) => ({
            exchange: String(r.exchange),
            symbol: String(r.symbol),
            sequence: toNumber(r.sequence),
            rows: toNumber(r.n),
          }),
        )
      : NONE;

    const duplicateTradeIds = has.has('trade')
      ? findings(
          await rows(
            db,
            `SELECT exchange, symbol, trade_id, count(*) AS n, count(*) OVER () AS total FROM rec_trade
             GROUP BY exchange, symbol, trade_id HAVING count(*) > 1
             ORDER BY n DESC, exchange, symbol, trade_id LIMIT ${limit}`,
          ),
          (r) => ({
            exchange: String(r.exchange),
            symbol: String(r.symbol),
            tradeId: String(r.trade_id),
            rows: toNumber(r.n),
          }),
        )
      : NONE;

    // The same frame or book row recorded twice: same stream and receive time AND the same content.
    // (Receive time alone is no evidence: frames read from one TCP segment share a µs — in the
    // hftbacktest BTCUSDT spot capture 2 869 receive times are shared by several distinct messages.)
    const levelColumns = has.has('book')
      ? (await rows(db, 'DESCRIBE rec_book')).map((r) => String(r.column_name)).filter((c) => LEVEL.test(c))
      : [];
    const dupTsSql: string[] = [];
    if (has.has('book'))
      dupTsSql.push(
        `SELECT 'book' AS kind, exchange, symbol AS stream, rec_session, local_ts, count(*) AS n FROM rec_book
         GROUP BY rec_session, exchange, symbol, local_ts, exchange_ts, sequence, hash(${levelColumns.map(sqlIdent).join(', ') || 'NULL'})
         HAVING count(*) > 1`,
      );
    if (has.has('raw'))
      dupTsSql.push(
        `SELECT 'raw' AS kind, exchange, connection AS stream, rec_session, local_ts, count(*) AS n FROM rec_raw WHERE type = 'message'
         GROUP BY rec_session, exchange, connection, local_ts, hash(body) HAVING count(*) > 1`,
      );
    const duplicateTimestamps =
      dupTsSql.length === 0
        ? NONE
        : findings(
            await rows(
              db,
              `SELECT *, count(*) OVER () AS total FROM (${dupTsSql.join(' UNION ALL ')})
               ORDER BY n DESC, kind, exchange, stream, local_ts LIMIT ${limit}`,
            ),
            (r) => ({
              kind: r.kind as 'raw' | 'book',
              exchange: String(r.exchange),
              stream: String(r.stream),
              localTs: toNumber(r.local_ts),
              rows: toNumber(r.n),
            }),
          );

    const crossedBooks = has.has('book')
      ? findings(
          await rows(
            db,
            `SELECT exchange, symbol, local_ts, units_to_decimal(bid_0_price_units, price_scale)::VARCHAR AS bid,
                    units_to_decimal(ask_0_price_units, price_scale)::VARCHAR AS ask, count(*) OVER () AS total
             FROM rec_book WHERE bid_0_price_units >= ask_0_price_units ORDER BY rec_session, rec_seq LIMIT ${limit}`,
          ),
          (r) => ({
            exchange: String(r.exchange),
            symbol: String(r.symbol),
            localTs: toNumber(r.local_ts),
            bid: trimDecimal(String(r.bid)),
            ask: trimDecimal(String(r.ask)),
          }),
        )
      : NONE;

    const negSql: string[] = [];
    if (has.has('book')) {
      const columns = levelColumns.filter((c) => c.endsWith('_size_units'));
      if (columns.length > 0) {
        const cols = columns.map(sqlIdent).join(', ');
        const any = columns.map((c) => `${sqlIdent(c)} < 0`).join(' OR ');
        negSql.push(
          `SELECT 'book' AS kind, exchange, symbol, local_ts, rec_session, rec_seq, replace(col, '_units', '') AS col,
                  units_to_decimal(units, size_scale)::VARCHAR AS size FROM (
             UNPIVOT (SELECT exchange, symbol, local_ts, rec_session, rec_seq, size_scale, ${cols} FROM rec_book WHERE ${any})
             ON ${cols} INTO NAME col VALUE units) WHERE units < 0`,
        );
      }
    }
    if (has.has('trade'))
      negSql.push(
        `SELECT 'trade' AS kind, exchange, symbol, local_ts, rec_session, rec_seq, 'size' AS col,
                units_to_decimal(size_units, size_scale)::VARCHAR AS size FROM rec_trade WHERE size_units < 0`,
      );
    const negativeSizes =
      negSql.length === 0
        ? NONE
        : findings(
            await rows(
              db,
              `SELECT *, count(*) OVER () AS total FROM (${negSql.join(' UNION ALL ')})
               ORDER BY rec_session, rec_seq, col LIMIT ${limit}`,
            ),
            (r) => ({
              kind: r.kind as 'book' | 'trade',
              exchange: String(r.exchange),
              symbol: String(r.symbol),
              localTs: toNumber(r.local_ts),
              column: String(r.col),
              size: trimDecimal(String(r.size)),
            }),
          );

    const checks = {
      gaps,
      duplicateSequences,
      duplicateTradeIds,
      duplicateTimestamps,
      crossedBooks,
      negativeSizes,
    };

    // Per session: the same checks grouped by rec_session, and ids an earlier session already used.
    const perCheck: Record<CheckName, string[]> = {
      gaps: [],
      duplicateSequences: has.has('book')
        ? [
            `SELECT rec_session FROM rec_book WHERE sequence IS NOT NULL
             GROUP BY rec_session, exchange, symbol, sequence HAVING count(*) > 1`,
          ]
        : [],
      duplicateTradeIds: has.has('trade')
        ? [
            `SELECT rec_session FROM rec_trade GROUP BY rec_session, exchange, symbol, trade_id HAVING count(*) > 1`,
          ]
        : [],
      duplicateTimestamps: dupTsSql.length
        ? [`SELECT rec_session FROM (${dupTsSql.join(' UNION ALL ')})`]
        : [],
      crossedBooks: has.has('book')
        ? ['SELECT rec_session FROM rec_book WHERE bid_0_price_units >= ask_0_price_units']
        : [],
      negativeSizes: negSql.length ? [`SELECT rec_session FROM (${negSql.join(' UNION ALL ')})`] : [],
    };
    const sessionCounts = async (sources: readonly string[]): Promise<Map<number, number>> => {
      const out = new Map<number, number>();
      if (sources.length === 0) return out;
      const found = await rows(
        db,
        `SELECT rec_session, count(*) AS n FROM (${sources.join(' UNION ALL ')}) GROUP BY rec_session`,
      );
      for (const r of found) out.set(toNumber(r.rec_session), toNumber(r.n));
      return out;
    };
    const reused = (view: string, id: string, where: string): string[] => [
      `SELECT rec_session FROM (
         SELECT rec_session, min(rec_session) OVER (PARTITION BY exchange, symbol, ${id}) AS first_session
         FROM (SELECT DISTINCT rec_session, exchange, symbol, ${id} FROM ${view} ${where}))
       WHERE rec_session > first_session`,
    ];
    const byCheck = new Map<CheckName, Map<number, number>>();
    for (const check of CHECKS) byCheck.set(check, await sessionCounts(perCheck[check]));
    const lossesBySession = new Map<number, number>();
    for (const g of lost) lossesBySession.set(g.session, (lossesBySession.get(g.session) ?? 0) + 1);
    byCheck.set('gaps', lossesBySession);
    const reusedSequences = await sessionCounts(
      has.has('book') ? reused('rec_book', 'sequence', 'WHERE sequence IS NOT NULL') : [],
    );
    const reusedTradeIds = await sessionCounts(has.has('trade') ? reused('rec_trade', 'trade_id', '') : []);

    const spans = new Map<
      number,
      { first: number; last: number; rows: Partial<Record<RecordingKind, number>> }
    >();
    for (const kind of has) {
      const found = await rows(
        db,
        `SELECT rec_session, count(*) AS n, min(local_ts) AS first, max(local_ts) AS last FROM ${VIEW[kind]} GROUP BY rec_session`,
      );
      for (const r of found) {
        const session = toNumber(r.rec_session);
        const first = toNumber(r.first);
        const last = toNumber(r.last);
        const span = spans.get(session);
        if (!span) spans.set(session, { first, last, rows: { [kind]: toNumber(r.n) } });
        else {
          span.first = Math.min(span.first, first);
          span.last = Math.max(span.last, last);
          span.rows[kind] = toNumber(r.n);
        }
      }
    }
    const sessions: SessionSummary[] = [...spans.entries()]
      .sort(([a], [b]) => a - b)
      .map(([session, span]) => {
        const findings = Object.fromEntries(
          CHECKS.map((c) => [c, byCheck.get(c)?.get(session) ?? 0]),
        ) as Record<CheckName, number>;
        const summary = {
          session,
          firstTs: span.first,
          lastTs: span.last,
          rows: span.rows,
          findings,
          reusedSequences: reusedSequences.get(session) ?? 0,
          reusedTradeIds: reusedTradeIds.get(session) ?? 0,
        };
        return { ...summary, clean: isSessionClean(summary) };
      });

    return {
      root: dir,
      thresholds,
      files,
      rows: counts,
      streams,
      ...checks,
      quietPeriods,
      recorderDropsChecked,
      sessions,
      clean: isClean(checks),
    };
  } finally {
    db.close();
  }
}
