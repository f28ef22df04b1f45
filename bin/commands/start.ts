/**
 * `npm start` — the embedded default: exchange simulators replaying the bundled real captures of
 * all five venues, the connectors talking to them over real WebSockets, exact books with quality
 * scores, the recorder writing Parquet to ./data, and the dashboard with /metrics and /health on
 * http://localhost:3000 (PORT overrides). Ctrl-C stops everything cleanly (the recorder flushes).
 */
import { resolve } from 'node:path';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { RecorderWiring } from '../../fargate/recorder/recorder-wiring.ts';
import type { FeedBooks } from '../../fargate/recorder/recording-listener.ts';
import { startLocalStack } from '../../local/stack/start-local-stack.ts';
import { ThreadedParquetSink } from '../../local/storage/threaded-parquet-sink.ts';

export interface StartOptions {
  port: number;
  dataDir: string;
  record: boolean;
  speed: number;
}

export async function runStart(options: StartOptions): Promise<void> {
  const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
  let recorder: Recorder | undefined;
  let wiring: RecorderWiring | undefined;
  if (options.record) {
    const root = resolve(options.dataDir);
    recorder = new Recorder({
      sink: await ThreadedParquetSink.open({ root }),
      onWarning: (w) =>
        log(
          w.type === 'dropped'
            ? `recorder: sink too slow, dropped ${w.dropped} oldest ${w.kind} rows (total ${w.totalDropped})`
            : `recorder: write failed (${w.kind}, ${w.rows} rows): ${w.error}`,
        ),
    });
    wiring = new RecorderWiring(recorder);
    log(`recording raw frames and normalized books/trades to ${root}`);
  }
  log('starting exchange simulators (replaying the bundled real captures) and connectors…');
  const stack = await startLocalStack({
    port: options.port,
    speed: options.speed,
    log,
    ...(wiring
      ? {
          extraListener: (exchange: ExchangeId) => wiring.listenerFor(exchange),
          onFeed: (exchange: ExchangeId, feed: FeedBooks) => wiring.attach(exchange, feed),
          rawTap: wiring.rawTap,
        }
      : {}),
  });
  const dashboard = stack.url.replace('127.0.0.1', 'localhost');
  console.log(
    `\n  dashboard  ${dashboard}\n  metrics    ${dashboard}/metrics\n  health     ${dashboard}/health\n`,
  );

  const status = setInterval(() => {
    const venues = stack.live.snapshot();
    const books = venues.reduce((n, v) => n + v.books.length, 0);
    const trusted = venues.reduce((n, v) => n + v.books.filter((b) => b.trust === 'trusted').length, 0);
    const rate = venues.reduce((n, v) => n + v.messageRate, 0);
    log(`${venues.length} venues, ${trusted}/${books} books trusted, ${Math.round(rate)} msg/s`);
  }, 10_000);

  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  clearInterval(status);
  log('stopping…');
  await stack.close();
  if (recorder) {
    await recorder.close();
    log(`recorder closed: ${JSON.stringify(recorder.stats())}`);
  }
}
