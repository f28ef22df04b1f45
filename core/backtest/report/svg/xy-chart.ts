/**
 * A chart of y against x (time in µs or a plain number): lines, steps, areas (optionally coloured by
 * sign), scatter points, marker groups (our fills), reference lines and short annotations. Long
 * series are downsampled per pixel column (downsample.ts) before they become SVG coordinates.
 */
import { escapeHtml } from '../escape.ts';
import { formatNumber } from '../format.ts';
import { m4Indices } from './downsample.ts';
import {
  type Area,
  type Box,
  clipDef,
  DEFAULT_BOX,
  emptyMessage,
  gridAndAxes,
  type LegendItem,
  legend,
  markerPath,
  plotArea,
  px,
  SVG_CLOSE,
  svgOpen,
  type Ticks,
} from './frame.ts';
import { decimalsForStep, linearScale, niceDomain, niceStep, ticksInside } from './linear-scale.ts';
import { utcTicks } from './time-ticks.ts';

export type SeriesKind = 'line' | 'step' | 'area' | 'signed-area' | 'points';

export interface XYSeries {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly kind: SeriesKind;
  /** CSS class of the drawn element (colours live in the stylesheet). */
  readonly cls: string;
  /** Baseline of areas (default 0). */
  readonly base?: number;
  /** Shown in the legend unless false. */
  readonly inLegend?: boolean;
  /** Tooltips for 'points', one per point. */
  readonly titles?: readonly string[];
  /** Areas drawn as steps (value holds until the next sample). */
  readonly stepped?: boolean;
  /** Signed areas: colour the line by sign too (above/below the base), not only the fill. */
  readonly signedLine?: boolean;
}

export interface MarkerPoint {
  readonly x: number;
  readonly y: number;
  readonly title: string;
}

export interface MarkerGroup {
  readonly name: string;
  readonly shape: 'up' | 'down' | 'dot';
  readonly cls: string;
  readonly hollow?: boolean;
  readonly points: readonly MarkerPoint[];
  readonly inLegend?: boolean;
}

export interface RefLine {
  readonly value: number;
  readonly cls: string;
  readonly label?: string;
}

export interface Annotation {
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

export type XAxis =
  | { readonly kind: 'time'; readonly domain: readonly [number, number] }
  | {
      readonly kind: 'linear';
      readonly label: string;
      readonly domain?: readonly [number, number];
      readonly format?: (v: number, step: number) => string;
    };

export interface YAxis {
  readonly label: string;
  readonly format?: (v: number, step: number) => string;
  readonly domain?: readonly [number, number];
  readonly includeZero?: boolean;
}

export interface XYChartSpec {
  /** Stable name: the svg gets data-plot="<plot>" and id="plot-<plot>". */
  readonly plot: string;
  readonly title: string;
  readonly description?: string;
  readonly box?: Partial<Box>;
  readonly x: XAxis;
  readonly y: YAxis;
  readonly series: readonly XYSeries[];
  readonly markers?: readonly MarkerGroup[];
  readonly hLines?: readonly RefLine[];
  readonly vLines?: readonly RefLine[];
  readonly annotations?: readonly Annotation[];
  /** Extra legend entries (after the series and markers). */
  readonly legendExtra?: readonly LegendItem[];
  /** Shown instead of the data when there is nothing to draw. */
  readonly emptyText?: string;
}

/** Above this many markers per group, they are drawn as one path without per-marker tooltips. */
const MAX_TOOLTIP_MARKERS = 600;

export function defaultNumberFormat(v: number, step: number): string {
  const a = Math.abs(step);
  if (a >= 1e6) return `${formatNumber(v / 1e6, decimalsForStep(step / 1e6))}M`;
  if (a >= 1e4) return `${formatNumber(v / 1e3, decimalsForStep(step / 1e3))}k`;
  return formatNumber(v, decimalsForStep(step));
}

function yExtent(spec: XYChartSpec): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const take = (v: number) => {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  };
  for (const s of spec.series) {
    for (let i = 0; i < s.y.length; i++) take(s.y[i]!);
    if (s.kind === 'area' || s.kind === 'signed-area') take(s.base ?? 0);
  }
  for (const g of spec.markers ?? []) for (const p of g.points) take(p.y);
  for (const l of spec.hLines ?? []) take(l.value);
  if (spec.y.includeZero) take(0);
  return [min, max];
}

