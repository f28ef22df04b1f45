/**
 * The stream port: how the live task hands records to a stream without waiting for it. The Fargate
 * task publishes to Kinesis (kinesis-stream.ts); `npm start` and tests use the in-process adapter
 * (in-process-stream.ts). `publish` is synchronous and never throws on a slow or failing stream:
 * an adapter buffers (bounded, dropping the oldest, counted) and retries in the background.
 */

/** The two streams of the data plane. */
export type StreamName = 'raw' | 'normalized';

export interface StreamRecord {
  /** `exchange:symbol`: every record of one symbol lands on one shard, in order. */
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

export interface StreamStats {
  /** Records taken by publish(). */
  accepted: number;
  /** Records the stream confirmed stored. */
  published: number;
  /** Records dropped (oldest first) because the buffer was full. */
  dropped: number;
  /** Records refused at publish(): over the stream's size limit for one record. */
  oversize: number;
  /** Entries a request reported failed (partial failure), sent again. */
  retriedEntries: number;
  /** Requests refused as a whole for throughput (throttled), sent again. */
  throttledRequests: number;
  /** Requests that failed otherwise (network, service error), sent again. */
  failedRequests: number;
  /** Requests sent. */
  requests: number;
  /** Records waiting or in flight. */
  pending: number;
}

export interface StreamPort {
  publish(stream: StreamName, record: StreamRecord): void;
  stats(stream: StreamName): StreamStats;
  /** Resolves once everything accepted so far was stored or dropped, or after `timeoutMs`. */
  flush(timeoutMs?: number): Promise<void>;
  close(timeoutMs?: number): Promise<void>;
}

export function emptyStreamStats(): StreamStats {
  return {
    accepted: 0,
    published: 0,
    dropped: 0,
    oversize: 0,
    retriedEntries: 0,
    throttledRequests: 0,
    failedRequests: 0,
    requests: 0,
    pending: 0,
  };
}
