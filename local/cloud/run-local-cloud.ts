/**
 * `npm run local:cloud`: the deployed data plane on one machine, offline.
 *
 *   exchange simulators → connectors → books (the live task, fargate/task/live-task.ts, lease taken)
 *     → Kinesis (kinesalite): raw frames on the raw stream, book/trade/event rows on the normalized one
 *     → pollers acting as Lambda's event-source mappings, invoking the REAL handlers:
 *        raw → normalize → normalized stream;  normalized → record → S3 (s3rver) as Parquet
 *     → DuckDB counts the archive's rows.
 *
 * With `control`, the task also paper-trades and the kill-switch URL runs: the REAL control
 * function behind a loopback HTTP server (control-server.ts) on a printed port, its state in the
 * control table on dynalite, reaching the trader through the task's control port (queue + 250 ms
 * poll): `POST /kill` there halts the trader, `GET /status` answers from the same function.
 *
 * Faults (`faults`): PutRecords throttled and partly failed (put-records-faults.ts), a handler
 * invocation that throws on 1 batch in 100 after doing its work, and successful batches delivered
 * again. The summary says whether every row published reached S3 exactly once.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { configuredInstruments } from '../../config/instruments.ts';
import { seededRandom } from '../../core/sim/random.ts';
import { ControlTable } from '../../fargate/control/control-table.ts';
import { TradingLease } from '../../fargate/lease/trading-lease.ts';
import { KinesisStream } from '../../fargate/stream/kinesis-stream.ts';
import { kinesisClient, kinesisPutRecords } from '../../fargate/stream/put-records-client.ts';
import { startLiveTask } from '../../fargate/task/live-task.ts';
import { DEFAULT_MARKETS, openTrading } from '../../fargate/trading/open-trading.ts';
import { startLocalStack } from '../stack/start-local-stack.ts';
import { countArchive } from './archive-count.ts';
import { createResources, LOCAL_CLOUD_NAMES } from './aws-resources.ts';
import { startControlServer } from './control-server.ts';
import { startEmulators } from './emulators.ts';
import { lambdaContext } from './lambda-context.ts';
import { startLocalAlerts } from './local-alerts.ts';
import { MemoryControlQueue } from './memory-control-queue.ts';
import {
  faultyPutRecords,
  type PutRecordsFaultCounts,
  type PutRecordsFaultRates,
} from './put-records-faults.ts';
import { type DeadLetter, everyNth, type KinesisHandler } from './shard-consumer.ts';
import { StreamPoller } from './stream-poller.ts';

const REGION = 'ap-northeast-1';
const ARCHIVE_PREFIX = 'lake';

export interface LocalCloudFaults {
  readonly putRecords: PutRecordsFaultRates;
  /** Every n-th handler invocation throws after running (100: 1 batch in 100). */
  readonly throwEvery: number;
  /** Every n-th successful batch is delivered again. */
  readonly redeliverEvery: number;
}

export const DEFAULT_FAULTS: LocalCloudFaults = {
  putRecords: { throttleEvery: 10, partialEvery: 4, entryFailure: 0.2 },
  throwEvery: 100,
  redeliverEvery: 25,
};

export interface LocalCloudOptions {
  readonly seconds: number;
  readonly faults?: LocalCloudFaults | undefined;
  /** Simulator replay speed (default 1: as recorded). */
  readonly speed?: number;
  /** Working folder (default: a new temporary one); the bucket's objects lie in `<dir>/s3`. */
  readonly dir?: string;
  readonly seed?: number;
  /** Records per handler invocation at most (default 10; Lambda's mapping in the CDK stack batches more). */
  readonly batchSize?: number;
  readonly log?: (line: string) => void;
  /** Longest wait for the pipeline to drain after the task stopped (ms, default 30 000). */
  readonly drainTimeoutMs?: number;
  /** Paper trading with the kill-switch URL (the control function on a loopback port). */
  readonly control?: boolean;
  /** The control server's port (default: a free one). */
  readonly controlPort?: number;
}

