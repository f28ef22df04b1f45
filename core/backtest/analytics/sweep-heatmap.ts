/**
 * Heatmap data of a sweep over two parameters: one cell per (x value, y value). When the sweep also
 * varied other parameters, a cell shows the BEST value over them (the metric's direction decides),
 * i.e. the other parameters are optimized out; `counts` says how many runs a cell summarizes.
 * Axis values are sorted: numbers numerically, then strings, then booleans (false < true).
 */
import { compareBetter, type Direction, metricDirection } from './metric-direction.ts';
import type { MetricKey } from './metrics.ts';
import type { ParamValue, SweepRow } from './sweep-ranking.ts';

export interface SweepHeatmap {
  readonly xParam: string;
  readonly yParam: string;
  readonly metric: MetricKey;
  readonly direction: Direction;
  readonly xValues: readonly ParamValue[];
  readonly yValues: readonly ParamValue[];
  /** cells[yi][xi]: the metric, or null where no run had that combination (or only NaN). */
  readonly cells: readonly (readonly (number | null)[])[];
  readonly counts: readonly (readonly number[])[];
  /** Range of the finite cell values (0, 0 when there is none). */
  readonly min: number;
  readonly max: number;
  readonly best: { readonly x: ParamValue; readonly y: ParamValue; readonly value: number } | null;
}

const TYPE_ORDER = { number: 0, string: 1, boolean: 2 } as const;

export function compareParamValues(a: ParamValue, b: ParamValue): number {
  const ta = TYPE_ORDER[typeof a as keyof typeof TYPE_ORDER];
  const tb = TYPE_ORDER[typeof b as keyof typeof TYPE_ORDER];
  if (ta !== tb) return ta - tb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

function distinctSorted(values: readonly ParamValue[]): ParamValue[] {
  return [...new Set(values)].sort(compareParamValues);
}

export function sweepHeatmap(
  rows: readonly SweepRow[],
  xParam: string,
  yParam: string,
  metric: MetricKey,
  direction: Direction = metricDirection(metric),
): SweepHeatmap {
  const usable = rows.filter((r) => r.params[xParam] !== undefined && r.params[yParam] !== undefined);
  const xValues = distinctSorted(usable.map((r) => r.params[xParam]!));
  const yValues = distinctSorted(usable.map((r) => r.params[yParam]!));
  const cells: (number | null)[][] = yValues.map(() => xValues.map(() => null));
  const counts: number[][] = yValues.map(() => xValues.map(() => 0));
  for (const r of usable) {
    const xi = xValues.indexOf(r.params[xParam]!);
    const yi = yValues.indexOf(r.params[yParam]!);
    const v = r.metrics[metric];
    counts[yi]![xi]!++;
    if (Number.isNaN(v)) continue;
    const cur = cells[yi]![xi]!;
    if (cur === null || compareBetter(v, cur, direction) < 0) cells[yi]![xi] = v;
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let best: SweepHeatmap['best'] = null;
  for (let yi = 0; yi < yValues.length; yi++) {
    for (let xi = 0; xi < xValues.length; xi++) {
      const v = cells[yi]![xi];
      if (v === null || v === undefined) continue;
      if (Number.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      if (best === null || compareBetter(v, best.value, direction) < 0) {
        best = { x: xValues[xi]!, y: yValues[yi]!, value: v };
      }
    }
  }
  if (min > max) min = max = 0;
  return { xParam, yParam, metric, direction, xValues, yValues, cells, counts, min, max, best };
}
