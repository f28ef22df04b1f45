/**
 * A rows payload as the archive's Parquet objects: the local recorder's sink
 * (local/storage/parquet-sink.ts) writes the payload's rows — one file per UTC hour they touch —
 * into memory, and each file gets an S3 key in the recorder's layout
 * (`<prefix>/<kind>/exchange=/symbol=/date=/hour=/`, core/recording/partition-path.ts).
 *
 * The file name comes from the payload's identity, `part-<session>-<seq>.parquet`, not from the
 * next free number: the same record written twice (a retried batch, a redelivery) lands on the same
 * key and replaces itself, so a row is stored once however often its record is processed.
 */
import { posix } from 'node:path';
import type { RowsPayload } from '../../fargate/stream/rows-payload.ts';
import { ParquetSink } from '../../local/storage/parquet-sink.ts';
import { MemoryFileSystem } from './memory-file-system.ts';
import { payloadBatch } from './payload-rows.ts';

export interface ParquetObject {
  readonly key: string;
  readonly body: Uint8Array;
}

const ROOT = '/archive';

/** `part-<session>-<seq>.parquet`: one name per stream record (session: 16 digits, µs). */
export function recordFileName(payload: Pick<RowsPayload, 'session' | 'seq'>): string {
  return `part-${payload.session}-${String(payload.seq).padStart(9, '0')}.parquet`;
}

export async function parquetObjects(payload: RowsPayload, prefix: string): Promise<ParquetObject[]> {
  const fs = new MemoryFileSystem();
  const sink = await ParquetSink.open({ root: ROOT, fs });
  try {
    const files = await sink.write(payloadBatch(payload));
    const name = recordFileName(payload);
    const base = prefix.replace(/\/+$/, '');
    return files.map((file) => {
      const dir = posix.relative(ROOT, posix.dirname(file));
      return {
        key: base ? `${base}/${dir}/${name}` : `${dir}/${name}`,
        body: fs.read(file),
      };
    });
  } finally {
    await sink.close();
  }
}
