/**
 * The live task's data plane, whatever feeds it: it takes the trading lease first (a second task
 * is refused and starts nothing), then records every raw frame and every book, trade and event row
 * through the recorder into the stream port (fargate/stream/stream-recording-sink.ts), and keeps
 * the lease while it runs. Losing the lease stops the market data and trading at once.
 *
 * `market` starts connectors and books with the task's outputs: the real venues in the cloud
 * (cloud-market.ts), the local simulators offline (local/cloud/, through the local stack).
 *
 * With `trading`, the trader listens on the same feeds as the recorder, and with `control` too
 * (CONTROL_TABLE, CONTROL_QUEUE_URL in the cloud) the cloud control port drives it
 * (fargate/control/cloud-control.ts): the kill-switch URL's kill, reset and params.
 */
import type { BatchPolicy } from '../../core/recording/batch-policy.ts';
import { combineListeners } from '../../core/venues/combine-listeners.ts';
import type { LocalStackOutputs } from '../../local/stack/start-local-stack.ts';
import { systemClock } from '../connectors/clock.ts';
import { type CloudControl, startCloudControl } from '../control/cloud-control.ts';
import type { ControlQueue } from '../control/control-queue.ts';
import type { ControlTable } from '../control/control-table.ts';
import { LeaseKeeper } from '../lease/lease-keeper.ts';
import type { LeaseHolder, TradingLease } from '../lease/trading-lease.ts';
import { Recorder, type RecorderStats } from '../recorder/recorder.ts';
import { describeRecorderWarning } from '../recorder/recorder-report.ts';
import { RecorderWiring } from '../recorder/recorder-wiring.ts';
import type { StreamPort } from '../stream/stream-port.ts';
import { StreamRecordingSink, type StreamSinkStats } from '../stream/stream-recording-sink.ts';
import type { RunningMarket } from './cloud-market.ts';

export class LeaseRefusedError extends Error {
  constructor(readonly heldBy: LeaseHolder | undefined) {
    super(
      heldBy
        ? `trading lease held by ${heldBy.owner} (epoch ${heldBy.epoch}) until ${new Date(heldBy.expiresAt).toISOString()}: not trading`
        : 'trading lease not acquired: not trading',
    );
    this.name = 'LeaseRefusedError';
  }
}

export interface LiveTaskOptions {
  readonly stream: StreamPort;
  readonly lease: TradingLease;
  readonly market: (outputs: LocalStackOutputs) => Promise<RunningMarket>;
  /** Recorder batching (default: flush every second, as `npm start`). */
  readonly policy?: Partial<BatchPolicy>;
  readonly session?: number;
  readonly renewEveryMs?: number;
  readonly log: (line: string) => void;
  /** Called once when the lease is lost and the task stopped (the process should exit). */
  readonly onStopped?: (why: string) => void;
  /** A trader on the task's books (its control routes join the ops server). */
  readonly trading?: NonNullable<LocalStackOutputs['trading']>;
  /** The cloud control port over this table (and queue); it drives `trading`. */
  readonly control?: { readonly table: ControlTable; readonly queue?: ControlQueue };
}

export interface LiveTask {
  readonly lease: LeaseHolder;
  readonly recorder: Recorder;
  readonly sink: StreamRecordingSink;
  /** Started when the task has both `trading` and `control`. */
  readonly control: CloudControl | undefined;
  stats(): { recorder: RecorderStats; sink: StreamSinkStats };
  /** Stop ingest, publish what the recorder holds, flush the stream, release the lease. */
  close(): Promise<void>;
}

export async function startLiveTask(options: LiveTaskOptions): Promise<LiveTask> {
  const { log, lease } = options;
  const got = await lease.acquire();
  if (!got.acquired) throw new LeaseRefusedError(got.heldBy);
  log(`trading lease acquired: epoch ${got.lease.epoch}`);

  const sink = new StreamRecordingSink(options.stream);
  const recorder = new Recorder({
    sink,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.session !== undefined ? { session: options.session } : {}),
    onWarning: (w) => log(describeRecorderWarning(w)),
  });
  const wiring = new RecorderWiring(recorder);
  let market: RunningMarket;
  try {
    const trader = options.trading?.trader;
    market = await options.market({
      rawTap: wiring.rawTap,
      extraListener: trader
        ? (exchange) => combineListeners(wiring.listenerFor(exchange), trader.listenerFor(exchange))
        : (exchange) => wiring.listenerFor(exchange),
      onFeed: (exchange, feed) => wiring.attach(exchange, feed),
      ...(options.trading ? { trading: options.trading } : {}),
    });
  } catch (error) {
    await recorder.close();
    await lease.release().catch(() => undefined);
    throw error;
  }

  let control: CloudControl | undefined;
  if (options.control && options.trading)
    control = await startCloudControl({
      ...options.control,
      control: options.trading.trader.control,
      adminToken: options.trading.adminToken,
      owner: `${got.lease.owner} (epoch ${got.lease.epoch})`,
      clock: systemClock(),
      log,
    });
  else if (options.control) log('cloud control: this task runs no trader; nothing to control');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      keeper.stop();
      await control?.stop();
      await market.close();
      await recorder.close();
      await options.stream.flush();
      await lease.release().catch((error: unknown) => log(`lease release failed: ${String(error)}`));
    })();
    return closing;
  };
  const keeper = new LeaseKeeper({
    lease,
    ...(options.renewEveryMs !== undefined ? { renewEveryMs: options.renewEveryMs } : {}),
    onError: (error) =>
      log(`lease renewal failed: ${error instanceof Error ? error.message : String(error)}`),
    onLost: (why) => {
      log(`${why}: stopping`);
      void close().then(() => options.onStopped?.(why));
    },
  });
  keeper.start();

  return {
    lease: got.lease,
    recorder,
    sink,
    control,
    stats: () => ({ recorder: recorder.stats(), sink: sink.stats() }),
    close,
  };
}
