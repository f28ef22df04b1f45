/**
 * `npm run local:cloud -- [--seconds N] [--faults] [--speed X] [--batch-size N] [--dir PATH] [--no-control]
 * [--control-port N] [--json]`: runs the offline cloud (run-local-cloud.ts) for N seconds (default 20),
 * with paper trading and the kill-switch URL on a printed port unless `--no-control`, and prints the summary — with
 * `--json` exactly `{published, processed, s3Objects, s3Rows, duplicates, lost, deadLetters, s3Dir}`.
 * Exit status 1 when a row was lost or stored twice.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_FAULTS, runLocalCloud } from './run-local-cloud.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    faults: { type: 'boolean', default: false },
    speed: { type: 'string', default: '1' },
    dir: { type: 'string' },
    'batch-size': { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    'no-control': { type: 'boolean', default: false },
    'control-port': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const speed = Number(values.speed);
const batchSize = Number(values['batch-size']);
if (!(seconds > 0) || !(speed > 0) || !Number.isInteger(batchSize) || batchSize < 1) {
  console.error('--seconds and --speed take positive numbers, --batch-size a positive integer');
  process.exit(2);
}
const log = values.json
  ? () => {}
  : (line: string) => console.error(`${new Date().toISOString().slice(11, 23)} ${line}`);
const report = await runLocalCloud({
  seconds,
  speed,
  batchSize,
  faults: values.faults ? DEFAULT_FAULTS : undefined,
  control: !values['no-control'],
  ...(values['control-port'] ? { controlPort: Number(values['control-port']) } : {}),
  ...(values.dir ? { dir: values.dir } : {}),
  log,
});
const s = report.summary;
if (values.json) console.log(JSON.stringify(s));
else {
  console.log(JSON.stringify(s, null, 2));
  console.log(`faults fired: ${JSON.stringify(report.fired)}`);
  console.log(
    `rows by table: ${JSON.stringify(report.rowsByKind)}${report.drained ? '' : ' (not drained in time)'}`,
  );
}
process.exit(s.lost === 0 && s.duplicates === 0 ? 0 : 1);
