/**
 * `npm run bench`: exact Binance BTCUSDT book building, ours vs tardis-dev vs ccxt, on the real
 * hftbacktest captures (spot depth@100ms, USD-M depth@0ms). See bench/README.md.
 *
 * Options: --runs N (7), --min-seconds S (0.3), --market spot|usdm (both), --out PATH
 * (bench/results/latest.json; "-" to skip writing), --suite all|backtest|trading|signals|execution|day
 * (day: minutes, so only on its own; --day-fraction F, --keep-day).
 */

import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BinanceMarket } from '../core/venues/binance/binance-feed.ts';
import { runBacktestBench } from './backtest/backtest-bench.ts';
import { CcxtParseBench } from './book/a-ccxt.ts';
import { JsonParseBench } from './book/a-json-parse.ts';
import { OursFeedBench } from './book/a-ours-feed.ts';
import { TardisParseBench } from './book/a-tardis.ts';
import { CcxtBookBench } from './book/b-ccxt.ts';
import { OursL2BookBench } from './book/b-ours-l2book.ts';
import { TardisBookBench } from './book/b-tardis.ts';
import { benchInput } from './book/bench-input.ts';
import { type BookBench, bookDifference } from './book/book-bench.ts';
import { referenceBook } from './book/reference-book.ts';
import { DEFAULT_DAY_FRACTION, runDayBench } from './day/day-bench.ts';
import { runExecutionBench } from './execution/execution-bench.ts';
import { type HarnessOptions, measureCase } from './harness.ts';
import { loadHftbacktest } from './load-hftbacktest.ts';
import { type CaseResult, caseResults, formatTable, writeJson } from './report.ts';
import { runSignalsBench } from './signals/signals-bench.ts';
import { runTradingBench } from './trading/trading-bench.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'min-seconds': { type: 'string', default: '0.3' },
    market: { type: 'string' },
    suite: { type: 'string', default: 'all' },
    'day-fraction': { type: 'string', default: String(DEFAULT_DAY_FRACTION) },
    'keep-day': { type: 'boolean', default: false },
    // From the project root: this file also runs bundled from .bench/.
    out: { type: 'string', default: resolve('bench/results/latest.json') },
  },
});

const FIXTURES = new URL('../test/fixtures/binance/', import.meta.url);
const CAPTURES: Record<BinanceMarket, string> = {
  spot: 'hftbacktest_spot_btcusdt_20240808.gz',
  usdm: 'hftbacktest_usdm_btcusdt_20240808.gz',
};
/** Keep at most ~1 G characters of id-shifted lines in memory. */
const MAX_CHARS = 1e9;

const round1 = (x: number) => Math.round(x * 10) / 10;
const markets = (values.market ? [values.market] : ['spot', 'usdm']) as BinanceMarket[];
const log = (line: string) => process.stderr.write(`${line}\n`);
const results: Record<string, unknown> = {};
const loadBefore = loadavg()[0]!;

for (const market of ['backtest', 'trading', 'signals', 'execution', 'day'].includes(values.suite ?? '')
  ? []
  : markets) {
  if (!(market in CAPTURES)) throw new Error(`unknown market ${market}`);
  const file = CAPTURES[market];
  const capture = loadHftbacktest(fileURLToPath(new URL(file, FIXTURES)), market);
  const input = benchInput(capture);
  const options: HarnessOptions = {
    runs: Number(values.runs),
    minSeconds: Number(values['min-seconds']),
    maxRounds: Math.max(1, Math.floor(MAX_CHARS / input.rounds.charsPerRound)),
    warmupSeconds: 0.3,
  };
  log(
    `${market}: ${file}: ${capture.depth.length} depth diffs, ${capture.levelsPerPass} level changes per pass, ` +
      `snapshot ${capture.snapshot.bids.length}+${capture.snapshot.asks.length} levels, id span ${input.rounds.span}, bridge ${input.rounds.bridgeLevels} levels per round after the first`,
  );
  const caseA: BookBench[] = [
    new OursFeedBench(input),
    new JsonParseBench(input),
    new TardisParseBench(input),
    new CcxtParseBench(input),
  ];
  const caseB: BookBench[] = [
    new OursL2BookBench(input),
    new TardisBookBench(input),
    new CcxtBookBench(input),
  ];
  const measured = [
    ...measureCase(caseA, (rounds) => input.rounds.levelChanges(rounds), options, log),
    ...measureCase(caseB, (rounds) => rounds * capture.levelsPerPass, options, log),
  ];
  // Untimed honesty check: every implementation ends with the same book as an independent reference.
  const reference = referenceBook(capture);
  for (const m of measured) {
    const book = m.bench.book();
    if (!book) continue;
    const diff = bookDifference(book, reference);
    if (diff)
      throw new Error(`${market} ${m.bench.caseId} ${m.bench.name}: book differs from reference: ${diff}`);
  }
  const rows: CaseResult[] = caseResults(measured);
  console.log(
    `\n${formatTable(`Binance ${market} BTCUSDT — ${capture.levelsPerPass} level changes × rounds per run`, rows)}`,
  );
  console.log(
    `books cross-checked: ${reference.bids.length}+${reference.asks.length} levels, all implementations identical`,
  );
  results[market] = {
    capture: `test/fixtures/binance/${file}`,
    depthDiffs: capture.depth.length,
    levelChangesPerPass: capture.levelsPerPass,
    snapshotLevels: capture.snapshot.bids.length + capture.snapshot.asks.length,
    results: rows,
  };
}

