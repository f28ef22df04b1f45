/**
 * A histogram as an ECharts custom series on a value axis: one rect per bin on the nice bin grid of
 * histogram-bins.ts (so a bar is never half profit, half loss), coloured by the sign of its bin
 * (profit / loss series, each in the legend with its count) or one colour, with vertical
 * reference lines (zero, mean, percentiles).
 */
import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';
import { legend, type RefLine, refLines, valueAxis } from './axes.ts';
import { histogramBins } from './histogram-bins.ts';
import { CHART } from './palette.ts';
import { GRID, renderChart } from './render-chart.ts';
import { tickNumber } from './tick-label.ts';

export interface HistogramSpec {
  readonly plot: string;
  readonly title: string;
  readonly description?: string;
  readonly values: readonly number[];
  readonly xLabel: string;
  readonly yLabel?: string;
  readonly width?: number;
  readonly height?: number;
  readonly format?: (v: number) => string;
  /** 'sign': profit bars green, loss bars red, each a legend entry; otherwise one colour for every bar. */
  readonly colour?: 'sign' | 'neutral' | 'loss';
  readonly vLines?: readonly RefLine[];
  readonly emptyText?: string;
  readonly bins?: number;
}

type Bin = [number, number, number];

const drawBar =
  (colour: string): CustomSeriesRenderItem =>
  (_params, api) => {
    const a = Number(api.value(0));
    const b = Number(api.value(1));
    const count = Number(api.value(2));
    const top = api.coord([a, count]);
    const base = api.coord([b, 0]);
    const x0 = top[0]!;
    const x1 = base[0]!;
    return {
      type: 'rect',
      shape: { x: x0 + 0.5, y: top[1]!, width: Math.max(1, x1 - x0 - 1), height: base[1]! - top[1]! },
      style: { fill: colour, opacity: 0.75 },
    };
  };

function barSeries(name: string, colour: string, data: Bin[]): CustomSeriesOption {
  return {
    type: 'custom',
    name,
    renderItem: drawBar(colour),
    itemStyle: { color: colour },
    encode: { x: [0, 1], y: 2 },
    data,
  };
}

export function renderHistogram(spec: HistogramSpec): string {
  const bins = histogramBins(spec.values, spec.bins);
  const width = spec.width ?? 960;
  const height = spec.height ?? 300;
  const left = width < 700 ? 64 : GRID.left;
  const all: Bin[] = [];
  for (let i = 0; i < bins.counts.length; i++) {
    const count = bins.counts[i]!;
    if (count > 0) all.push([bins.edges[i]!, bins.edges[i + 1]!, count]);
  }
  let x0 = bins.edges[0] ?? 0;
  let x1 = bins.edges[bins.edges.length - 1] ?? 1;
  for (const l of spec.vLines ?? []) {
    if (Number.isFinite(l.value)) {
      x0 = Math.min(x0, l.value);
      x1 = Math.max(x1, l.value);
    }
  }
  const pad = (x1 - x0) * 0.02;
  const colour = spec.colour ?? 'sign';
  const series: CustomSeriesOption[] =
    colour === 'sign'
      ? [
          barSeries(
            `loss (${countOf(all, (b) => b[1] <= 0)})`,
            CHART.neg,
            all.filter((b) => b[1] <= 0),
          ),
          barSeries(
            `profit (${countOf(all, (b) => b[1] > 0)})`,
            CHART.pos,
            all.filter((b) => b[1] > 0),
          ),
        ]
      : [barSeries(spec.yLabel ?? 'Count', colour === 'loss' ? CHART.neg : CHART.accent, all)];
  const lines = all.length > 0 ? (spec.vLines ?? []) : [];
  if (series[0] && lines.length > 0) series[0] = { ...series[0], markLine: refLines('x', lines) };
  const xAxis = valueAxis({
    name: spec.xLabel,
    nameGap: 28,
    includeZero: true,
    // The padded ends are no tick values: only the nice ticks between them are labelled.
    hideEndLabels: true,
    ...(spec.format ? { format: spec.format } : {}),
  });
  const option: EChartsOption = {
    grid: { ...GRID, left },
    ...(colour === 'sign' ? { legend: legend() } : {}),
    xAxis: {
      ...xAxis,
      ...(all.length > 0 ? { min: x0 - pad, max: x1 + pad } : { min: 0, max: 1 }),
      splitLine: { show: false },
    },
    yAxis: {
      ...valueAxis({
        name: spec.yLabel ?? 'Count',
        includeZero: true,
        nameGap: left - 22,
        format: tickNumber,
      }),
      minInterval: 1,
    },
    series,
  };
  return renderChart({
    plot: spec.plot,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    width,
    height,
    option,
    ...(all.length === 0 ? { emptyText: spec.emptyText ?? 'No data' } : {}),
  });
}

function countOf(bins: readonly Bin[], pick: (b: Bin) => boolean): number {
  let n = 0;
  for (const b of bins) if (pick(b)) n += b[2];
  return n;
}