function xExtent(spec: XYChartSpec): [number, number] {
  if (spec.x.domain) return [spec.x.domain[0], spec.x.domain[1]];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of spec.series) {
    for (let i = 0; i < s.x.length; i++) {
      const v = s.x[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!(max >= min)) return [0, 1];
  if (max === min) return [min - 1, max + 1];
  return [min, max];
}

function hasData(spec: XYChartSpec): boolean {
  return spec.series.some((s) => s.x.length > 0) || (spec.markers ?? []).some((g) => g.points.length > 0);
}

function linePath(xs: number[], ys: number[], stepped: boolean): string {
  let d = '';
  for (let i = 0; i < xs.length; i++) {
    if (i === 0) d += `M${px(xs[0]!)} ${px(ys[0]!)}`;
    else if (stepped) d += `H${px(xs[i]!)}V${px(ys[i]!)}`;
    else d += `L${px(xs[i]!)} ${px(ys[i]!)}`;
  }
  return d;
}

export function renderXYChart(spec: XYChartSpec): string {
  const box: Box = { ...DEFAULT_BOX, ...spec.box };
  const area: Area = plotArea(box);
  const width = area.x1 - area.x0;
  const [xMin, xMax] = xExtent(spec);
  const xs = linearScale([xMin, xMax], [area.x0, area.x1]);
  const [yMinRaw, yMaxRaw] = yExtent(spec);
  const yNice = spec.y.domain
    ? {
        domain: [spec.y.domain[0], spec.y.domain[1]] as [number, number],
        step: niceStep(spec.y.domain[1] - spec.y.domain[0], 5),
      }
    : niceDomain(yMinRaw, yMaxRaw, 5);
  const ys = linearScale(yNice.domain, [area.y1, area.y0]);
  const yFormat = spec.y.format ?? defaultNumberFormat;

  let xTicks: Ticks;
  if (spec.x.kind === 'time') {
    const t = utcTicks(xMin, xMax, width);
    xTicks = { values: t.ticks, at: xs.map, format: t.format, label: t.label };
  } else {
    const step = niceStep(xMax - xMin, Math.max(2, Math.floor(width / 90)));
    const fmt = spec.x.format ?? defaultNumberFormat;
    xTicks = {
      values: ticksInside(xMin, xMax, step),
      at: xs.map,
      format: (v) => fmt(v, step),
      label: spec.x.label,
    };
  }
  const yTicks: Ticks = {
    values: ticksInside(yNice.domain[0], yNice.domain[1], yNice.step),
    at: ys.map,
    format: (v) => yFormat(v, yNice.step),
    label: spec.y.label,
  };

  const clipId = `clip-${spec.plot}`;
  const out: string[] = [svgOpen(spec.plot, spec.title, box, spec.description), clipDef(clipId, area)];
  out.push(gridAndAxes(area, box, xTicks, yTicks));
  const legendItems: LegendItem[] = [];

  if (!hasData(spec)) {
    out.push(emptyMessage(area, spec.emptyText ?? 'No data'));
    out.push(legend(spec.legendExtra ?? [], box), SVG_CLOSE);
    return out.join('');
  }

  out.push(`<g class="data" clip-path="url(#${clipId})">`);
  for (const l of spec.hLines ?? []) {
    const y = px(ys.map(l.value));
    out.push(
      `<line class="ref ${escapeHtml(l.cls)}" x1="${px(area.x0)}" x2="${px(area.x1)}" y1="${y}" y2="${y}"/>`,
    );
  }
  for (const l of spec.vLines ?? []) {
    const x = px(xs.map(l.value));
    out.push(
      `<line class="ref ${escapeHtml(l.cls)}" x1="${x}" x2="${x}" y1="${px(area.y0)}" y2="${px(area.y1)}"/>`,
    );
  }
  for (const s of spec.series) out.push(renderSeries(s, xs.map, ys.map, area, width, spec.plot, xMin, xMax));
  for (const g of spec.markers ?? []) out.push(renderMarkers(g, xs.map, ys.map));
  out.push('</g>');

  for (const l of spec.hLines ?? []) {
    if (!l.label) continue;
    const y = ys.map(l.value);
    out.push(
      `<text class="ref-label ${escapeHtml(l.cls)}" x="${px(area.x1 - 4)}" y="${px(y - 4)}" text-anchor="end">${escapeHtml(l.label)}</text>`,
    );
  }
  for (const l of spec.vLines ?? []) {
    if (!l.label) continue;
    const x = xs.map(l.value);
    out.push(
      `<text class="ref-label ${escapeHtml(l.cls)}" x="${px(x + 4)}" y="${px(area.y0 + 12)}">${escapeHtml(l.label)}</text>`,
    );
  }
  for (const a of spec.annotations ?? []) {
    const x = xs.map(a.x);
    const y = ys.map(a.y);
    const anchor = x > (area.x0 + area.x1) / 2 ? 'end' : 'start';
    const dx = anchor === 'end' ? -8 : 8;
    out.push(`<circle class="annotation-dot" cx="${px(x)}" cy="${px(y)}" r="3.5"/>`);
    out.push(
      `<text class="annotation" x="${px(x + dx)}" y="${px(Math.min(area.y1 - 6, y + 4))}" text-anchor="${anchor}">${escapeHtml(a.text)}</text>`,
    );
  }

  for (const s of spec.series) {
    if (s.inLegend === false) continue;
    legendItems.push({
      label: s.name,
      kind: s.kind === 'area' || s.kind === 'signed-area' ? 'area' : s.kind === 'points' ? 'dot' : 'line',
      cls: s.cls,
    });
  }
  for (const g of spec.markers ?? []) {
    if (g.inLegend === false) continue;
    const kind = g.shape === 'dot' ? 'dot' : g.hollow ? (`${g.shape}-hollow` as const) : g.shape;
    legendItems.push({ label: g.name, kind, cls: g.cls });
  }
  out.push(legend([...legendItems, ...(spec.legendExtra ?? [])], box), SVG_CLOSE);
  return out.join('');
}

function renderSeries(
  s: XYSeries,
  mapX: (v: number) => number,
  mapY: (v: number) => number,
  area: Area,
  width: number,
  plot: string,
  xMin: number,
  xMax: number,
): string {
  if (s.x.length === 0) return '';
  const cls = escapeHtml(s.cls);
  if (s.kind === 'points') {
    const parts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const title = s.titles?.[i];
      const cx = px(mapX(s.x[i]!));
      const cy = px(mapY(s.y[i]!));
      parts.push(
        title
          ? `<circle class="${cls}" cx="${cx}" cy="${cy}" r="4"><title>${escapeHtml(title)}</title></circle>`
          : `<circle class="${cls}" cx="${cx}" cy="${cy}" r="4"/>`,
      );
    }
    return parts.join('');
  }
  const keep = m4Indices(s.x, s.y, xMin, xMax, Math.max(1, Math.round(width)));
  const xsPx = keep.map((i) => mapX(s.x[i]!));
  const ysPx = keep.map((i) => mapY(s.y[i]!));
  const stepped = s.kind === 'step' || s.stepped === true;
  const line = linePath(xsPx, ysPx, stepped);
  if (s.kind === 'line' || s.kind === 'step') {
    return `<path class="series ${cls}" d="${line}"/>`;
  }
  const baseY = mapY(s.base ?? 0);
  const first = xsPx[0]!;
  const last = xsPx[xsPx.length - 1]!;
  const fill = `${line}L${px(last)} ${px(baseY)}L${px(first)} ${px(baseY)}Z`;
  if (s.kind === 'area') {
    return `<path class="fill ${cls}" d="${fill}"/><path class="series ${cls}" d="${line}"/>`;
  }
  // Signed area: the same fill twice, clipped above and below the baseline, coloured by sign.
  const above = `clip-${plot}-${cls}-pos`;
  const below = `clip-${plot}-${cls}-neg`;
  const h = (y0: number, y1: number) => px(Math.max(0, y1 - y0));
  return (
    `<defs><clipPath id="${above}"><rect x="${px(area.x0)}" y="${px(area.y0)}" width="${px(area.x1 - area.x0)}" height="${h(area.y0, baseY)}"/></clipPath>` +
    `<clipPath id="${below}"><rect x="${px(area.x0)}" y="${px(baseY)}" width="${px(area.x1 - area.x0)}" height="${h(baseY, area.y1)}"/></clipPath></defs>` +
    `<path class="fill ${cls} pos" clip-path="url(#${above})" d="${fill}"/>` +
    `<path class="fill ${cls} neg" clip-path="url(#${below})" d="${fill}"/>` +
    (s.signedLine
      ? `<path class="series ${cls} pos" clip-path="url(#${above})" d="${line}"/>` +
        `<path class="series ${cls} neg" clip-path="url(#${below})" d="${line}"/>`
      : `<path class="series ${cls}" d="${line}"/>`)
  );
}

