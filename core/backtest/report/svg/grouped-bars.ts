/** Grouped bar chart: one group per category (a walk-forward fold), one bar per series (IS, OOS). */
import { escapeHtml } from '../escape.ts';
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
import { linearScale, niceDomain, ticksInside } from './linear-scale.ts';
import { defaultNumberFormat } from './xy-chart.ts';

export interface BarSeries {
  readonly name: string;
  readonly cls: string;
  /** One value per category; NaN/±Infinity draw no bar. */
  readonly values: readonly number[];
}

export interface GroupedBarSpec {
  readonly plot: string;
  readonly title: string;
  readonly description?: string;
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly box?: Partial<Box>;
  readonly format?: (v: number, step: number) => string;
  /** Tooltip text of a bar's value (default: the axis format, finer). */
  readonly valueFormat?: (v: number) => string;
}

export function renderGroupedBars(spec: GroupedBarSpec): string {
  const box: Box = { ...DEFAULT_BOX, ...spec.box };
  const area = plotArea(box);
  const fmt = spec.format ?? defaultNumberFormat;
  const all = spec.series.flatMap((s) => s.values).filter(Number.isFinite);
  const yNice = niceDomain(Math.min(0, ...all), Math.max(0, ...all), 5);
  const ys = linearScale(yNice.domain, [area.y1, area.y0]);
  const groups = spec.categories.length;
  const groupWidth = groups > 0 ? (area.x1 - area.x0) / groups : 0;
  const center = (i: number) => area.x0 + groupWidth * (i + 0.5);
  const out: string[] = [svgOpen(spec.plot, spec.title, box, spec.description)];
  out.push(
    gridAndAxes(
      area,
      box,
      {
        values: spec.categories.map((_, i) => i),
        at: center,
        format: (i) => spec.categories[i] ?? '',
        label: spec.xLabel,
      },
      {
        values: ticksInside(yNice.domain[0], yNice.domain[1], yNice.step),
        at: ys.map,
        format: (v) => fmt(v, yNice.step),
        label: spec.yLabel,
      },
    ),
  );
  if (groups === 0 || all.length === 0) {
    out.push(emptyMessage(area, 'No data'), SVG_CLOSE);
    return out.join('');
  }
  const k = spec.series.length;
  const barWidth = Math.min(48, (groupWidth * 0.7) / k);
  const zero = ys.map(0);
  out.push('<g class="data">');
  out.push(
    `<line class="ref zero" x1="${px(area.x0)}" x2="${px(area.x1)}" y1="${px(zero)}" y2="${px(zero)}"/>`,
  );
  for (let i = 0; i < groups; i++) {
    spec.series.forEach((s, j) => {
      const v = s.values[i];
      if (v === undefined || !Number.isFinite(v)) return;
      const x = center(i) - (k * barWidth) / 2 + j * barWidth;
      const y = ys.map(v);
      const title = `${spec.categories[i]} ${s.name}: ${(spec.valueFormat ?? ((x: number) => fmt(x, yNice.step / 100)))(v)}`;
      out.push(
        `<rect class="bar ${escapeHtml(s.cls)}" x="${px(x + 1)}" y="${px(Math.min(y, zero))}" width="${px(barWidth - 2)}" height="${px(Math.max(1, Math.abs(zero - y)))}"><title>${escapeHtml(title)}</title></rect>`,
      );
    });
  }
  out.push('</g>');
  const items: LegendItem[] = spec.series.map((s) => ({
    label: s.name,
    kind: 'square',
    cls: `bar ${s.cls}`,
  }));
  out.push(legend(items, box), SVG_CLOSE);
  return out.join('');
}
