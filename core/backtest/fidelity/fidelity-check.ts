/**
 * Fidelity check of the fill model against the recording: passive probes at the touch (see
 * probe-strategy.ts) run through the simulator once per queue model, and each model's fills are
 * compared with what the recorded trades and book changes imply (trade-truth.ts).
 *
 * A model must never fill a probe the tape says nothing could have filled ("impossible" > 0 is a
 * bug) and must fill every "certain" one ("missed" > 0 is a bug); where models differ is the
 * "possible" zone — fills that depend on cancels ahead of us, which only an order-level feed shows.
 * "agree" is the share of accepted probes where the model's filled/not-filled matches the truth's
 * certain-or-likely.
 */
import type { FeeTable } from '../../sim/fees/fee-table.ts';
import { zeroFees } from '../../sim/fees/fee-table.ts';
import { createLatencyModel, type LatencySpec } from '../../sim/latency/latency-spec.ts';
import { type QueueSpec, queueLabel } from '../../sim/queue/queue-spec.ts';
import { runBacktest } from '../engine/run-backtest.ts';
import type { Tape } from '../tape/tape.ts';
import { ProbeStrategy } from './probe-strategy.ts';
import { type ProbeWindow, type Truth, type TruthClass, tradeImpliedTruth } from './trade-truth.ts';

export const DEFAULT_FIDELITY_MODELS: readonly QueueSpec[] = [
  { model: 'risk-averse' },
  { model: 'prob', fn: 'power', n: 2 },
  { model: 'prob', fn: 'power', n: 3 },
  { model: 'prob', fn: 'power2', n: 3 },
  { model: 'prob', fn: 'power3', n: 3 },
  { model: 'prob', fn: 'log' },
  { model: 'prob', fn: 'log2' },
];

export interface FidelityOptions {
  /** Queue models to compare (default: risk-averse and the five probability functions). */
  readonly models?: readonly QueueSpec[];
  /** Probe interval = probe lifetime, µs. Default 5 s. */
  readonly intervalUs?: number;
  /** Order latency for the probes (default: the simulator default, constant 5 ms / 5 ms). */
  readonly latency?: LatencySpec;
  /** Instrument index on the tape. Default 0. */
  readonly instrument?: number;
  /** Probe size, units; default the smallest valid order (lot, min size, min notional). */
  readonly size?: number;
  readonly partialFills?: boolean;
  readonly fees?: FeeTable;
}

export interface FidelityRow {
  readonly model: string;
  readonly probes: number;
  readonly rejected: number;
  readonly filled: number;
  /** filled / accepted. */
  readonly fillRate: number;
  /** Median exchange-time from arrival to first fill, ms (NaN when none filled). */
  readonly medianFillMs: number;
  /** Share of accepted probes where filled ⇔ truth certain-or-likely. */
  readonly agreement: number;
  /** Truth 'none' but filled: must be 0. */
  readonly impossible: number;
  /** Truth 'certain' but not filled: must be 0. */
  readonly missed: number;
  /** Fills among the truth's 'possible' probes. */
  readonly possibleFilled: number;
}

