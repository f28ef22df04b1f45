/**
 * `npm run bench:ingest` — live ingest under load, then the recorder's throughput:
 *
 *   1. 2000 synthetic symbols over every configured venue's simulator (in a child process), the real
 *      connectors and books (and the recorder) in this one: messages/s, ingest latency p50/p99/p99.9
 *      (simulator's change → book updated, hdr-histogram), CPU, memory, event-loop delay;
 *   2. runRecorderBench: rows/s from record…() to Parquet on disk, per workload.
 *
 * Prints a table and writes bench/results/ingest.json. Options:
 *   --seconds N (20)  --symbols N (2000)  --rate N (book messages/s per venue, 2000)
 *   --simulators process|same-process (process)  --record (also record to Parquet during the run)
 *   --record-threads N (2; 0 = the recorder writes on the event loop; also used by part 2)
 *   --recorder-rows N (400000)  --recorder-runs N (5)  --no-recorder-bench  --out PATH|- (bench/results/ingest.json)
 * Works bundled (`esbuild … && node .bench/ingest.mjs`) and with `npx tsx bench/ingest/run.ts`.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { textTable } from '../../core/format/text-table.ts';
import { type IngestBenchResult, type LatencySummary, runIngestBench } from './ingest-bench.ts';
import { formatRecorderBench, type RecorderBenchResult, runRecorderBench } from './recorder-bench.ts';
import { runSimulatorChild } from './simulator-process.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    seconds: { type: 'string' },
    symbols: { type: 'string' },
    rate: { type: 'string' },
    simulators: { type: 'string' },
    record: { type: 'boolean' },
    'record-threads': { type: 'string' },
    'recorder-rows': { type: 'string' },
    'recorder-runs': { type: 'string' },
    'no-recorder-bench': { type: 'boolean' },
    out: { type: 'string' },
  },
  strict: true,
});

const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

function num(v: number, digits = 0): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function latencyCells(l: LatencySummary): string[] {
  return [num(l.samples), num(l.p50Ms, 2), num(l.p99Ms, 2), num(l.p999Ms, 2), num(l.maxMs, 1)];
}

function formatIngest(r: IngestBenchResult): string {
  const rows: string[][] = [
    [
      'venue',
      'symbols',
      'trusted',
      'msg/s',
      'samples',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'max ms',
      'gaps',
      'wire ts',
    ],
  ];
  for (const v of r.venues)
    rows.push([
      v.exchange,
      num(v.symbols),
      num(v.trusted),
      num(v.messagesPerSec),
      ...latencyCells(v.latency),
      num(v.gaps),
      v.microsecondWire ? 'µs' : 'ms',
    ]);
  rows.push([
    'µs-stamped venues',
    num(r.symbols),
    '',
    num(r.messagesPerSec),
    ...latencyCells(r.latency),
    '',
    'µs',
  ]);
  rows.push(['ms-stamped venues', '', '', '', ...latencyCells(r.latencyMsWire), '', 'ms (+0–1)']);
  const goal = r.latency.p99Ms < 5 ? 'met' : 'NOT met';
  const lines = [
    `ingest: ${num(r.symbols)} symbols, ${r.venues.length} venues, ${num(r.seconds, 1)} s measured after ${num(r.warmupSeconds, 1)} s warm-up (${num(r.trustedAtStart)} books trusted)`,
    textTable(
      rows,
      rows[0]!.map((_, c) => c > 0),
    ),
    `messages: ${num(r.messagesPerSec)} /s received (simulators offered ${num(r.offeredPerSec)} steps/s)`,
    `latency (simulator change → book updated, µs-stamped venues): p50 ${num(r.latency.p50Ms, 2)} ms  p99 ${num(r.latency.p99Ms, 2)} ms  p99.9 ${num(r.latency.p999Ms, 2)} ms — goal p99 < 5 ms: ${goal}`,
    `clock: simulators ${r.clock.mode === 'process' ? `in a child process, offset ${num(r.clock.offsetMicros, 1)} µs ± ${num(r.clock.uncertaintyMicros, 1)} µs (subtracted)` : 'in this process (same clock)'}`,
    `CPU (connectors, books${r.recorder ? ', recorder' : ''}): ${num(r.cpu.totalPct)} % of a core (user ${num(r.cpu.userPct)} %, system ${num(r.cpu.systemPct)} %)${r.simulatorCpuPct !== null ? `; simulators ${num(r.simulatorCpuPct)} %` : ''}`,
    `memory: RSS ${num(r.memory.rssMb)} MB (max ${num(r.memory.maxRssMb)}), heap ${num(r.memory.heapUsedMb)} MB (max ${num(r.memory.maxHeapUsedMb)})${r.simulatorRssMb !== null ? `; simulators RSS ${num(r.simulatorRssMb)} MB` : ''}`,
    `event-loop delay: p50 ${num(r.eventLoopDelay.p50Ms, 2)} ms  p99 ${num(r.eventLoopDelay.p99Ms, 2)} ms  max ${num(r.eventLoopDelay.maxMs, 1)} ms`,
  ];
  if (r.recorder)
    lines.push(
      `recorder during the run (${r.recorder.threads > 0 ? `${r.recorder.threads} writer threads` : 'writing on the event loop'}): ${num(r.recorder.rowsPerSec)} rows/s recorded; by the end of the window ${num(r.recorder.written)} written, ${num(r.recorder.dropped)} dropped, ${num(r.recorder.failed)} failed`,
    );
  lines.push(
    `machine: ${r.machine.cores} cores, load average ${r.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}, node ${r.machine.node}`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const script = process.argv[1];
  if (!script) throw new Error('cannot tell which script to start the simulators from');
  const ingest = await runIngestBench({
    script,
    log,
    ...(values.seconds ? { seconds: Number(values.seconds) } : {}),
    ...(values.symbols ? { symbols: Number(values.symbols) } : {}),
    ...(values.rate ? { messagesPerSecondPerVenue: Number(values.rate) } : {}),
    ...(values.simulators
      ? { simulators: values.simulators === 'same-process' ? 'same-process' : 'process' }
      : {}),
    record: values.record === true,
    ...(values['record-threads'] ? { recordThreads: Number(values['record-threads']) } : {}),
  });
  console.log(`\n${formatIngest(ingest)}\n`);

  let recorder: RecorderBenchResult | null = null;
  if (!values['no-recorder-bench']) {
    log('recorder throughput (runRecorderBench)…');
    recorder = await runRecorderBench({
      ...(values['recorder-rows'] ? { rows: Number(values['recorder-rows']) } : {}),
      ...(values['recorder-runs'] ? { runs: Number(values['recorder-runs']) } : {}),
      ...(values['record-threads'] ? { threads: Number(values['record-threads']) } : {}),
    });
    console.log(`${formatRecorderBench(recorder)}\n`);
  }

  const out = values.out ?? 'bench/results/ingest.json';
  if (out !== '-') {
    const path = resolve(out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      `${JSON.stringify({ date: new Date(started).toISOString(), ingest, recorder }, null, 2)}\n`,
    );
    log(`wrote ${path}`);
  }
}

if (values.role === 'simulators') {
  await runSimulatorChild();
} else {
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
  // Everything is closed by now; should some handle be left, leave anyway (the bench is bounded).
  setTimeout(() => {
    console.error('bench:ingest: a handle kept the process alive after the bench; exiting');
    process.exit(process.exitCode ?? 3);
  }, 10_000).unref();
}
