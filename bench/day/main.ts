/**
 * `npx tsx bench/day/main.ts [--day-fraction F] [--keep-day]`: the day benchmark alone, printed as
 * JSON (`npm run bench -- --suite day` also writes it into bench/results/latest.json).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DAY_FRACTION, runDayBench } from './day-bench.ts';

const { values } = parseArgs({
  options: {
    'day-fraction': { type: 'string', default: String(DEFAULT_DAY_FRACTION) },
    'keep-day': { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const r = await runDayBench({ fraction: Number(values['day-fraction']), keep: values['keep-day'], log });
console.log(JSON.stringify(r, null, 2));