/** Above this many kept markers, the dedupe cell grows (2 → 4 → 8 → 16 px) to keep the file small. */
const MAX_MARKERS = 4000;

function dedupeMarkers(
  g: MarkerGroup,
  mapX: (v: number) => number,
  mapY: (v: number) => number,
  cell: number,
): { x: number; y: number; title: string }[] {
  const seen = new Set<string>();
  const kept: { x: number; y: number; title: string }[] = [];
  for (const p of g.points) {
    const x = mapX(p.x);
    const y = mapY(p.y);
    const key = `${Math.round(x / cell)},${Math.round(y / cell)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({ x, y, title: p.title });
  }
  return kept;
}

function renderMarkers(g: MarkerGroup, mapX: (v: number) => number, mapY: (v: number) => number): string {
  // One marker per small cell: thousands of fills at the same spot would only stack.
  let cell = 2;
  let kept = dedupeMarkers(g, mapX, mapY, cell);
  while (kept.length > MAX_MARKERS && cell < 16) {
    cell *= 2;
    kept = dedupeMarkers(g, mapX, mapY, cell);
  }
  if (kept.length === 0) return '';
  // Smaller markers when there are many, so the price line stays visible between them.
  const r = kept.length > 1500 ? 3 : kept.length > 300 ? 3.75 : 4.5;
  const cls = `marker ${escapeHtml(g.cls)}${g.hollow ? ' hollow' : ''}`;
  if (kept.length > MAX_TOOLTIP_MARKERS) {
    return `<path class="${cls}" d="${kept.map((k) => markerPath(g.shape, k.x, k.y, r)).join('')}"/>`;
  }
  return kept
    .map(
      (k) =>
        `<path class="${cls}" d="${markerPath(g.shape, k.x, k.y, r)}"><title>${escapeHtml(k.title)}</title></path>`,
    )
    .join('');
}