let backtest: ReturnType<typeof runBacktestBench> | undefined;
if (values.suite === 'all' || values.suite === 'backtest') {
  // The backtest figure: full queue + latency model with the market maker over the real USD-M capture.
  backtest = runBacktestBench({ runs: Number(values.runs), log });
  console.log(
    `\nBacktest (full model, market-maker, USD-M BTCUSDT looped ×${backtest.loops}): ` +
      `${(backtest.eventsPerSec / 1e6).toFixed(2)} M events/s (median of ${backtest.runs}); ` +
      `whole USD-M capture (${backtest.captureRows} rows) in ${(backtest.usdmSeconds * 1000).toFixed(1)} ms`,
  );
}

let trading: Awaited<ReturnType<typeof runTradingBench>> | undefined;
if (values.suite === 'all' || values.suite === 'trading') {
  log('trading: tick-to-order and kill on the Binance spot and USD-M captures');
  trading = await runTradingBench(
    [
      loadHftbacktest(fileURLToPath(new URL(CAPTURES.spot, FIXTURES)), 'spot'),
      loadHftbacktest(fileURLToPath(new URL(CAPTURES.usdm, FIXTURES)), 'usdm'),
    ],
    { log },
  );
  console.log(
    `\nTrading (book → market-maker → risk → OMS → paper venue): tick-to-order p50 ${trading.tickToOrderUs.p50} µs, ` +
      `p99 ${trading.tickToOrderUs.p99} µs, p99.9 ${trading.tickToOrderUs.p999} µs over ${trading.ticksWithOrders} ticks; ` +
      `heap ${trading.heapBytesPerTick} B/tick; kill ${trading.killOrders} orders on two venues: ` +
      `p50 ${trading.killAllCancelledMs.p50} ms, p99 ${trading.killAllCancelledMs.p99} ms`,
  );
}

let signals: ReturnType<typeof runSignalsBench> | undefined;
if (values.suite === 'all' || values.suite === 'signals') {
  signals = runSignalsBench({ fixtures: FIXTURES, rounds: Number(values.runs), log });
  const f = (x: { p50: number; p99: number }) => `p50 ${x.p50} µs, p99 ${x.p99} µs`;
  console.log(
    `\nSignals (detect → context → assess → execute, Binance spot + USD-M BTCUSDT): detect ${f(signals.detectUs)}; ` +
      `context ${f(signals.contextUs)}; assess ${f(signals.assessUs)}; execute ${f(signals.executeUs)}; ` +
      `all four ${f(signals.allStagesUs)} (${signals.bookEvents} book + ${signals.tradeEvents} trade events × ${signals.rounds})`,
  );
}

let execution: Awaited<ReturnType<typeof runExecutionBench>> | undefined;
if (values.suite === 'all' || values.suite === 'execution') {
  execution = await runExecutionBench({ runs: Number(values.runs), log });
  const f = (x: { p50: number; p99: number }) => `p50 ${x.p50} µs, p99 ${x.p99} µs`;
  for (const [venue, label] of [
    ['binance', 'Binance spot'],
    ['bybit', 'Bybit linear'],
  ] as const)
    for (const [name, c] of Object.entries(execution[venue]))
      console.log(
        `\nExecution (${label} simulator, ${name}): round trip ${f(c.roundTripUs)}; client CPU ${f(c.cpuUs)}; ` +
          `process CPU ${c.processCpuUsPerOrder} µs/order`,
      );
  console.log(execution.method);
}

let day: Awaited<ReturnType<typeof runDayBench>> | undefined;
if (values.suite === 'day') {
  day = await runDayBench({ fraction: Number(values['day-fraction']), keep: values['keep-day'], log });
  const full = day.extrapolatedFullDay;
  console.log(
    `\nDay (USD-M BTCUSDT looped ×${day.loops}, ${(day.dayFraction * 100).toFixed(1)} % of 24 h, ${day.rows} rows): ` +
      `backtest ${day.backtestSeconds.toFixed(1)} s recorded Parquet, ${day.forms.capture.seconds.toFixed(1)} s capture ` +
      `(extrapolated to 24 h: ${full.backtestSeconds.toFixed(0)} s / ${full.captureBacktestSeconds.toFixed(0)} s, ${full.rows} rows); ` +
      `books ${(day.booksLevelChangesPerSec / 1e6).toFixed(2)} M level changes/s vs JSON.parse alone ` +
      `${(day.jsonParseLevelChangesPerSec / 1e6).toFixed(2)} M`,
  );
}

const loadAfter = loadavg()[0]!;
if (Math.max(loadBefore, loadAfter) > cpus().length)
  log(
    `note: load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus().length} cores: figures are noisy`,
  );

if (values.out !== '-') {
  // A partial suite keeps the other suites' figures of the previous run; `all` keeps only `day` (not in `all`).
  const previous: Record<string, unknown> = existsSync(values.out)
    ? JSON.parse(readFileSync(values.out, 'utf8'))
    : {};
  writeJson(values.out, {
    ...(values.suite !== 'all' ? previous : 'day' in previous ? { day: previous.day } : {}),
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    /** 1-minute load average before and after: above the core count, the figures are noisy. */
    loadAverage: { before: round1(loadBefore), after: round1(loadAfter) },
    runsPerImplementation: Number(values.runs),
    minSecondsPerRun: Number(values['min-seconds']),
    unit: 'level changes per second (median of runs)',
    ...(Object.keys(results).length > 0 ? { markets: results } : {}),
    ...(backtest ? { backtest } : {}),
    ...(trading ? { trading } : {}),
    ...(signals ? { signals } : {}),
    ...(execution ? { execution } : {}),
    ...(day ? { day } : {}),
  });
  log(`wrote ${values.out}`);
}
