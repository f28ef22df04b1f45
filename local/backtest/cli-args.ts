/**
 * Parsers for the backtest, sweep and fidelity command-line options (commander argParsers): each
 * turns one option's text into a typed value or throws InvalidArgumentError with what was expected,
 * which commander prints as "error: option '--seed <n>' argument 'x' is invalid. <why>".
 */
import { InvalidArgumentError } from 'commander';
import type { MetricKey } from '../../core/backtest/analytics/metrics.ts';
import { METRIC_INFO } from '../../core/backtest/report/metric-labels.ts';
import type { Micros } from '../../core/market/events.ts';
import type { QueueSpec } from '../../core/sim/queue/queue-spec.ts';

export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected an integer ≥ 0');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('too large');
  return n;
}

export function positiveInt(value: string): number {
  const n = nonNegativeInt(value);
  if (n < 1) throw new InvalidArgumentError('expected an integer ≥ 1');
  return n;
}

/** A seed for the simulator's PRNG: an integer in [0, 2^32). */
export function seed(value: string): number {
  const n = nonNegativeInt(value);
  if (n >= 2 ** 32) throw new InvalidArgumentError('expected an integer below 2^32');
  return n;
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 date or date-time → µs since the epoch. Without an offset the time is UTC. */
export function isoTime(value: string): Micros {
  const text = value.trim();
  const m = ISO.exec(text);
  if (!m) throw new InvalidArgumentError('expected an ISO 8601 time such as 2024-08-08T23:55:00Z');
  const withZone = m[1] ? text : text.length > 10 ? `${text}Z` : text;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  if (Number.isNaN(ms)) throw new InvalidArgumentError('not a valid calendar date/time');
  // Sub-millisecond digits: Date keeps milliseconds only; add the rest as µs.
  const frac = /\.(\d+)/.exec(text)?.[1] ?? '';
  const extraUs = frac.length > 3 ? Number(frac.slice(3, 6).padEnd(3, '0')) : 0;
  return ms * 1000 + extraUs;
}

export function symbolList(value: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) throw new InvalidArgumentError('expected one or more symbols, comma-separated');
  return list;
}

/** `k=v` or `k=v,k2=v2`, repeatable; later values of a key replace earlier ones. */
export function collectParams(
  value: string,
  previous: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = { ...previous };
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1)
      throw new InvalidArgumentError(`"${item}" is not name=value (e.g. spread_bps=10)`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

export interface GridAxis {
  readonly name: string;
  /** Values as given (the strategy's parameter spec converts them). */
  readonly values: readonly string[];
}

/** `name=v1,v2,v3`, repeatable (one axis per option); a name may appear once. */
export function collectGrid(value: string, previous: readonly GridAxis[] = []): GridAxis[] {
  const eq = value.indexOf('=');
  const name = eq > 0 ? value.slice(0, eq).trim() : '';
  if (!name) throw new InvalidArgumentError(`"${value}" is not name=v1,v2,… (e.g. spread_bps=5,10,20)`);
  const values = value
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) throw new InvalidArgumentError(`${name}: no values`);
  if (new Set(values).size !== values.length) throw new InvalidArgumentError(`${name}: a value is repeated`);
  if (previous.some((a) => a.name === name)) throw new InvalidArgumentError(`${name}: given twice`);
  return [...previous, { name, values }];
}

export interface WalkForwardSpec {
  readonly folds: number;
  readonly inSampleFraction: number;
  readonly anchored: boolean;
}

export const DEFAULT_WALK_FORWARD: WalkForwardSpec = { folds: 3, inSampleFraction: 0.6, anchored: false };

