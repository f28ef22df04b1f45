/** A RecordingSink for tests: copies each batch's rows out, and can be held (a slow sink). */
import type { RecordingSink, RowBatch } from '../../../core/recording/recording-sink.ts';
import type { RecordingKind } from '../../../core/recording/recording-tables.ts';
import { textAt } from '../../../core/recording/row-ring.ts';

export interface CopiedRow {
  numbers: number[];
  texts: Array<string | undefined>;
  exchange: string;
  symbol: string;
  venueSymbol: string;
}

export class MemorySink implements RecordingSink {
  readonly batches: Array<{ kind: RecordingKind; rows: CopiedRow[] }> = [];
  closed = false;
  fail: Error | undefined;
  /** write() calls, the failed ones included. */
  attempts = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  /** Hold every write until release(). */
  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  rows(kind: RecordingKind): CopiedRow[] {
    return this.batches.filter((b) => b.kind === kind).flatMap((b) => b.rows);
  }

  write(batch: RowBatch): Promise<readonly string[]> {
    this.attempts++;
    const { rows, partitions } = batch;
    const copied: CopiedRow[] = [];
    for (let i = 0; i < rows.count; i++) {
      const slot = rows.index(i);
      const numbers = Array.from(rows.data.subarray(slot * rows.width, (slot + 1) * rows.width));
      const p = partitions[numbers[0]!]!;
      copied.push({
        numbers,
        texts: Array.from({ length: rows.textColumns }, (_, c) => textAt(rows, slot, c)),
        exchange: p.exchange,
        symbol: p.symbol,
        venueSymbol: p.venueSymbol,
      });
    }
    const fail = this.fail;
    return (this.gate ?? Promise.resolve()).then(() => {
      if (fail) throw fail;
      this.batches.push({ kind: batch.table.kind, rows: copied });
      return [`${batch.table.kind}-${this.batches.length}`];
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
