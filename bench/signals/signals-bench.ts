/**
 * The signal pipeline's cost per event on real data: the Binance spot and USD-M BTCUSDT captures
 * (test/fixtures, the same minutes) replayed together, interleaved by receive time, through the
 * real feeds into one SignalPipeline. Each stage is timed inside the pipeline with performance.now()
 * (five clock reads per book event, ~30–50 ns each, included in the figures). Book events run all
 * four stages; trade events run detect and context only. Round 1 warms the JIT and is not counted;
 * each measured round uses a fresh pipeline and feeds, sharing one latency recorder.
 */
import { fileURLToPath } from 'node:url';
import fees from '../../config/fees.json' with { type: 'json' };
import { replayCapturesByTime } from '../../core/capture/replay-capture.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { PipelineListener } from '../../core/signals/pipeline-listener.ts';
import { defaultSignalParams } from '../../core/signals/signal-params.ts';
import { SignalPipeline } from '../../core/signals/signal-pipeline.ts';
import { StageLatency } from '../../core/signals/stage-latency.ts';
import { parseFeeTable } from '../../core/sim/fees/fee-table.ts';
import { createFeed, variantOfUrl } from '../../core/venues/create-feed.ts';
import { type Capture, readCapture } from '../../local/capture/read-capture.ts';
import { instrumentsFor } from '../../local/capture/reference-data.ts';

export interface P50P99 {
  readonly p50: number;
  readonly p99: number;
}

export interface SignalsBenchResult {
  readonly detectUs: P50P99;
  readonly contextUs: P50P99;
  readonly assessUs: P50P99;
  readonly executeUs: P50P99;
  readonly allStagesUs: P50P99;
  readonly captures: readonly string[];
  readonly rounds: number;
  /** Book events per round (all four stages) and trade events per round (detect + context). */
  readonly bookEvents: number;
  readonly tradeEvents: number;
}

const FILES = ['hftbacktest_spot_btcusdt_20240808.gz', 'hftbacktest_usdm_btcusdt_20240808.gz'];

function round(
  captures: readonly Capture[],
  latency: StageLatency | undefined,
): { books: number; trades: number } {
  const pipeline = new SignalPipeline(defaultSignalParams(), {
    fees: parseFeeTable(fees),
    clock: () => performance.now(),
    ...(latency ? { latency } : {}),
  });
  const listener = new PipelineListener(pipeline);
  replayCapturesByTime(
    captures.map((c) => ({
      records: c.records,
      feed: createFeed({
        exchange: c.exchange,
        listener,
        instruments: new InstrumentRegistry(instrumentsFor(c.path)),
        variant: variantOfUrl(c.exchange, c.records.find((r) => r.url)?.url ?? ''),
      }),
    })),
  );
  const books = pipeline.latency.stages[3]!.count; // execute runs once per book event
  return { books, trades: pipeline.latency.stages[0]!.count - books };
}

export function runSignalsBench(options: {
  /** The folder of the Binance captures (run.ts knows where it is, bundled or not). */
  readonly fixtures: URL;
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}): SignalsBenchResult {
  const rounds = Math.max(1, options.rounds ?? 5);
  const captures = FILES.map((f) => readCapture(fileURLToPath(new URL(f, options.fixtures))));
  round(captures, undefined); // warm-up
  const latency = new StageLatency();
  let books = 0;
  let trades = 0;
  for (let r = 0; r < rounds; r++) {
    const before = latency.stages[3]!.count;
    const beforeAll = latency.stages[0]!.count;
    round(captures, latency);
    books = latency.stages[3]!.count - before;
    trades = latency.stages[0]!.count - beforeAll - books;
  }
  const s = latency.summary();
  options.log?.(`signals: ${rounds} rounds × (${books} book + ${trades} trade events)`);
  return {
    detectUs: s.detect,
    contextUs: s.context,
    assessUs: s.assess,
    executeUs: s.execute,
    allStagesUs: s.all,
    captures: FILES.map((f) => `test/fixtures/binance/${f}`),
    rounds,
    bookEvents: books,
    tradeEvents: trades,
  };
}
