/**
 * The parts every plot shares: the <svg> element with its stable id and data-plot attribute, the
 * title, grid, axes with ticks and labels, a legend, and the "no data" message. Colours come from
 * CSS classes (styles.ts), so the page's light/dark themes apply to the plots as well.
 */
import { escapeHtml } from '../escape.ts';

export interface Box {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const DEFAULT_BOX: Box = { width: 960, height: 300, left: 76, right: 24, top: 40, bottom: 48 };

/** The plotting area in px: x grows right, y grows DOWN (y0 is the top edge). */
export interface Area {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

export function plotArea(box: Box): Area {
  return { x0: box.left, x1: box.width - box.right, y0: box.top, y1: box.height - box.bottom };
}

/** px coordinate with one decimal: enough for a crisp line, short in the file. */
export function px(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

export function svgOpen(plot: string, title: string, box: Box, description = title): string {
  const id = `plot-${plot}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" id="${id}" data-plot="${escapeHtml(plot)}" ` +
    `viewBox="0 0 ${box.width} ${box.height}" preserveAspectRatio="xMidYMid meet" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>` +
    `<text class="plot-title" x="${px(box.left)}" y="22">${escapeHtml(title)}</text>`
  );
}

export const SVG_CLOSE = '</svg>';

export interface Ticks {
  readonly values: readonly number[];
  /** Pixel position of each value. */
  readonly at: (v: number) => number;
  readonly format: (v: number) => string;
  readonly label: string;
}

export function gridAndAxes(area: Area, box: Box, x: Ticks, y: Ticks): string {
  const parts: string[] = [];
  for (const v of y.values) {
    const yy = px(y.at(v));
    parts.push(`<line class="grid" x1="${px(area.x0)}" x2="${px(area.x1)}" y1="${yy}" y2="${yy}"/>`);
    parts.push(
      `<text class="tick" x="${px(area.x0 - 8)}" y="${yy}" text-anchor="end" dominant-baseline="middle">${escapeHtml(y.format(v))}</text>`,
    );
  }
  for (const v of x.values) {
    const xx = px(x.at(v));
    parts.push(`<line class="grid grid-x" x1="${xx}" x2="${xx}" y1="${px(area.y0)}" y2="${px(area.y1)}"/>`);
    parts.push(`<line class="axis" x1="${xx}" x2="${xx}" y1="${px(area.y1)}" y2="${px(area.y1 + 5)}"/>`);
    parts.push(
      `<text class="tick" x="${xx}" y="${px(area.y1 + 18)}" text-anchor="middle">${escapeHtml(x.format(v))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${px(area.x0)}" x2="${px(area.x1)}" y1="${px(area.y1)}" y2="${px(area.y1)}"/>`,
  );
  parts.push(
    `<line class="axis" x1="${px(area.x0)}" x2="${px(area.x0)}" y1="${px(area.y0)}" y2="${px(area.y1)}"/>`,
  );
  parts.push(
    `<text class="axis-label" x="${px((area.x0 + area.x1) / 2)}" y="${px(box.height - 8)}" text-anchor="middle">${escapeHtml(x.label)}</text>`,
  );
  const cy = px((area.y0 + area.y1) / 2);
  parts.push(
    `<text class="axis-label" x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${escapeHtml(y.label)}</text>`,
  );
  return parts.join('');
}

export type LegendKind =
  | 'line'
  | 'dash'
  | 'area'
  | 'up'
  | 'down'
  | 'up-hollow'
  | 'down-hollow'
  | 'dot'
  | 'square';

export interface LegendItem {
  readonly label: string;
  readonly kind: LegendKind;
  readonly cls: string;
}

/** Approximate text width at the 11.5 px legend font. */
function textWidth(text: string): number {
  return text.length * 6.4;
}

export function markerPath(shape: 'up' | 'down' | 'dot', x: number, y: number, r = 4.5): string {
  if (shape === 'up')
    return `M${px(x)} ${px(y - r)}L${px(x + r)} ${px(y + r * 0.75)}L${px(x - r)} ${px(y + r * 0.75)}Z`;
  if (shape === 'down')
    return `M${px(x)} ${px(y + r)}L${px(x + r)} ${px(y - r * 0.75)}L${px(x - r)} ${px(y - r * 0.75)}Z`;
  return `M${px(x - r)} ${px(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
}

function swatch(item: LegendItem, x: number, y: number): string {
  const cls = escapeHtml(item.cls);
  switch (item.kind) {
    case 'line':
      return `<line class="series ${cls}" x1="${px(x)}" x2="${px(x + 16)}" y1="${px(y)}" y2="${px(y)}"/>`;
    case 'dash':
      return `<line class="${cls} dashed" x1="${px(x)}" x2="${px(x + 16)}" y1="${px(y)}" y2="${px(y)}"/>`;
    case 'area':
    case 'square':
      return `<rect class="${cls}" x="${px(x + 2)}" y="${px(y - 6)}" width="12" height="12" rx="2"/>`;
    case 'up':
    case 'down':
    case 'dot':
      return `<path class="${cls}" d="${markerPath(item.kind, x + 8, y)}"/>`;
    case 'up-hollow':
      return `<path class="${cls} hollow" d="${markerPath('up', x + 8, y)}"/>`;
    case 'down-hollow':
      return `<path class="${cls} hollow" d="${markerPath('down', x + 8, y)}"/>`;
  }
}

/** A one-row legend right-aligned in the title band. */
export function legend(items: readonly LegendItem[], box: Box): string {
  if (items.length === 0) return '';
  const widths = items.map((i) => 22 + textWidth(i.label) + 14);
  let x = box.width - box.right - widths.reduce((a, b) => a + b, 0);
  const y = 18;
  const parts = ['<g class="legend">'];
  items.forEach((item, k) => {
    parts.push(swatch(item, x, y));
    parts.push(
      `<text class="legend-text" x="${px(x + 22)}" y="${y}" dominant-baseline="middle">${escapeHtml(item.label)}</text>`,
    );
    x += widths[k]!;
  });
  parts.push('</g>');
  return parts.join('');
}

export function emptyMessage(area: Area, text: string): string {
  return (
    `<text class="empty" x="${px((area.x0 + area.x1) / 2)}" y="${px((area.y0 + area.y1) / 2)}" ` +
    `text-anchor="middle" dominant-baseline="middle">${escapeHtml(text)}</text>`
  );
}

/** A clip rectangle over the plotting area so nothing drawn leaks over the axes. */
export function clipDef(id: string, area: Area): string {
  return (
    `<defs><clipPath id="${id}"><rect x="${px(area.x0)}" y="${px(area.y0 - 1)}" ` +
    `width="${px(area.x1 - area.x0)}" height="${px(area.y1 - area.y0 + 2)}"/></clipPath></defs>`
  );
}
