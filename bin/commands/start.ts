/**
 * `npm start` — the embedded default: exchange simulators replaying the bundled real captures of
 * all five venues, the connectors talking to them over real WebSockets, exact books with quality
 * scores, the recorder writing Parquet to ./data, and the dashboard with /metrics and /health on
 * http://localhost:3000 (PORT overrides).
 *
 * Stopping: Ctrl-C (SIGINT) or SIGTERM stops ingest, lets the recorder write what it holds (retrying
 * failed writes) for at most DEFAULT_CLOSE_TIMEOUT_MS, and ends with one line saying what was written
 * and what was not; the whole stop takes under STOP_DEADLINE_MS whatever state the recorder is in
 * (a watchdog exits otherwise). A second Ctrl-C exits at once, with status 130. The exit status is 0
 * when every accepted row was written, 1 when some were not.
 */
import { resolve } from 'node:path';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { RecordingSink } from '../../core/recording/recording-sink.ts';
import { combineListeners } from '../../core/venues/combine-listeners.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';
import { VENUE_CONNECTORS } from '../../fargate/execution/venue-connectors.ts';
import { PortInUseError } from '../../fargate/ops/ops-server.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import {
  describeRecorderClose,
  describeRecorderWarning,
  unwrittenRows,
} from '../../fargate/recorder/recorder-report.ts';
import { RecorderWiring } from '../../fargate/recorder/recorder-wiring.ts';
import type { FeedBooks } from '../../fargate/recorder/recording-listener.ts';
import { connectVenues } from '../../fargate/trading/connect-venues.ts';
import { DecisionHistogram } from '../../fargate/trading/decision-histogram.ts';
import { DEFAULT_MARKETS, type OpenedTrading, openTrading } from '../../fargate/trading/open-trading.ts';
import type { TradedMarket } from '../../fargate/trading/traded-markets.ts';
import type { Simulators } from '../../local/exchanges/index.ts';
import { LocalAccountSecrets } from '../../local/stack/local-account-secrets.ts';
import { loadLocalStackConfig } from '../../local/stack/local-stack-config.ts';
import {
  type LocalStack,
  type LocalStackOutputs,
  startLocalStack,
} from '../../local/stack/start-local-stack.ts';
import { describeStagingCleanup } from '../../local/storage/staging.ts';
import { ThreadedParquetSink } from '../../local/storage/threaded-parquet-sink.ts';

export interface StartOptions {
  port: number;
  dataDir: string;
  record: boolean;
  speed: number;
  /** Records into this sink instead of Parquet files under dataDir (tests: a faulty sink). */
  sink?: RecordingSink;
  /** Paper trading (default on in the CLI): the strategy, its parameter overrides, the seed. */
  trading?:
    | {
        strategy: string;
        overrides: Record<string, string>;
        seed: number;
        /** 'venues': real order-entry adapters against the simulators' private APIs (default 'paper'). */
        execution?: 'paper' | 'venues';
        /** The traded markets (default DEFAULT_MARKETS: BTC/USDT on Binance spot and USD-M). */
        markets?: readonly TradedMarket[];
      }
    | false;
}

/** The longest a stop may take (ms): Ctrl-C is answered within 5 s in every state. */
export const STOP_DEADLINE_MS = 4_500;

async function openParquetSink(root: string, log: (line: string) => void): Promise<RecordingSink> {
  const sink = await ThreadedParquetSink.open({ root });
  const cleaned = describeStagingCleanup(sink.staleStaging, root);
  if (cleaned) log(cleaned);
  return sink;
}

