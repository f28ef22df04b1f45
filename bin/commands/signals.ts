/**
 * `cli signals <capture|folder|recording> [--json]`: replay captures (the readers `cli books` uses)
 * through the venue feeds into the HIFA signal pipeline (core/signals), the captures interleaved by
 * receive time so cross-venue measures see the venues as they arrived. Prints per instrument the
 * counts by signal type and the final values, the cross-venue pairs, arbitrage opportunities,
 * funding, and each stage's latency.
 */
import type { Command } from 'commander';
import { loadFeeTable } from '../../config/fees.ts';
import { loadSignalParams } from '../../config/signals.ts';
import { replayCapturesByTime } from '../../core/capture/replay-capture.ts';
import { textTableLines } from '../../core/format/text-table.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { PipelineListener } from '../../core/signals/pipeline-listener.ts';
import type { SignalParams } from '../../core/signals/signal-params.ts';
import { SignalPipeline } from '../../core/signals/signal-pipeline.ts';
import { type SignalsReport, signalsReport } from '../../core/signals/signals-report.ts';
import { createFeed, variantOfUrl } from '../../core/venues/create-feed.ts';
import type { Capture } from '../../local/capture/read-capture.ts';
import { instrumentsFor } from '../../local/capture/reference-data.ts';
import { loadCaptures } from './books.ts';

/** The `--json` contract: the report's instruments, arbitrage, funding and stage latency (plus extras). */
export interface SignalsResult extends SignalsReport {
  captures: string[];
  events: { books: number; trades: number; tradesBeforeBook: number };
}

/** Replay captures through one pipeline, interleaved by receive time. */
export function runSignalsOnCaptures(
  captures: readonly Capture[],
  params: SignalParams,
  timed = true,
): SignalsResult {
  const pipeline = new SignalPipeline(params, {
    fees: loadFeeTable(),
    ...(timed ? { clock: () => performance.now() } : {}),
  });
  const listener = new PipelineListener(pipeline);
  let books = 0;
  let trades = 0;
  const counting = {
    onBook: (
      sb: Parameters<PipelineListener['onBook']>[0],
      ch: Parameters<PipelineListener['onBook']>[1],
    ) => {
      if (sb.trust === 'trusted') books++;
      listener.onBook(sb, ch);
    },
    onTrade: (t: Parameters<PipelineListener['onTrade']>[0]) => {
      trades++;
      listener.onTrade(t);
    },
    onEvent: (e: Parameters<PipelineListener['onEvent']>[0]) => listener.onEvent(e),
  };
  const sources = captures.map((capture) => ({
    records: capture.records,
    feed: createFeed({
      exchange: capture.exchange,
      listener: counting,
      instruments: new InstrumentRegistry(instrumentsFor(capture.path)),
      variant: variantOfUrl(capture.exchange, capture.records.find((r) => r.url)?.url ?? ''),
    }),
  }));
  replayCapturesByTime(sources);
  return {
    captures: captures.map((c) => c.path),
    events: { books, trades, tradesBeforeBook: listener.tradesBeforeBook },
    ...signalsReport(pipeline),
  };
}

export async function runSignals(
  path: string,
  params: SignalParams = loadSignalParams(),
): Promise<SignalsResult> {
  const captures = await loadCaptures(path);
  if (captures.length === 0) throw new Error(`no capture files under ${path}`);
  return runSignalsOnCaptures(captures, params);
}

const fmt = (x: number | null, digits = 4): string => (x === null ? '—' : x.toPrecision(digits));

export function formatSignals(r: SignalsResult): string {
  const rows: string[][] = [
    [
      'exchange',
      'symbol',
      'weighted mid',
      'microprice',
      'imb5',
      'vpin',
      'kyle λ',
      'vwap dev bps',
      'risk',
      'signals',
    ],
  ];
  for (const i of r.instruments)
    rows.push([
      i.exchange,
      i.symbol,
      fmt(i.weightedMid, 8),
      fmt(i.microprice, 8),
      fmt(i.imbalance5, 3),
      fmt(i.vpin, 3),
      fmt(i.kyleLambda, 3),
      fmt(i.vwapDeviation, 3),
      i.riskScore === null ? '—' : String(Math.round(i.riskScore)),
      Object.entries(i.signals)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '—',
    ]);
  const lines = textTableLines(rows);
  if (r.crossVenue.length > 0) {
    lines.push('', 'cross-venue (mid returns on the grid):');
    for (const c of r.crossVenue)
      lines.push(
        `  ${c.a} ~ ${c.b}: correlation ${fmt(c.correlation, 3)}, lead-lag ${c.leadLagSteps} × ${c.stepMs} ms (corr ${fmt(c.leadLagCorrelation, 3)}), ${c.samples} samples`,
      );
  }
  lines.push('', `arbitrage opportunities: ${r.arbitrageCount}`);
  for (const a of r.arbitrage.slice(-5))
    lines.push(
      `  ${a.asset} buy ${a.buyExchange} ${a.buyPrice} sell ${a.sellExchange} ${a.sellPrice}: ${a.edgeBps.toFixed(2)} bps, ${a.size.toPrecision(4)} available`,
    );
  lines.push(`funding: ${r.funding.length === 0 ? 'no perpetual tickers in these captures' : ''}`);
  for (const f of r.funding)
    lines.push(
      `  ${f.exchange} ${f.symbol}: predicted ${fmt(f.predictedRate)}, current ${fmt(f.currentRate)}, next ${f.nextFundingTs === null ? '—' : new Date(f.nextFundingTs / 1000).toISOString()}, cost to hold ${f.notional} until then ${fmt(f.holdingCost)}`,
    );
  const l = r.stageLatencyUs;
  lines.push(
    '',
    `stage latency µs p50/p99: detect ${l.detect.p50}/${l.detect.p99}  context ${l.context.p50}/${l.context.p99}  assess ${l.assess.p50}/${l.assess.p99}  execute ${l.execute.p50}/${l.execute.p99}`,
    `events: ${r.events.books} trusted book updates, ${r.events.trades} trades`,
  );
  return lines.join('\n');
}

export function signalsJson(r: SignalsResult): string {
  return JSON.stringify(r, null, 2);
}

export function register(program: Command): Command {
  return program
    .command('signals')
    .description(
      'Replay captures through the four-stage signal pipeline: signals per instrument, arbitrage, funding',
    )
    .argument('<capture>', 'capture file, a folder of them, or a recording folder (as for `books`)')
    .option('--json', 'print one JSON object')
    .action(async (capture: string, opts: { json?: boolean }) => {
      const result = await runSignals(capture);
      console.log(opts.json ? signalsJson(result) : formatSignals(result));
    });
}
