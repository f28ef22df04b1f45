/**
 * Read a raw recording (the recorder's `raw/` Parquet files) back as capture records, one Capture per
 * exchange, in the order the live session received them (rec_session, rec_seq) — so
 * `replayCapture(capture.records, feed)` sees exactly what the live feed saw. Exchanges are told
 * apart by their `exchange=` partition folder, so each is one query over its own files.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureRecord } from '../../core/capture/capture-record.ts';
import { type ExchangeId, isExchangeId } from '../../core/market/exchange.ts';
import { RAW_TYPES } from '../../core/recording/recording-tables.ts';
import { type Capture, type CaptureStream, captureStreamOf } from '../capture/read-capture.ts';
import { type DuckDb, openDuckDb, parquetFiles, readParquetSql } from './duckdb.ts';

/** The raw/ folder of a recording root, or `dir` itself when it is one. */
export function rawFolder(dir: string): string {
  return existsSync(join(dir, 'raw')) ? join(dir, 'raw') : dir;
}

/** Does `dir` hold a raw Parquet recording (so `books` should read it with readRawRecording)? */
export function isRawRecording(dir: string): boolean {
  return parquetFiles(rawFolder(dir)).some((f) => /[\\/]exchange=[^\\/]+[\\/]/.test(f));
}

const EXCHANGE_PARTITION = /[\\/]exchange=([^\\/]+)[\\/]/;

/** The raw files of each exchange (its `exchange=` partition), exchanges in name order. */
function filesByExchange(files: readonly string[]): Map<ExchangeId, string[]> {
  const groups = new Map<ExchangeId, string[]>();
  for (const f of files) {
    const exchange = EXCHANGE_PARTITION.exec(f)?.[1];
    if (exchange === undefined) throw new Error(`raw recording file outside an exchange= folder: ${f}`);
    if (!isExchangeId(exchange)) throw new Error(`raw recording for unknown exchange ${exchange}`);
    let group = groups.get(exchange);
    if (!group) {
      group = [];
      groups.set(exchange, group);
    }
    group.push(f);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** SQL: the record kind as its index in RAW_TYPES (a number crosses from DuckDB without a string decode). */
const KIND_CODE = `list_position([${RAW_TYPES.map((t) => `'${t}'`).join(', ')}], type)`;

/**
 * One exchange's frames in the order the live session received them, one batch per DuckDB chunk.
 * The next chunk is asked for before this one is turned into records, so DuckDB reads and sorts on
 * its threads while the feeds work on the batch. Empty URLs come back as NULL: no string to decode.
 */
async function* exchangeBatches(db: DuckDb, files: readonly string[]): AsyncGenerator<CaptureRecord[]> {
  const result = await db.connection.stream(
    `SELECT ${KIND_CODE} AS kind, local_ts::DOUBLE AS local_ts, NULLIF(url, '') AS url, body FROM ${readParquetSql(files)} ORDER BY rec_session, rec_seq`,
  );
  let next = result.fetchChunk();
  for (;;) {
    const chunk = await next;
    if (!chunk || chunk.rowCount === 0) return;
    next = result.fetchChunk();
    const [kinds, times, urls, bodies] = chunk.getColumns() as [
      Array<number | null>,
      number[],
      Array<string | null>,
      Array<string | null>,
    ];
    const batch: CaptureRecord[] = new Array(kinds.length);
    for (let i = 0; i < kinds.length; i++) {
      const code = kinds[i];
      const kind = code ? RAW_TYPES[code - 1] : undefined;
      if (!kind) throw new Error(`raw recording row of a type other than ${RAW_TYPES.join(', ')}`);
      batch[i] = { kind, localTs: times[i]!, url: urls[i] ?? '', body: bodies[i] ?? '' };
    }
    yield batch;
  }
}

/**
 * The recording as one CaptureStream per exchange, in exchange order; each stream is read while it
 * is iterated (DuckDB streams the rows), so take each one's batches before asking for the next.
 */
export async function* rawRecordingStreams(dir: string): AsyncGenerator<CaptureStream> {
  const root = rawFolder(dir);
  const files = parquetFiles(root);
  if (files.length === 0) return;
  const db = await openDuckDb();
  try {
    for (const [exchange, group] of filesByExchange(files)) {
      yield await captureStreamOf(join(root, `exchange=${exchange}`), exchangeBatches(db, group), exchange);
    }
  } finally {
    db.close();
  }
}

/** Every exchange's frames in memory (a recording small enough to hold; large ones stream with rawRecordingStreams). */
export async function readRawRecording(dir: string): Promise<Capture[]> {
  const captures: Capture[] = [];
  for await (const stream of rawRecordingStreams(dir)) {
    const records: CaptureRecord[] = [];
    for await (const batch of stream.batches) for (const r of batch) records.push(r);
    captures.push({ path: stream.path, exchange: stream.exchange, records });
  }
  return captures;
}
