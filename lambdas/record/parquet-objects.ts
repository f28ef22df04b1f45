/**
 * A rows payload as the archive's Parquet objects: the payload's rows are grouped by UTC hour
 * (one payload is one (table, exchange, symbol) partition) and each group becomes one object of
 * one row group, encoded by the recorder's own writer (core/storage/recording-row-groups.ts), under
 * an S3 key in the recorder's layout (`<prefix>/<kind>/exchange=/symbol=/date=/hour=/`,
 * core/recording/partition-path.ts).
 *
 * One object per (table, exchange, symbol, hour) of each payload, not one per hour: S3 objects
 * cannot be appended to, so the local recorder's hourly files have no equivalent here (the cloud
 * compacts with Athena CTAS). The file name comes from the payload's identity,
 * `part-<session>-<seq>.parquet`, not from a next free number: the same record written twice (a
 * retried batch, a redelivery) lands on the same key and replaces itself, so a row is stored once
 * however often its record is processed.
 */
import { partitionDir, utcDateHour } from '../../core/recording/partition-path.ts';
import { PARQUET_MAGIC, parquetFooter } from '../../core/storage/parquet/parquet-writer.ts';
import {
  groupRows,
  HOUR_MICROS,
  RecordingRowGroupEncoder,
  recordingFileMetadata,
} from '../../core/storage/recording-row-groups.ts';
import type { RowsPayload } from '../../fargate/stream/rows-payload.ts';
import { payloadBatch } from './payload-rows.ts';

export interface ParquetObject {
  readonly key: string;
  readonly body: Uint8Array;
}

/** `part-<session>-<seq>.parquet`: one name per stream record (session: 16 digits, µs). */
export function recordFileName(payload: Pick<RowsPayload, 'session' | 'seq'>): string {
  return `part-${payload.session}-${String(payload.seq).padStart(9, '0')}.parquet`;
}

export function parquetObjects(payload: RowsPayload, prefix: string): ParquetObject[] {
  const batch = payloadBatch(payload);
  const encoder = new RecordingRowGroupEncoder();
  const name = recordFileName(payload);
  const base = prefix.replace(/\/+$/, '');
  const metadata = recordingFileMetadata(batch);
  return groupRows(batch.rows, undefined).groups.map((group) => {
    const partition = batch.partitions[group.pid]!;
    const { date, hour } = utcDateHour(group.hour * HOUR_MICROS);
    const dir = partitionDir(batch.table.kind, partition.exchange, partition.symbol, date, hour);
    const g = encoder.encode(batch, group, PARQUET_MAGIC.length);
    const footer = parquetFooter(g.columns, [g.footerEntry], g.rows, metadata);
    const body = new Uint8Array(PARQUET_MAGIC.length + g.bytes.length + footer.length);
    body.set(PARQUET_MAGIC, 0);
    body.set(g.bytes, PARQUET_MAGIC.length);
    body.set(footer, PARQUET_MAGIC.length + g.bytes.length);
    return { key: base ? `${base}/${dir}/${name}` : `${dir}/${name}`, body };
  });
}
