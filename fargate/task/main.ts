/**
 * The live task's entry in the cloud (ECS runs `node dist/main.mjs`): connectors to the real venues
 * → books → raw frames and normalized rows on Kinesis (RAW_STREAM_NAME, NORMALIZED_STREAM_NAME),
 * partition key `exchange:symbol`, a per-symbol sequence in every payload; the trading lease
 * (LEASE_TABLE) taken before anything starts. While another task holds the lease this one refuses
 * to trade: it waits, asking again every few seconds, and starts only once the lease is free.
 *
 * Environment: RAW_STREAM_NAME, NORMALIZED_STREAM_NAME, LEASE_TABLE, ENVIRONMENT, CONTROL_TABLE and
 * CONTROL_QUEUE_URL (the kill-switch URL's control port, fargate/control/; optional),
 * TRADEPLANE_ADMIN_TOKEN (the control routes' token, read by fargate/ops/admin-token.ts), PORT (ops
 * server, default 3000), TRADING (`paper`, the default: the strategy paper-trades on the live books
 * behind the risk gate, journaled under DATA_DIR; `off`: market data only), TRADING_STRATEGY
 * (default market-maker), DATA_DIR (default /tmp/tradeplane). SIGTERM (ECS stopping the task) closes in order and releases the lease.
 */
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { configuredInstruments } from '../../config/instruments.ts';
import { sqsControlQueue } from '../control/control-queue.ts';
import { ControlTable } from '../control/control-table.ts';
import { TradingLease } from '../lease/trading-lease.ts';
import { KinesisStream } from '../stream/kinesis-stream.ts';
import { kinesisClient, kinesisPutRecords } from '../stream/put-records-client.ts';
import { DEFAULT_MARKETS, type OpenedTrading, openTrading } from '../trading/open-trading.ts';
import { startCloudMarket } from './cloud-market.ts';
import { DEFAULT_PORT } from './health-check.ts';
import { LeaseRefusedError, type LiveTask, startLiveTask } from './live-task.ts';

/** How often a task refused the lease asks again (ms). */
const LEASE_RETRY_MS = 5_000;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export async function main(): Promise<void> {
  const environment = process.env.ENVIRONMENT ?? 'dev';
  const log = (line: string) => console.error(`${new Date().toISOString()} [${environment}] ${line}`);
  const stream = new KinesisStream({
    putRecords: kinesisPutRecords(kinesisClient()),
    streamNames: { raw: required('RAW_STREAM_NAME'), normalized: required('NORMALIZED_STREAM_NAME') },
    onWarning: (w) => log(`stream ${w.stream} ${w.type}: ${JSON.stringify(w)}`),
  });
  const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const controlTable = process.env.CONTROL_TABLE;
  const queueUrl = process.env.CONTROL_QUEUE_URL;
  const control = controlTable
    ? {
        table: new ControlTable(dynamodb, controlTable),
        ...(queueUrl ? { queue: sqsControlQueue(new SQSClient({}), queueUrl) } : {}),
      }
    : undefined;
  const lease = new TradingLease({
    client: dynamodb,
    table: required('LEASE_TABLE'),
    owner: process.env.ECS_CONTAINER_METADATA_URI_V4 ?? `${hostname()}:${process.pid}`,
  });
  const port = Number(process.env.PORT) || DEFAULT_PORT;
  const tradingMode = process.env.TRADING ?? 'paper';
  if (tradingMode !== 'paper' && tradingMode !== 'off')
    throw new Error(`TRADING=${tradingMode}: expected paper or off`);
  // Opened before the lease: it only reads and opens this task's own journal; orders start with
  // the market data, after the lease is held.
  const trading: OpenedTrading | undefined =
    tradingMode === 'paper'
      ? await openTrading({
          dataDir: process.env.DATA_DIR ?? '/tmp/tradeplane',
          strategy: process.env.TRADING_STRATEGY ?? 'market-maker',
          overrides: {},
          instruments: configuredInstruments(),
          markets: DEFAULT_MARKETS,
          seed: 1,
          log,
          onAlert: (a) => log(`ALERT trading ${a.kind}: ${a.detail}`),
        })
      : undefined;

  let stopping = false;
  let task: LiveTask | undefined;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await task?.close();
    trading?.close();
    await stream.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  while (!stopping && !task) {
    try {
      task = await startLiveTask({
        stream,
        lease,
        log,
        market: (outputs) => startCloudMarket(outputs, { port, log }),
        ...(control ? { control } : {}),
        ...(trading ? { trading: { trader: trading.trader, adminToken: trading.adminToken } } : {}),
        onStopped: () => process.exit(1),
      });
    } catch (error) {
      if (!(error instanceof LeaseRefusedError)) throw error;
      log(error.message);
      await new Promise((r) => setTimeout(r, LEASE_RETRY_MS));
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
