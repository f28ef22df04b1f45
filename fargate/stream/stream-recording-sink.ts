/**
 * A RecordingSink that publishes instead of writing files: the live task's Recorder (the same
 * buffering, batching and bounds as `npm start`, fargate/recorder/) hands it a batch, and each
 * partition's rows become stream records (rows-payload.ts) — aggregated per symbol, split so a
 * record stays under the 1 MiB limit, numbered per partition key. The write resolves at once: the
 * stream port owns delivery from here (bounded, retried, never blocking the feed).
 */
import type { RecordingSink, RowBatch } from '../../core/recording/recording-sink.ts';
import { PID_SLOT } from '../../core/recording/recording-tables.ts';
import { textAt } from '../../core/recording/row-ring.ts';
import { MAX_BYTES_PER_RECORD } from './put-records-limits.ts';
import { partitionKeyOf, ROWS_PAYLOAD_VERSION, type RowsPayload, streamOfTable } from './rows-payload.ts';
import type { StreamPort } from './stream-port.ts';

/** Room left under the record limit for the partition key and the envelope's own fields. */
const PAYLOAD_BUDGET = MAX_BYTES_PER_RECORD - 4096;

export interface StreamSinkStats {
  records: number;
  rows: number;
  /** Rows refused: a single row over the record limit. */
  oversizeRows: number;
}

export class StreamRecordingSink implements RecordingSink {
  private readonly seqs = new Map<string, number>();
  private readonly counters: StreamSinkStats = { records: 0, rows: 0, oversizeRows: 0 };

  constructor(private readonly port: StreamPort) {}

  write(batch: RowBatch): Promise<readonly string[]> {
    const rows = batch.rows;
    const byPid = new Map<number, number[]>();
    for (let i = 0; i < rows.count; i++) {
      const slot = rows.index(i);
      const pid = rows.data[slot * rows.width + PID_SLOT]!;
      let slots = byPid.get(pid);
      if (!slots) {
        slots = [];
        byPid.set(pid, slots);
      }
      slots.push(slot);
    }
    for (const [pid, slots] of byPid) this.publishPartition(batch, pid, slots);
    return Promise.resolve([]);
  }

  stats(): StreamSinkStats {
    return { ...this.counters };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private publishPartition(batch: RowBatch, pid: number, slots: readonly number[]): void {
    const partition = batch.partitions[pid];
    if (!partition) return;
    const table = batch.table;
    const rows = batch.rows;
    const width = rows.width;
    const textColumns = table.texts.length;
    let numbers: number[] = [];
    let texts: string[] = [];
    let count = 0;
    let bytes = 0;
    const emit = () => {
      if (count === 0) return;
      this.publish(batch, partition, numbers, texts, count);
      numbers = [];
      texts = [];
      count = 0;
      bytes = 0;
    };
    for (const slot of slots) {
      // JSON length of the row: numbers at most ~24 characters each, texts as escaped.
      let rowBytes = width * 24;
      const rowTexts: string[] = [];
      for (let c = 0; c < textColumns; c++) {
        const text = textAt(rows, slot, c);
        rowTexts.push(text);
        rowBytes += Buffer.byteLength(JSON.stringify(text)) + 1;
      }
      if (rowBytes > PAYLOAD_BUDGET) {
        this.counters.oversizeRows++;
        continue;
      }
      if (bytes + rowBytes > PAYLOAD_BUDGET) emit();
      const at = slot * width;
      for (let k = 0; k < width; k++) numbers.push(rows.data[at + k]!);
      for (const t of rowTexts) texts.push(t);
      count++;
      bytes += rowBytes;
    }
    emit();
  }

  private publish(
    batch: RowBatch,
    partition: RowBatch['partitions'][number],
    numbers: number[],
    texts: string[],
    rows: number,
  ): void {
    const stream = streamOfTable(batch.table);
    const partitionKey = partitionKeyOf(partition.exchange, partition.symbol);
    const counterKey = `${stream}|${partitionKey}`;
    const seq = this.seqs.get(counterKey) ?? 0;
    this.seqs.set(counterKey, seq + 1);
    const payload: RowsPayload = {
      v: ROWS_PAYLOAD_VERSION,
      origin: stream,
      table: batch.table.name,
      exchange: partition.exchange,
      symbol: partition.symbol,
      venueSymbol: partition.venueSymbol,
      session: Math.trunc(batch.session),
      seq,
      rows,
      // NaN (no sequence, a level beyond the book) becomes null in JSON.
      numbers,
      texts,
    };
    this.counters.records++;
    this.counters.rows += rows;
    this.port.publish(stream, { partitionKey, data: Buffer.from(JSON.stringify(payload)) });
  }
}
