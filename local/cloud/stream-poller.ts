/**
 * Lambda's event-source mapping for one stream, offline: a ShardConsumer per shard, stepped in turn
 * until stopped. `drained()` resolves once every shard is read to its end and nothing waits.
 */
import { type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import type { Context } from 'aws-lambda';
import type { ConsumerCounts, ConsumerFaults, DeadLetter, KinesisHandler } from './shard-consumer.ts';
import { ShardConsumer } from './shard-consumer.ts';

export interface StreamPollerOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  readonly region: string;
  readonly handler: KinesisHandler;
  readonly context: () => Context;
  readonly batchSize?: number;
  readonly maxRetries?: number;
  readonly faults?: ConsumerFaults;
  readonly onDeadLetter: (letter: DeadLetter) => void;
  /** Wait between rounds that found nothing (ms, default 25). */
  readonly idleMs?: number;
}

export class StreamPoller {
  private consumers: ShardConsumer[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  error: unknown;

  constructor(private readonly options: StreamPollerOptions) {}

  async start(): Promise<void> {
    const o = this.options;
    const out = await o.kinesis.send(new ListShardsCommand({ StreamName: o.streamName }));
    this.consumers = (out.Shards ?? []).map(
      (shard) =>
        new ShardConsumer({
          kinesis: o.kinesis,
          source: { streamName: o.streamName, shardId: shard.ShardId ?? '', region: o.region },
          handler: o.handler,
          context: o.context,
          ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
          ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
          ...(o.faults ? { faults: o.faults } : {}),
          onDeadLetter: o.onDeadLetter,
        }),
    );
    this.running = this.loop();
  }

  counts(): ConsumerCounts {
    const total: ConsumerCounts = {
      processed: 0,
      invocations: 0,
      thrown: 0,
      injectedThrows: 0,
      partialFailures: 0,
      redeliveries: 0,
    };
    for (const c of this.consumers)
      for (const key of Object.keys(total) as Array<keyof ConsumerCounts>) total[key] += c.counts[key];
    return total;
  }

  get idle(): boolean {
    return this.consumers.every((c) => c.idle);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    const idleMs = this.options.idleMs ?? 25;
    while (!this.stopped) {
      let worked = false;
      try {
        // Shards are read side by side, as Lambda runs one invocation per shard at a time.
        worked = (await Promise.all(this.consumers.map((c) => c.step()))).some(Boolean);
      } catch (error) {
        this.error = error; // the emulator went away (closing) or a call failed: try again
      }
      if (!worked) await new Promise((r) => setTimeout(r, idleMs));
    }
  }
}
