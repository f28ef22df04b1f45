/**
 * A histogram plot: bars coloured by the sign of their bin (profit / loss, or a neutral class),
 * optional vertical reference lines (zero, mean, percentiles), a tooltip per bar.
 */
import { escapeHtml } from '../escape.ts';
import { formatNumber } from '../format.ts';
import {
  type Box,
  DEFAULT_BOX,
  emptyMessage,
  gridAndAxes,
  type LegendItem,
  legend,
  plotArea,
  px,
  SVG_CLOSE,
  svgOpen,
} from './frame.ts';
import { histogramBins } from './histogram-bins.ts';
import { linearScale, niceDomain, niceStep, ticksInside } from './linear-scale.ts';
import { defaultNumberFormat, type RefLine } from './xy-chart.ts';

export interface HistogramSpec {
  readonly plot: string;
  readonly title: string;
  readonly description?: string;
  readonly values: readonly number[];
  readonly xLabel: string;
  readonly yLabel?: string;
  readonly box?: Partial<Box>;
  readonly format?: (v: number, step: number) => string;
  /** 'sign': profit bars green, loss bars red; otherwise one neutral class for every bar. */
  readonly colour?: 'sign' | 'neutral' | 'loss';
  readonly vLines?: readonly RefLine[];
  readonly legendExtra?: readonly LegendItem[];
  readonly emptyText?: string;
  readonly bins?: number;
  /** Unit noun for tooltips ("round trips", "paths"). */
  readonly unit?: string;
}

export function renderHistogram(spec: HistogramSpec): string {
  const box: Box = { ...DEFAULT_BOX, ...spec.box };
  const area = plotArea(box);
  const bins = histogramBins(spec.values, spec.bins);
  const fmt = spec.format ?? defaultNumberFormat;
  const out: string[] = [svgOpen(spec.plot, spec.title, box, spec.description)];
  if (bins.counts.length === 0) {
    const none = { values: [], at: () => 0, format: () => '', label: spec.xLabel };
    out.push(gridAndAxes(area, box, none, { ...none, label: spec.yLabel ?? 'Count' }));
    out.push(emptyMessage(area, spec.emptyText ?? 'No data'), SVG_CLOSE);
    return out.join('');
  }
  const lo = bins.edges[0]!;
  const hi = bins.edges[bins.edges.length - 1]!;
  let x0 = lo;
  let x1 = hi;
  for (const l of spec.vLines ?? []) {
    if (Number.isFinite(l.value)) {
      x0 = Math.min(x0, l.value);
      x1 = Math.max(x1, l.value);
    }
  }
  const pad = (x1 - x0) * 0.02;
  const xs = linearScale([x0 - pad, x1 + pad], [area.x0, area.x1]);
  const maxCount = Math.max(...bins.counts);
  const yNice = niceDomain(0, maxCount, 5, 0.02);
  const ys = linearScale(yNice.domain, [area.y1, area.y0]);
  const xStep = niceStep(x1 - x0 + 2 * pad, Math.max(2, Math.floor((area.x1 - area.x0) / 90)));
  const yStep = Math.max(1, yNice.step);
  out.push(
    gridAndAxes(
      area,
      box,
      {
        values: ticksInside(x0 - pad, x1 + pad, xStep),
        at: xs.map,
        format: (v) => fmt(v, xStep),
        label: spec.xLabel,
      },
      {
        values: ticksInside(0, yNice.domain[1], yStep),
        at: ys.map,
        format: (v) => formatNumber(v, 0),
        label: spec.yLabel ?? 'Count',
      },
    ),
  );
  const unit = spec.unit ?? 'values';
  out.push('<g class="data">');
  for (let i = 0; i < bins.counts.length; i++) {
    const a = bins.edges[i]!;
    const b = bins.edges[i + 1]!;
    const count = bins.counts[i]!;
    if (count === 0) continue;
    const left = xs.map(a) + 0.5;
    const w = Math.max(1, xs.map(b) - xs.map(a) - 1);
    const top = ys.map(count);
    const colour = spec.colour ?? 'sign';
    const cls =
      colour === 'sign' ? (b <= 0 ? 'bar neg' : 'bar pos') : colour === 'loss' ? 'bar neg' : 'bar neutral';
    const title = `[${fmt(a, bins.step)}, ${fmt(b, bins.step)}): ${count} ${unit}`;
    out.push(
      `<rect class="${cls}" x="${px(left)}" y="${px(top)}" width="${px(w)}" height="${px(area.y1 - top)}"><title>${escapeHtml(title)}</title></rect>`,
    );
  }
  for (const l of spec.vLines ?? []) {
    const x = px(xs.map(l.value));
    out.push(
      `<line class="ref ${escapeHtml(l.cls)}" x1="${x}" x2="${x}" y1="${px(area.y0)}" y2="${px(area.y1)}"/>`,
    );
  }
  out.push('</g>');
  // Labels of reference lines, staggered so close lines (p5 / p50 / p95) do not overprint.
  let row = 0;
  for (const l of spec.vLines ?? []) {
    if (!l.label) continue;
    const x = xs.map(l.value);
    const anchor = x > (area.x0 + area.x1) / 2 ? 'end' : 'start';
    out.push(
      `<text class="ref-label ${escapeHtml(l.cls)}" x="${px(x + (anchor === 'end' ? -4 : 4))}" y="${px(area.y0 + 12 + 14 * row)}" text-anchor="${anchor}">${escapeHtml(l.label)}</text>`,
    );
    row = (row + 1) % 3;
  }
  out.push(legend(spec.legendExtra ?? [], box), SVG_CLOSE);
  return out.join('');
}
