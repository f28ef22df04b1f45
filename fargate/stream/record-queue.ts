/**
 * A FIFO of records waiting for a stream, with O(1) push, take from the front, put back at the
 * front (a failed request's entries go first again) and drop of the oldest. Bounded by the caller.
 */
import type { StreamRecord } from './stream-port.ts';

export interface QueuedRecord extends StreamRecord {
  /** Data plus partition key, as the service counts it. */
  readonly bytes: number;
}

export class RecordQueue {
  private items: (QueuedRecord | undefined)[] = [];
  private head = 0;
  /** Total bytes of the records waiting. */
  bytes = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(record: QueuedRecord): void {
    this.items.push(record);
    this.bytes += record.bytes;
  }

  /** The oldest record, removed; undefined when empty. */
  shift(): QueuedRecord | undefined {
    if (this.head >= this.items.length) return undefined;
    const record = this.items[this.head];
    this.items[this.head++] = undefined;
    if (record) this.bytes -= record.bytes;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return record;
  }

  /** The i-th oldest record without removing it. */
  at(i: number): QueuedRecord {
    return this.items[this.head + i]!;
  }

  /** Put records back in front of everything waiting, keeping their order. */
  unshiftAll(records: readonly QueuedRecord[]): void {
    if (records.length === 0) return;
    const rest = this.items.slice(this.head);
    this.items = [...records, ...rest];
    this.head = 0;
    for (const r of records) this.bytes += r.bytes;
  }
}
