/**
 * `npx tsx bench/backtest/main.ts [--runs N] [--loops N]`: the backtest benchmark alone (the lead
 * wires runBacktestBench into `npm run bench`).
 */
import { parseArgs } from 'node:util';
import { runBacktestBench } from './backtest-bench.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, loops: { type: 'string', default: '10' } },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const r = runBacktestBench({ runs: Number(values.runs), loops: Number(values.loops), log });
console.log(
  `backtest (full model, market-maker, USD-M BTCUSDT looped ×${r.loops}): ` +
    `${(r.eventsPerSec / 1e6).toFixed(2)} M events/s median of ${r.runs}; whole USD-M capture ` +
    `(${r.captureRows} rows) in ${(r.usdmSeconds * 1000).toFixed(1)} ms`,
);
