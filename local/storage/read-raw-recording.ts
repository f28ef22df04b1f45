/**
 * Read a raw recording (the recorder's `raw/` Parquet files) back as capture records, one Capture per
 * exchange, in the order the live session received them (rec_session, rec_seq) — so
 * `replayCapture(capture.records, feed)` sees exactly what the live feed saw.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureRecord, CaptureRecordKind } from '../../core/capture/capture-record.ts';
import { isExchangeId } from '../../core/market/exchange.ts';
import { RAW_TYPES } from '../../core/recording/recording-tables.ts';
import type { Capture } from '../capture/read-capture.ts';
import { openDuckDb, parquetFiles, readParquetSql } from './duckdb.ts';

/** The raw/ folder of a recording root, or `dir` itself when it is one. */
export function rawFolder(dir: string): string {
  return existsSync(join(dir, 'raw')) ? join(dir, 'raw') : dir;
}

/** Does `dir` hold a raw Parquet recording (so `books` should read it with readRawRecording)? */
export function isRawRecording(dir: string): boolean {
  return parquetFiles(rawFolder(dir)).some((f) => /[\\/]exchange=[^\\/]+[\\/]/.test(f));
}

const KINDS = new Set<string>(RAW_TYPES);

export async function readRawRecording(dir: string): Promise<Capture[]> {
  const root = rawFolder(dir);
  const files = parquetFiles(root);
  if (files.length === 0) return [];
  const db = await openDuckDb();
  try {
    const result = await db.connection.stream(
      `SELECT exchange, type, local_ts::DOUBLE AS local_ts, url, body FROM ${readParquetSql(files)} ORDER BY exchange, rec_session, rec_seq`,
    );
    const byExchange = new Map<string, CaptureRecord[]>();
    let current: CaptureRecord[] | undefined;
    let currentExchange = '';
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const [exchanges, types, times, urls, bodies] = chunk.getColumns() as [
        string[],
        string[],
        number[],
        string[],
        string[],
      ];
      for (let i = 0; i < exchanges.length; i++) {
        const exchange = exchanges[i]!;
        if (exchange !== currentExchange || !current) {
          currentExchange = exchange;
          current = byExchange.get(exchange);
          if (!current) {
            current = [];
            byExchange.set(exchange, current);
          }
        }
        const kind = types[i]!;
        if (!KINDS.has(kind)) throw new Error(`raw recording row of unknown type ${kind}`);
        current.push({
          kind: kind as CaptureRecordKind,
          localTs: times[i]!,
          url: urls[i] ?? '',
          body: bodies[i] ?? '',
        });
      }
    }
    const captures: Capture[] = [];
    for (const [exchange, records] of byExchange) {
      if (!isExchangeId(exchange)) throw new Error(`raw recording for unknown exchange ${exchange}`);
      captures.push({ path: join(root, `exchange=${exchange}`), exchange, records });
    }
    return captures;
  } finally {
    db.close();
  }
}
