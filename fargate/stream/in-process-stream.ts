/**
 * The stream port inside one process (`npm start`, tests): records go to the subscribers of their
 * stream on a later turn of the event loop, in publish order, so the publisher never runs a
 * consumer's code. Bounded like the Kinesis adapter: past `maxRecords` waiting, the oldest drop.
 */
import { RecordQueue } from './record-queue.ts';
import {
  emptyStreamStats,
  type StreamName,
  type StreamPort,
  type StreamRecord,
  type StreamStats,
} from './stream-port.ts';

export type StreamSubscriber = (record: StreamRecord) => void;

export class InProcessStream implements StreamPort {
  private readonly queues: Record<StreamName, RecordQueue> = {
    raw: new RecordQueue(),
    normalized: new RecordQueue(),
  };
  private readonly counters: Record<StreamName, StreamStats> = {
    raw: emptyStreamStats(),
    normalized: emptyStreamStats(),
  };
  private readonly subscribers: Record<StreamName, StreamSubscriber[]> = { raw: [], normalized: [] };
  private scheduled = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly maxRecords = 100_000) {}

  subscribe(stream: StreamName, subscriber: StreamSubscriber): void {
    this.subscribers[stream].push(subscriber);
  }

  publish(stream: StreamName, record: StreamRecord): void {
    const queue = this.queues[stream];
    const stats = this.counters[stream];
    stats.accepted++;
    queue.push({ ...record, bytes: record.data.byteLength });
    while (queue.length > this.maxRecords) {
      queue.shift();
      stats.dropped++;
    }
    stats.pending = queue.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.deliver());
    }
  }

  stats(stream: StreamName): StreamStats {
    return { ...this.counters[stream] };
  }

  flush(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): Promise<void> {
    return this.flush();
  }

  private deliver(): void {
    this.scheduled = false;
    for (const stream of ['raw', 'normalized'] as const) {
      const queue = this.queues[stream];
      const stats = this.counters[stream];
      for (let record = queue.shift(); record; record = queue.shift()) {
        stats.published++;
        for (const s of this.subscribers[stream]) s(record);
      }
      stats.pending = 0;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
