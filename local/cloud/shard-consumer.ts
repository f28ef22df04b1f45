/**
 * One shard read the way Lambda's Kinesis event-source mapping reads it, invoking a real handler:
 *
 * - batches of up to `batchSize` records in shard order, one batch in flight;
 * - ReportBatchItemFailures: the records before the lowest failed sequence number are done; the
 *   next batch starts at that record (the records after it come again too, as in AWS, and the
 *   handler's idempotency answers them from their stored result);
 * - a handler that throws fails the whole batch, which is retried split in half
 *   (BisectBatchOnFunctionError) until it succeeds or a record runs out of retries;
 * - a record that failed more than `maxRetries` times is sent to the dead letters and skipped;
 * - fault injection (`faults`): an invocation that throws after the handler ran (its work done,
 *   the batch reported failed), and a successful batch delivered again.
 */
import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { type EventSource, kinesisEvent } from './kinesis-event.ts';

export type KinesisHandler = (
  event: KinesisStreamEvent,
  context: Context,
) => Promise<KinesisStreamBatchResponse | undefined>;

export interface DeadLetter {
  readonly streamName: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly reason: string;
}

/** Asked once per invocation (throw after the handler ran?) and once per successful batch (deliver it again?). */
export interface ConsumerFaults {
  throwNow(): boolean;
  redeliverNow(): boolean;
}

/** Every `n`-th call answers true (n = 100: "1 batch in 100"); 0 never. */
export function everyNth(n: number): () => boolean {
  let calls = 0;
  return () => n > 0 && ++calls % n === 0;
}

export interface ConsumerCounts {
  /** Records done (checkpointed past), not counting dead letters. */
  processed: number;
  invocations: number;
  /** Invocations that threw (injected or not). */
  thrown: number;
  injectedThrows: number;
  /** Batches with some records reported failed. */
  partialFailures: number;
  redeliveries: number;
}

export interface ShardConsumerOptions {
  readonly kinesis: KinesisClient;
  readonly source: EventSource;
  readonly handler: KinesisHandler;
  readonly context: () => Context;
  readonly batchSize?: number;
  readonly maxRetries?: number;
  readonly faults?: ConsumerFaults;
  readonly onDeadLetter: (letter: DeadLetter) => void;
}

/** The error's message, and the first record's error when the batch failed as a whole (Powertools' FullBatchFailureError lists them). */
function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = (error as { recordErrors?: unknown }).recordErrors;
  const inner = Array.isArray(first) && first[0] instanceof Error ? `: ${first[0].message}` : '';
  return `${error.message}${inner}`.slice(0, 500);
}

class InjectedHandlerError extends Error {
  override readonly name = 'InjectedHandlerError';
}

export class ShardConsumer {
  readonly counts: ConsumerCounts = {
    processed: 0,
    invocations: 0,
    thrown: 0,
    injectedThrows: 0,
    partialFailures: 0,
    redeliveries: 0,
  };
  private pending: _Record[] = [];
  private iterator: string | undefined;
  private readonly attempts = new Map<string, number>();
  private readonly batchSize: number;
  private size: number;
  private readonly maxRetries: number;
  /** The last read found nothing new. */
  caughtUp = false;

  constructor(private readonly options: ShardConsumerOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.size = this.batchSize;
    this.maxRetries = options.maxRetries ?? 5;
  }

  /** Nothing waiting and nothing new on the shard at the last read. */
  get idle(): boolean {
    return this.pending.length === 0 && this.caughtUp;
  }

  /** One read and at most one invocation; true when it did something. */
  async step(): Promise<boolean> {
    const { kinesis, source } = this.options;
    if (this.iterator === undefined) {
      const out = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: source.streamName,
          ShardId: source.shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      this.iterator = out.ShardIterator;
    }
    if (this.pending.length < this.batchSize && this.iterator) {
      const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: 1000 }));
      this.iterator = out.NextShardIterator;
      const records = out.Records ?? [];
      this.caughtUp = records.length === 0;
      for (const r of records) this.pending.push(r);
    }
    if (this.pending.length === 0) return false;
    await this.invoke(this.pending.slice(0, Math.min(this.size, this.batchSize)));
    return true;
  }

  private async invoke(batch: _Record[]): Promise<void> {
    const { faults } = this.options;
    this.counts.invocations++;
    let response: KinesisStreamBatchResponse | undefined;
    try {
      response = await this.options.handler(kinesisEvent(this.options.source, batch), this.options.context());
      if (faults?.throwNow()) {
        this.counts.injectedThrows++;
        throw new InjectedHandlerError('handler failed after its work (injected)');
      }
    } catch (error) {
      this.counts.thrown++;
      this.size = Math.max(1, Math.ceil(batch.length / 2)); // bisect on function error
      this.failed(batch[0]!, failureReason(error));
      return;
    }
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) {
      this.size = this.batchSize;
      if (faults?.redeliverNow()) {
        this.counts.redeliveries++; // at-least-once: the same batch comes again
        return;
      }
      this.done(batch.length);
      return;
    }
    this.counts.partialFailures++;
    const failedIds = new Set(failures.map((f) => f.itemIdentifier));
    const checkpoint = batch.findIndex((r) => failedIds.has(r.SequenceNumber ?? ''));
    if (checkpoint < 0) {
      // An identifier the batch does not hold: Lambda treats the whole batch as failed.
      this.failed(batch[0]!, 'unknown item identifier in batchItemFailures');
      return;
    }
    this.done(checkpoint);
    this.failed(batch[checkpoint]!, 'reported in batchItemFailures');
  }

  private done(n: number): void {
    for (let i = 0; i < n; i++) this.attempts.delete(this.pending[i]!.SequenceNumber ?? '');
    this.pending.splice(0, n);
    this.counts.processed += n;
  }

  /** The record the next batch starts at failed once more; past the retries it is dead-lettered. */
  private failed(record: _Record, reason: string): void {
    const id = record.SequenceNumber ?? '';
    const attempts = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempts);
    if (attempts <= this.maxRetries) return;
    this.attempts.delete(id);
    this.pending.shift();
    this.options.onDeadLetter({
      streamName: this.options.source.streamName,
      shardId: this.options.source.shardId,
      sequenceNumber: id,
      reason,
    });
  }
}
