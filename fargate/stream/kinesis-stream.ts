/**
 * The stream port on Kinesis Data Streams (PutRecords). The feed never waits for it:
 *
 * - `publish` queues the record and returns. A request goes out when 500 records wait or the oldest
 *   has waited `lingerMs`; one request per stream is in flight at a time, packed within the service
 *   limits (put-records-limits.ts: 500 entries, 5 MiB; a record over 1 MiB is refused, counted).
 * - Partial failures: the entries a response marks failed (throughput exceeded, internal failure)
 *   go back to the front of the queue and are sent again after a backoff with jitter; a request
 *   refused as a whole (throttled, network error) is sent again the same way. Success resets it.
 *   A retry can reorder records of one shard, which is why every payload carries a per-symbol
 *   sequence (stream-recording-sink.ts).
 * - Bounded: past `maxRecords` / `maxBytes` waiting per stream, the OLDEST waiting records are
 *   dropped, counted, and reported through `onWarning` at most once per `warnIntervalMs`.
 */

import type { Random } from '../../core/sim/random.ts';
import { Backoff, type BackoffPolicy } from '../connectors/backoff.ts';
import { LogThrottle } from '../rate-limit/log-throttle.ts';
import { entryBytes, MAX_BYTES_PER_RECORD, takeForRequest } from './put-records-limits.ts';
import { type QueuedRecord, RecordQueue } from './record-queue.ts';
import {
  emptyStreamStats,
  type StreamName,
  type StreamPort,
  type StreamRecord,
  type StreamStats,
} from './stream-port.ts';

/** What the adapter sends: the PutRecords call of @aws-sdk/client-kinesis (put-records-client.ts). */
export interface PutRecordsRequest {
  readonly StreamName: string;
  readonly Records: ReadonlyArray<{ readonly PartitionKey: string; readonly Data: Uint8Array }>;
}
export interface PutRecordsResponse {
  readonly FailedRecordCount?: number | undefined;
  readonly Records?: ReadonlyArray<{ readonly ErrorCode?: string | undefined }> | undefined;
}
export type PutRecords = (request: PutRecordsRequest) => Promise<PutRecordsResponse>;

export type StreamWarning =
  | {
      readonly type: 'dropped';
      readonly stream: StreamName;
      readonly dropped: number;
      readonly totalDropped: number;
    }
  | { readonly type: 'oversize'; readonly stream: StreamName; readonly bytes: number }
  | {
      readonly type: 'retrying';
      readonly stream: StreamName;
      readonly reason: string;
      readonly retryInMs: number;
    };

/** Retries: 100 ms doubling to 5 s, plus 0–50 % jitter. */
export const DEFAULT_PUT_RETRY: BackoffPolicy = { initialMs: 100, maxMs: 5_000, multiplier: 2, jitter: 0.5 };

export interface KinesisStreamOptions {
  putRecords: PutRecords;
  /** The Kinesis stream name of each stream. */
  streamNames: Readonly<Record<StreamName, string>>;
  /** Longest a record waits for more to share its request (ms, default 50). */
  lingerMs?: number;
  /** Records waiting per stream before the oldest are dropped (default 100 000). */
  maxRecords?: number;
  /** Bytes waiting per stream before the oldest are dropped (default 256 MiB). */
  maxBytes?: number;
  retry?: BackoffPolicy;
  random?: Random;
  /** One-shot timer (default setTimeout, unref'd); returns a cancel function. */
  setTimer?: (ms: number, fn: () => void) => () => void;
  /** Millisecond clock for the warning rate limit (default performance.now). */
  now?: () => number;
  warnIntervalMs?: number;
  onWarning?: (warning: StreamWarning) => void;
}

const THROTTLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'KMSThrottlingException',
]);

function defaultTimer(ms: number, fn: () => void): () => void {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return () => clearTimeout(t);
}

class StreamLane {
  readonly queue = new RecordQueue();
  readonly stats: StreamStats = emptyStreamStats();
  inFlight = 0;
  cancelTimer: (() => void) | undefined;
  /** True while waiting out a backoff: no request goes before its timer fires. */
  backingOff = false;
  readonly backoff: Backoff;

  constructor(
    readonly name: StreamName,
    readonly streamName: string,
    policy: BackoffPolicy,
    random: Random,
  ) {
    this.backoff = new Backoff(policy, random);
  }
}