export async function runStart(options: StartOptions): Promise<void> {
  const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
  // Start-up order: config files, then the HTTP port, then the recorder, then simulators and
  // connectors. A broken config or a port in use ends here with one line per problem, having
  // started nothing and written nothing.
  const config = loadLocalStackConfig();
  let recorder: Recorder | undefined;
  let trading: OpenedTrading | undefined;
  const decisions = new DecisionHistogram();
  const openOutputs = async (): Promise<LocalStackOutputs> => {
    const outputs: LocalStackOutputs = {};
    if (options.trading) {
      trading = await openTrading({
        dataDir: options.dataDir,
        strategy: options.trading.strategy,
        overrides: options.trading.overrides,
        instruments: config.instruments,
        markets: options.trading.markets ?? DEFAULT_MARKETS,
        seed: options.trading.seed,
        log,
        onAlert: (a) => log(`ALERT trading ${a.kind}: ${a.detail}`),
        onDecision: (us) => decisions.record(us),
      });
      const trader = trading.trader;
      outputs.trading = {
        trader,
        adminToken: trading.adminToken,
        decisions,
        ...(options.trading.execution === 'venues'
          ? {
              connectVenues: (simulators: Simulators) =>
                connectVenues({
                  trader,
                  endpoints: (exchange) => {
                    const urls = simulators.urls[exchange];
                    return urls ? VENUE_CONNECTORS[exchange]?.simulator(urls) : undefined;
                  },
                  secrets: new LocalAccountSecrets(),
                  clock: systemClock(),
                  log,
                }),
            }
          : {}),
      };
    }
    if (options.record) {
      const root = resolve(options.dataDir);
      const opened = new Recorder({
        sink: options.sink ?? (await openParquetSink(root, log)),
        onWarning: (w) => log(describeRecorderWarning(w)),
      });
      recorder = opened;
      const wiring = new RecorderWiring(opened);
      const traded = outputs.trading?.trader;
      outputs.extraListener = (exchange: ExchangeId) =>
        traded
          ? combineListeners(wiring.listenerFor(exchange), traded.listenerFor(exchange))
          : wiring.listenerFor(exchange);
      outputs.onFeed = (exchange: ExchangeId, feed: FeedBooks) => wiring.attach(exchange, feed);
      outputs.rawTap = wiring.rawTap;
      log(`recording raw frames and normalized books/trades to ${root}`);
    }
    log('starting exchange simulators (replaying the bundled real captures) and connectors…');
    return outputs;
  };
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ config, port: options.port, speed: options.speed, log, openOutputs });
  } catch (error) {
    await recorder?.close();
    trading?.close();
    if (error instanceof PortInUseError)
      throw new Error(`${error.message}; choose another with --port <n> or PORT`);
    throw error;
  }
  const dashboard = stack.url.replace('127.0.0.1', 'localhost');
  const control = trading
    ? `  status     ${dashboard}/status\n  kill       curl -X POST ${dashboard}/kill\n`
    : '';
  console.log(
    `\n  dashboard  ${dashboard}\n  metrics    ${dashboard}/metrics\n  health     ${dashboard}/health\n${control}`,
  );

  const status = setInterval(() => {
    const venues = stack.live.snapshot();
    const books = venues.reduce((n, v) => n + v.books.length, 0);
    const trusted = venues.reduce((n, v) => n + v.books.filter((b) => b.trust === 'trusted').length, 0);
    const rate = venues.reduce((n, v) => n + v.messageRate, 0);
    log(`${venues.length} venues, ${trusted}/${books} books trusted, ${Math.round(rate)} msg/s`);
  }, 10_000);

  const signal = await new Promise<NodeJS.Signals>((done) => {
    const first = (sig: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      done(sig);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
  const stopping = performance.now();
  const elapsed = () => `${Math.round(performance.now() - stopping)} ms`;
  const unwritten = () => {
    const n = recorder ? unwrittenRows(recorder.stats()) : 0;
    return n > 0 ? `; ${n} recorded rows not written` : '';
  };
  const now = (sig: NodeJS.Signals) => {
    log(`${sig} again: exiting now${unwritten()}`);
    process.exit(130);
  };
  process.on('SIGINT', now);
  process.on('SIGTERM', now);
  const watchdog = setTimeout(() => {
    log(`stop took longer than ${STOP_DEADLINE_MS} ms: exiting now${unwritten()}`);
    process.exit(1);
  }, STOP_DEADLINE_MS);
  clearInterval(status);
  log(`stopping (${signal}; Ctrl-C again exits at once)…`);
  // The stack stops ingest synchronously in close(), so the recorder's close sees every row.
  const closed = await Promise.allSettled([stack.close(), recorder?.close()]);
  try {
    trading?.close();
  } catch (error) {
    closed.push({ status: 'rejected', reason: error });
  }
  clearTimeout(watchdog);
  for (const c of closed) if (c.status === 'rejected') log(`while stopping: ${String(c.reason)}`);
  let code = closed.some((c) => c.status === 'rejected') ? 1 : 0;
  if (recorder) {
    const stats = recorder.stats();
    if (unwrittenRows(stats) > 0) code = 1;
    log(`stopped in ${elapsed()}; ${describeRecorderClose(stats)}`);
  } else log(`stopped in ${elapsed()}`);
  // Nothing left to wait for (a writer thread stuck in the file system would hold the process).
  process.exit(code);
}
