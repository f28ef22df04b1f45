/**
 * Histogram bins on a "nice" grid: the bin width is a 1-2-5 step and the edges are multiples of it,
 * so 0 is always an edge and a bar is never half profit, half loss. About √n bins, 5 to 40.
 */
import { niceStep } from './nice-step.ts';

export interface HistogramBins {
  /** edges.length = counts.length + 1; bin i is [edges[i], edges[i+1]) (the last one closed). */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  readonly step: number;
}

export function histogramBins(values: readonly number[], targetBins?: number): HistogramBins {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { edges: [], counts: [], step: 0 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const target = targetBins ?? Math.min(40, Math.max(5, Math.ceil(Math.sqrt(finite.length))));
  const span = max - min;
  const step = span > 0 ? niceStep(span, target) : niceStep(Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1, 1);
  const first = Math.floor(min / step);
  let last = Math.floor(max / step) + 1;
  if (span > 0 && max / step === Math.floor(max / step)) last = max / step; // max sits on an edge: close the last bin
  const n = Math.max(1, last - first);
  const counts = new Array<number>(n).fill(0);
  for (const v of finite) {
    const i = Math.min(n - 1, Math.max(0, Math.floor(v / step) - first));
    counts[i]!++;
  }
  const edges = Array.from({ length: n + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  return { edges, counts, step };
}