export interface FidelityReport {
  readonly instrument: string;
  readonly intervalUs: number;
  readonly size: number;
  readonly truth: Readonly<Record<TruthClass, number>> & {
    readonly probes: number;
    readonly medianFillMs: number;
  };
  readonly rows: readonly FidelityRow[];
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export function runFidelityCheck(tape: Tape, options: FidelityOptions = {}): FidelityReport {
  const models = options.models ?? DEFAULT_FIDELITY_MODELS;
  const intervalUs = options.intervalUs ?? 5_000_000;
  const instIdx = options.instrument ?? 0;
  const ins = tape.instruments[instIdx];
  if (!ins) throw new Error(`fidelity: no instrument ${instIdx} on the tape`);
  const latencySpec: LatencySpec = options.latency ?? { model: 'constant', entryUs: 5000, responseUs: 5000 };
  const size = options.size ?? smallestOrder(tape, instIdx);
  const latency = createLatencyModel(latencySpec, tape);
  let truth: Truth[] | undefined;
  let truthByProbe: Map<number, Truth> | undefined;
  let arriveById: Map<number, number> | undefined;
  const rows: FidelityRow[] = [];
  for (const spec of models) {
    const probe = new ProbeStrategy(instIdx, intervalUs, size);
    const result = runBacktest({
      tape,
      strategy: { name: 'fidelity-probe', instance: probe },
      sim: {
        queue: spec,
        latency: latencySpec,
        partialFills: options.partialFills ?? true,
        maxLeverage: 1e9,
      },
      fees: options.fees ?? zeroFees(),
    });
    if (!truth) {
      // Placements depend only on the strategy's view, the same for every model: compute once.
      const windows: ProbeWindow[] = probe.probes.map((p) => {
        const arrive = p.sentTs + latency.entry(p.sentTs);
        const cancelSent = p.sentTs + intervalUs;
        return {
          isBuy: p.isBuy,
          price: p.price,
          arriveTs: arrive,
          cancelTs: cancelSent + latency.entry(cancelSent),
        };
      });
      truth = tradeImpliedTruth(tape, instIdx, windows);
      truthByProbe = new Map(probe.probes.map((p, k) => [p.id, truth![k]!]));
      arriveById = new Map(probe.probes.map((p, k) => [p.id, windows[k]!.arriveTs]));
    }
    const firstFill = new Map<number, number>();
    for (const f of result.fills) {
      const id = Number(f.orderId);
      if (!firstFill.has(id)) firstFill.set(id, f.ts);
    }
    let rejected = 0;
    let filled = 0;
    let agree = 0;
    let impossible = 0;
    let missed = 0;
    let possibleFilled = 0;
    const times: number[] = [];
    for (const o of result.orders) {
      const id = Number(o.orderId);
      const tr = truthByProbe!.get(id);
      if (!tr) continue;
      if (o.state === 'rejected') {
        rejected++;
        continue;
      }
      const ts = firstFill.get(id);
      const simFilled = ts !== undefined;
      const truthFilled = tr.cls === 'certain' || tr.cls === 'likely';
      if (simFilled) {
        filled++;
        times.push((ts - arriveById!.get(id)!) / 1000);
        if (tr.cls === 'none') impossible++;
        if (tr.cls === 'possible') possibleFilled++;
      } else if (tr.cls === 'certain') missed++;
      if (simFilled === truthFilled) agree++;
    }
    const probes = probe.probes.length;
    const accepted = probes - rejected;
    rows.push({
      model: queueLabel(spec),
      probes,
      rejected,
      filled,
      fillRate: accepted > 0 ? filled / accepted : 0,
      medianFillMs: median(times),
      agreement: accepted > 0 ? agree / accepted : 0,
      impossible,
      missed,
      possibleFilled,
    });
  }
  const counts: Record<TruthClass, number> = { certain: 0, likely: 0, possible: 0, none: 0, rejected: 0 };
  const truthTimes: number[] = [];
  for (const [id, t] of truthByProbe ?? new Map<number, Truth>()) {
    counts[t.cls]++;
    if (!Number.isNaN(t.filledTs)) truthTimes.push((t.filledTs - arriveById!.get(id)!) / 1000);
  }
  return {
    instrument: `${ins.exchange}:${ins.symbol}`,
    intervalUs,
    size,
    truth: { ...counts, probes: truth?.length ?? 0, medianFillMs: median(truthTimes) },
    rows,
  };
}

/** Smallest valid order at the tape's typical price: lots covering min size and min notional. */
function smallestOrder(tape: Tape, inst: number): number {
  const ins = tape.instruments[inst]!;
  let price = Number.NaN;
  for (let r = 0; r < tape.length && Number.isNaN(price); r++)
    if (tape.inst[r] === inst && tape.kind[r] === 2) price = tape.price[r]!;
  const lot = ins.lotSize;
  let units = Math.max(lot, Math.ceil(ins.minSize / lot) * lot);
  if (ins.minNotional > 0 && price > 0) {
    const quotePerUnit = price / 10 ** ins.priceScale / 10 ** ins.sizeScale;
    units = Math.max(units, Math.ceil(ins.minNotional / quotePerUnit / lot) * lot);
  }
  return units;
}

/** The report as a fixed-width table. */
export function formatFidelityTable(r: FidelityReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const ms = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(0));
  const head = [
    'model',
    'probes',
    'rejected',
    'filled',
    'fill rate',
    'median ms',
    'agree',
    'impossible',
    'missed',
    'possible→filled',
  ];
  const lines: string[][] = [head];
  const t = r.truth;
  const accepted = t.probes - t.rejected;
  lines.push([
    'truth (certain+likely)',
    String(t.probes),
    String(t.rejected),
    String(t.certain + t.likely),
    pct(accepted > 0 ? (t.certain + t.likely) / accepted : 0),
    ms(t.medianFillMs),
    '',
    '',
    '',
    `${t.possible} possible`,
  ]);
  for (const row of r.rows) {
    lines.push([
      row.model,
      String(row.probes),
      String(row.rejected),
      String(row.filled),
      pct(row.fillRate),
      ms(row.medianFillMs),
      pct(row.agreement),
      String(row.impossible),
      String(row.missed),
      String(row.possibleFilled),
    ]);
  }
  const widths = head.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const fmt = (l: string[]) =>
    l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const title =
    `Fill-model fidelity on ${r.instrument}: post-only probes at the touch every ${r.intervalUs / 1e6} s ` +
    `(size ${r.size} units); truth: certain ${t.certain}, likely ${t.likely}, possible ${t.possible}, none ${t.none}`;
  return [title, fmt(lines[0]!), ...lines.slice(1).map(fmt)].join('\n');
}