/** What `--json` prints. */
export interface LocalCloudSummary {
  /** Rows the task published (in records handed to the raw and normalized streams). */
  published: number;
  /** Stream records each function finished (not counting dead letters). */
  processed: { normalize: number; record: number };
  s3Objects: number;
  s3Rows: number;
  /** Rows stored more than once (same session and rec_seq). */
  duplicates: number;
  /** Published rows not in the archive. */
  lost: number;
  deadLetters: number;
  /** Where the bucket's objects lie (DuckDB reads `*.parquet._S3rver_object` there). */
  s3Dir: string;
}

export interface LocalCloudReport {
  readonly summary: LocalCloudSummary;
  /** What the faults did, to show each one fired. */
  readonly fired: PutRecordsFaultCounts & {
    streamRetriedEntries: number;
    streamThrottledRequests: number;
    invocations: number;
    injectedThrows: number;
    partialBatchFailures: number;
    redeliveries: number;
    droppedRecords: number;
  };
  readonly rowsByKind: Record<string, number>;
  readonly drained: boolean;
}

function setEnv(values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) process.env[k] = v;
}

export async function runLocalCloud(options: LocalCloudOptions): Promise<LocalCloudReport> {
  const log = options.log ?? (() => {});
  const names = LOCAL_CLOUD_NAMES;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'local-cloud-')));
  const s3Dir = join(dir, 's3');
  setEnv({
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // s3rver accepts only its own key pair; kinesalite and dynalite accept any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: REGION,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  const emulators = await startEmulators(s3Dir, [names.bucket]);
  const closers: Array<() => Promise<void>> = [() => emulators.close()];
  try {
    setEnv({
      AWS_ENDPOINT_URL_KINESIS: emulators.kinesis,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodb,
      AWS_ENDPOINT_URL_S3: emulators.s3,
      NORMALIZED_STREAM_NAME: names.normalizedStream,
      ARCHIVE_BUCKET: names.bucket,
      ARCHIVE_PREFIX,
      IDEMPOTENCY_TABLE: names.idempotencyTable,
    });
    const kinesis = kinesisClient({ endpoint: emulators.kinesis, region: REGION });
    const dynamodb = new DynamoDBClient({ endpoint: emulators.dynamodb, region: REGION });
    await createResources(names, kinesis, dynamodb);
    log(`emulators on loopback; objects under ${s3Dir}`);

    // The real handlers, loaded once their environment is set (they read it at cold start).
    const normalize = (await import('../../lambdas/normalize/handler.ts'))
      .handler as unknown as KinesisHandler;
    const record = (await import('../../lambdas/record/handler.ts')).handler as unknown as KinesisHandler;

    const faults = options.faults;
    const random = seededRandom(options.seed ?? 1);
    const consumerFaults = faults
      ? { throwNow: everyNth(faults.throwEvery), redeliverNow: everyNth(faults.redeliverEvery) }
      : undefined;
    const deadLetters: DeadLetter[] = [];
    const poller = (streamName: string, handler: KinesisHandler, fn: string) =>
      new StreamPoller({
        kinesis,
        streamName,
        region: REGION,
        handler,
        context: () => lambdaContext(fn),
        batchSize: options.batchSize ?? 10,
        ...(consumerFaults ? { faults: consumerFaults } : {}),
        onDeadLetter: (l) => {
          deadLetters.push(l);
          log(`dead letter ${l.streamName} ${l.shardId} ${l.sequenceNumber}: ${l.reason}`);
        },
      });
    const normalizePoller = poller(names.rawStream, normalize, 'normalize');
    const recordPoller = poller(names.normalizedStream, record, 'record');
    await Promise.all([normalizePoller.start(), recordPoller.start()]);
    closers.push(
      () => normalizePoller.stop(),
      () => recordPoller.stop(),
    );

    const put = faults
      ? faultyPutRecords(kinesisPutRecords(kinesis), faults.putRecords, random)
      : {
          putRecords: kinesisPutRecords(kinesis),
          counts: { throttledRequests: 0, partialRequests: 0, failedEntries: 0 },
        };
    const stream = new KinesisStream({
      putRecords: put.putRecords,
      streamNames: { raw: names.rawStream, normalized: names.normalizedStream },
      retry: { initialMs: 20, maxMs: 500, multiplier: 2, jitter: 0.5 },
      random,
      onWarning: (w) => log(`stream ${w.stream}: ${w.type}`),
    });
    const lease = new TradingLease({
      client: DynamoDBDocumentClient.from(dynamodb),
      table: names.leaseTable,
      owner: `local-cloud:${process.pid}`,
    });
    const controlSetup = options.control
      ? await startLocalControl(dir, DynamoDBDocumentClient.from(dynamodb), options.controlPort, log)
      : undefined;
    if (controlSetup) closers.push(controlSetup.close);
    const task = await startLiveTask({
      stream,
      lease,
      log,
      policy: { maxDelayMs: 1_000 },
      ...(controlSetup ? { trading: controlSetup.trading, control: controlSetup.control } : {}),
      market: async (outputs) => {
        const market = await startLocalStack({
          port: 0,
          host: '127.0.0.1',
          speed: options.speed ?? 1,
          log,
          openOutputs: async () => outputs,
        });
        const trader = controlSetup?.trading.trader;
        const stopAlerts = startLocalAlerts(
          {
            venues: () => market.live.snapshot(),
            ...(trader
              ? { trading: { status: () => trader.kernel.status(), executions: trader.kernel.executions } }
              : {}),
          },
          log,
        );
        return {
          close: async () => {
            stopAlerts();
            await market.close();
          },
        };
      },
    });
    log(`live task publishing for ${options.seconds} s`);
    await new Promise((r) => setTimeout(r, options.seconds * 1000));
    await task.close();
    await stream.close(10_000);
    log('live task stopped; draining the pipeline');

    // Drained: both functions idle over several rounds (normalize's puts feed record).
    const deadline = Date.now() + (options.drainTimeoutMs ?? 30_000);
    let quiet = 0;
    while (quiet < 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      quiet = normalizePoller.idle && recordPoller.idle ? quiet + 1 : 0;
    }
    const drained = quiet >= 4;
    await Promise.all([normalizePoller.stop(), recordPoller.stop()]);

    log(drained ? 'drained' : 'not drained in time');
    const archive = await countArchive(join(s3Dir, names.bucket, ARCHIVE_PREFIX));
    const published = task.sink.stats().rows;
    const raw = stream.stats('raw');
    const normalized = stream.stats('normalized');
    const n = normalizePoller.counts();
    const r = recordPoller.counts();
    return {
      summary: {
        published,
        processed: { normalize: n.processed, record: r.processed },
        s3Objects: archive.objects,
        s3Rows: archive.rows,
        duplicates: archive.rows - archive.distinctRows,
        lost: Math.max(0, published - archive.distinctRows),
        deadLetters: deadLetters.length,
        s3Dir,
      },
      fired: {
        ...put.counts,
        streamRetriedEntries: raw.retriedEntries + normalized.retriedEntries,
        streamThrottledRequests: raw.throttledRequests + normalized.throttledRequests,
        invocations: n.invocations + r.invocations,
        injectedThrows: n.injectedThrows + r.injectedThrows,
        partialBatchFailures: n.partialFailures + r.partialFailures,
        redeliveries: n.redeliveries + r.redeliveries,
        droppedRecords: raw.dropped + normalized.dropped + raw.oversize + normalized.oversize,
      },
      rowsByKind: archive.rowsByKind,
      drained,
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/** Paper trading and the control function behind its loopback server, over the emulated control table. */
async function startLocalControl(
  dir: string,
  client: DynamoDBDocumentClient,
  port: number | undefined,
  log: (line: string) => void,
) {
  const table = new ControlTable(client, LOCAL_CLOUD_NAMES.controlTable);
  const queue = new MemoryControlQueue();
  const opened = await openTrading({
    dataDir: join(dir, 'trading'),
    strategy: 'market-maker',
    overrides: {},
    instruments: configuredInstruments(),
    markets: DEFAULT_MARKETS,
    seed: 1,
    log,
  });
  const server = await startControlServer({
    table,
    queue,
    adminToken: opened.adminToken,
    ...(port !== undefined ? { port } : {}),
    log,
  });
  log(
    `control function (API Gateway-shaped events) on ${server.url}: POST /kill, GET /status, POST /reset, GET|PUT /risk/params`,
  );
  return {
    trading: { trader: opened.trader, adminToken: opened.adminToken },
    control: { table, queue },
    close: async () => {
      await server.close();
      opened.close();
    },
  };
}