/** `folds=3,is=0.6[,anchored]` (any subset; defaults: 3 folds, 60/40, rolling). */
export function walkForwardSpec(value: string): WalkForwardSpec {
  let { folds, inSampleFraction, anchored } = DEFAULT_WALK_FORWARD;
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const [key, raw] = item.split('=', 2).map((s) => s.trim()) as [string, string | undefined];
    if (key === 'anchored' || key === 'rolling') {
      const flag = raw === undefined || raw === 'true' || raw === '1';
      if (raw !== undefined && !['true', 'false', '1', '0'].includes(raw))
        throw new InvalidArgumentError(`${key}: expected true or false`);
      anchored = key === 'anchored' ? flag : !flag;
    } else if (key === 'folds') {
      if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1)
        throw new InvalidArgumentError('folds: expected an integer ≥ 1');
      folds = Number(raw);
    } else if (key === 'is' || key === 'in-sample') {
      const f = raw === undefined ? Number.NaN : Number(raw.endsWith('%') ? raw.slice(0, -1) : raw);
      const frac = raw?.endsWith('%') ? f / 100 : f;
      if (!(frac > 0 && frac < 1))
        throw new InvalidArgumentError('is: expected a fraction in (0, 1), e.g. 0.6');
      inSampleFraction = frac;
    } else {
      throw new InvalidArgumentError(`unknown key "${key}" (folds=N, is=0.6, anchored)`);
    }
  }
  return { folds, inSampleFraction, anchored };
}

/** Added latencies in ms, e.g. `0,1,5,10,50`: finite, ≥ 0, distinct, at least two. */
export function latencyOffsets(value: string): number[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const out = list.map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${s}" is not a latency in ms ≥ 0`);
    return n;
  });
  if (out.length < 2) throw new InvalidArgumentError('expected at least two latencies, e.g. 0,1,5,10,50');
  if (new Set(out).size !== out.length) throw new InvalidArgumentError('a latency is repeated');
  return out;
}

/** Milliseconds ≥ 0 (fractions allowed) → µs. */
export function latencyMs(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected a latency in ms ≥ 0');
  return Math.round(n * 1000);
}

const PROB_FNS = ['power', 'power2', 'power3', 'log', 'log2'] as const;
type ProbFn = (typeof PROB_FNS)[number];

/**
 * Queue model: `risk-averse`, `l3-fifo`, or a probabilistic one: `prob` (power, n = 3),
 * `prob:<fn>[:n]` or just `<fn>[:n]` with fn ∈ power, power2, power3, log, log2.
 */
export function queueModel(value: string): QueueSpec {
  const text = value.trim().toLowerCase();
  if (text === 'risk-averse' || text === 'l3-fifo') return { model: text };
  const parts = text.split(':');
  if (parts[0] === 'prob') parts.shift();
  const fn = (parts[0] ?? 'power') as ProbFn;
  if (!PROB_FNS.includes(fn))
    throw new InvalidArgumentError(
      `unknown queue model "${value}" (risk-averse, l3-fifo, prob[:fn[:n]] with fn ${PROB_FNS.join('|')})`,
    );
  if (parts.length > 2) throw new InvalidArgumentError(`"${value}": expected prob:<fn>[:n]`);
  if (parts[1] === undefined) return { model: 'prob', fn };
  const n = Number(parts[1]);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`"${parts[1]}" is not an exponent > 0`);
  return { model: 'prob', fn, n };
}

/** Several queue models, comma-separated. */
export function queueModels(value: string): QueueSpec[] {
  const out = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(queueModel);
  if (out.length === 0) throw new InvalidArgumentError('expected one or more queue models');
  return out;
}

export const METRIC_NAMES = Object.keys(METRIC_INFO) as MetricKey[];

export function metricName(value: string): MetricKey {
  const key = value.trim() as MetricKey;
  if (!(key in METRIC_INFO))
    throw new InvalidArgumentError(`unknown metric "${value}" (one of: ${METRIC_NAMES.join(', ')})`);
  return key;
}

/** A value from a fixed list. */
export function oneOf(names: readonly string[], what: string): (value: string) => string {
  return (value) => {
    if (!names.includes(value))
      throw new InvalidArgumentError(`unknown ${what} "${value}" (known: ${names.join(', ')})`);
    return value;
  };
}

/** `--from` must come before `--to`. */
export function checkRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && !(from < to))
    throw new Error('--from must be earlier than --to');
}