export class KinesisStream implements StreamPort {
  private readonly lanes: Record<StreamName, StreamLane>;
  private readonly lingerMs: number;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly setTimer: (ms: number, fn: () => void) => () => void;
  private readonly now: () => number;
  private readonly throttle: LogThrottle;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: KinesisStreamOptions) {
    const retry = options.retry ?? DEFAULT_PUT_RETRY;
    const random = options.random ?? Math.random;
    this.lanes = {
      raw: new StreamLane('raw', options.streamNames.raw, retry, random),
      normalized: new StreamLane('normalized', options.streamNames.normalized, retry, random),
    };
    this.lingerMs = options.lingerMs ?? 50;
    this.maxRecords = options.maxRecords ?? 100_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.setTimer = options.setTimer ?? defaultTimer;
    this.now = options.now ?? (() => performance.now());
    this.throttle = new LogThrottle(options.warnIntervalMs ?? 5_000);
  }

  publish(stream: StreamName, record: StreamRecord): void {
    const lane = this.lanes[stream];
    const stats = lane.stats;
    if (this.closed) return;
    const bytes = entryBytes(record.partitionKey, record.data);
    if (bytes > MAX_BYTES_PER_RECORD) {
      stats.oversize++;
      this.options.onWarning?.({ type: 'oversize', stream, bytes });
      return;
    }
    stats.accepted++;
    const queue = lane.queue;
    queue.push({ partitionKey: record.partitionKey, data: record.data, bytes });
    let dropped = 0;
    while (queue.length > 1 && (queue.length > this.maxRecords || queue.bytes > this.maxBytes)) {
      queue.shift();
      dropped++;
    }
    if (dropped > 0) this.dropped(lane, dropped);
    this.refreshPending(lane);
    this.schedule(lane);
  }

  stats(stream: StreamName): StreamStats {
    const lane = this.lanes[stream];
    return { ...lane.stats };
  }

  flush(timeoutMs = 10_000): Promise<void> {
    for (const lane of Object.values(this.lanes)) {
      if (!lane.backingOff) this.sendNow(lane);
    }
    if (this.idle()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let cancel = () => {};
      const done = () => {
        cancel();
        resolve();
      };
      cancel = this.setTimer(timeoutMs, () => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      });
      this.waiters.push(done);
    });
  }

  async close(timeoutMs = 3_000): Promise<void> {
    await this.flush(timeoutMs);
    this.closed = true;
    for (const lane of Object.values(this.lanes)) lane.cancelTimer?.();
  }

  private idle(): boolean {
    for (const lane of Object.values(this.lanes)) if (lane.stats.pending > 0) return false;
    return true;
  }

  private refreshPending(lane: StreamLane): void {
    lane.stats.pending = lane.queue.length + lane.inFlight;
    if (this.waiters.length > 0 && this.idle()) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }

  private dropped(lane: StreamLane, n: number): void {
    lane.stats.dropped += n;
    const key = `dropped:${lane.name}`;
    const held = this.throttle.admit(key, this.now());
    if (held >= 0)
      this.options.onWarning?.({
        type: 'dropped',
        stream: lane.name,
        dropped: n + held,
        totalDropped: lane.stats.dropped,
      });
  }

  /** Send now when a request is full, else once the linger time is over. */
  private schedule(lane: StreamLane): void {
    if (lane.inFlight > 0 || lane.backingOff) return;
    if (lane.queue.length >= 500) {
      this.sendNow(lane);
      return;
    }
    if (lane.cancelTimer) return;
    lane.cancelTimer = this.setTimer(this.lingerMs, () => {
      lane.cancelTimer = undefined;
      this.sendNow(lane);
    });
  }

  private sendNow(lane: StreamLane): void {
    if (lane.inFlight > 0 || lane.queue.length === 0) return;
    lane.cancelTimer?.();
    lane.cancelTimer = undefined;
    const queue = lane.queue;
    const n = takeForRequest((i) => queue.at(i).bytes, queue.length);
    const batch: QueuedRecord[] = [];
    for (let i = 0; i < n; i++) batch.push(queue.shift()!);
    lane.inFlight = batch.length;
    lane.stats.requests++;
    this.options
      .putRecords({
        StreamName: lane.streamName,
        Records: batch.map((r) => ({ PartitionKey: r.partitionKey, Data: r.data })),
      })
      .then(
        (response) => this.settle(lane, batch, response),
        (error: unknown) => this.failAll(lane, batch, error),
      );
  }

  private settle(lane: StreamLane, batch: QueuedRecord[], response: PutRecordsResponse): void {
    const results = response.Records ?? [];
    const failed: QueuedRecord[] = [];
    let reason = '';
    for (let i = 0; i < batch.length; i++) {
      const code = results[i]?.ErrorCode;
      // No result for an entry at all is no confirmation: send it again.
      if (code !== undefined || results[i] === undefined) {
        failed.push(batch[i]!);
        reason ||= code ?? 'missing result';
      }
    }
    lane.inFlight = 0;
    lane.stats.published += batch.length - failed.length;
    if (failed.length === 0) {
      lane.backoff.reset();
      this.afterResponse(lane);
      return;
    }
    lane.stats.retriedEntries += failed.length;
    this.retryLater(lane, failed, `${failed.length} of ${batch.length} entries failed: ${reason}`);
  }

  private failAll(lane: StreamLane, batch: QueuedRecord[], error: unknown): void {
    lane.inFlight = 0;
    const name = (error as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && THROTTLE_ERRORS.has(name)) lane.stats.throttledRequests++;
    else lane.stats.failedRequests++;
    this.retryLater(lane, batch, typeof name === 'string' ? name : String(error));
  }

  private retryLater(lane: StreamLane, records: QueuedRecord[], reason: string): void {
    const queue = lane.queue;
    queue.unshiftAll(records);
    let dropped = 0;
    while (queue.length > 1 && (queue.length > this.maxRecords || queue.bytes > this.maxBytes)) {
      queue.shift();
      dropped++;
    }
    if (dropped > 0) this.dropped(lane, dropped);
    this.refreshPending(lane);
    const delay = lane.backoff.next();
    const held = this.throttle.admit(`retry:${lane.name}`, this.now());
    if (held >= 0)
      this.options.onWarning?.({ type: 'retrying', stream: lane.name, reason, retryInMs: delay });
    lane.backingOff = true;
    lane.cancelTimer?.();
    lane.cancelTimer = this.setTimer(delay, () => {
      lane.cancelTimer = undefined;
      lane.backingOff = false;
      this.sendNow(lane);
    });
  }

  private afterResponse(lane: StreamLane): void {
    this.refreshPending(lane);
    if (lane.queue.length > 0) {
      if (lane.queue.length >= 500 || this.waiters.length > 0) this.sendNow(lane);
      else this.schedule(lane);
    }
  }
}
