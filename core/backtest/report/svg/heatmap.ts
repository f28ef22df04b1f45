/**
 * Heatmap of a sweep over two parameters. Colour says how good a cell is: green = better, red =
 * worse (the metric's direction decides), diverging around 0 when the values straddle it (a loss
 * is red whatever its rank), a single green ramp otherwise. Colours are computed here because they
 * are data; each cell carries its value as text when there is room and as a tooltip always.
 */
import type { SweepHeatmap } from '../../analytics/sweep-heatmap.ts';
import { escapeHtml } from '../escape.ts';
import { type Box, legend, px, SVG_CLOSE, svgOpen } from './frame.ts';

export interface HeatmapSpec {
  readonly plot: string;
  readonly title: string;
  readonly description?: string;
  readonly data: SweepHeatmap;
  readonly format: (v: number) => string;
  readonly metricLabel: string;
  readonly box?: Partial<Box>;
}

type Rgb = readonly [number, number, number];
const RED: Rgb = [220, 38, 38];
const WHITE: Rgb = [246, 246, 240];
const GREEN: Rgb = [22, 163, 74];
const PALE_GREEN: Rgb = [220, 244, 228];

function mix(a: Rgb, b: Rgb, t: number): string {
  const c = (i: 0 | 1 | 2) => Math.round(a[i] + (b[i] - a[i]) * Math.min(1, Math.max(0, t)));
  return `rgb(${c(0)},${c(1)},${c(2)})`;
}

/** Fill colour of a value; "goodness" follows the direction. */
export function heatColour(v: number, min: number, max: number, direction: 'higher' | 'lower'): string {
  const g = direction === 'higher' ? v : -v;
  const gMin = direction === 'higher' ? min : -max;
  const gMax = direction === 'higher' ? max : -min;
  if (!Number.isFinite(g)) return g > 0 ? mix(WHITE, GREEN, 1) : mix(WHITE, RED, 1);
  if (gMin < 0 && gMax > 0) {
    const m = Math.max(-gMin, gMax);
    return g >= 0 ? mix(WHITE, GREEN, g / m) : mix(WHITE, RED, -g / m);
  }
  if (gMax === gMin) return mix(PALE_GREEN, GREEN, 0.6);
  const t = (g - gMin) / (gMax - gMin);
  return gMax <= 0 ? mix(RED, WHITE, t) : mix(PALE_GREEN, GREEN, t);
}

/** Text colour that stays readable on the cell colour. */
function inkFor(fill: string): string {
  const m = /rgb\((\d+),(\d+),(\d+)\)/.exec(fill);
  if (!m) return '#111';
  const lum = 0.299 * Number(m[1]) + 0.587 * Number(m[2]) + 0.114 * Number(m[3]);
  return lum > 150 ? '#111' : '#fff';
}

export function renderHeatmap(spec: HeatmapSpec): string {
  const d = spec.data;
  const cols = d.xValues.length;
  const rows = d.yValues.length;
  const left = 96;
  const top = 40;
  const bottom = 56;
  const width = spec.box?.width ?? 960;
  const cellW = cols > 0 ? Math.min(160, (width - left - 24) / cols) : 0;
  const cellH = Math.max(22, Math.min(44, 360 / Math.max(1, rows)));
  const height = spec.box?.height ?? top + rows * cellH + bottom;
  const box: Box = { width, height, left, right: 24, top, bottom };
  const out: string[] = [svgOpen(spec.plot, spec.title, box, spec.description)];
  const gridW = cols * cellW;
  out.push('<g class="data">');
  for (let yi = 0; yi < rows; yi++) {
    // Highest y value at the top, as on any chart.
    const rowY = top + (rows - 1 - yi) * cellH;
    for (let xi = 0; xi < cols; xi++) {
      const v = d.cells[yi]![xi];
      const x = left + xi * cellW;
      const label = `${d.xParam}=${String(d.xValues[xi])}, ${d.yParam}=${String(d.yValues[yi])}`;
      if (v === null || v === undefined) {
        out.push(
          `<rect class="heat-missing" x="${px(x + 1)}" y="${px(rowY + 1)}" width="${px(cellW - 2)}" height="${px(cellH - 2)}"><title>${escapeHtml(`${label}: no run`)}</title></rect>`,
        );
        continue;
      }
      const fill = heatColour(v, d.min, d.max, d.direction);
      const isBest = d.best !== null && d.best.x === d.xValues[xi] && d.best.y === d.yValues[yi];
      const runs = d.counts[yi]![xi]!;
      const tip = `${label}: ${spec.metricLabel} ${spec.format(v)}${runs > 1 ? ` (best of ${runs} runs)` : ''}`;
      out.push(
        `<rect class="heat-cell${isBest ? ' best' : ''}" x="${px(x + 1)}" y="${px(rowY + 1)}" width="${px(cellW - 2)}" height="${px(cellH - 2)}" fill="${fill}"><title>${escapeHtml(tip)}</title></rect>`,
      );
      if (cellW >= 44 && cellH >= 18) {
        out.push(
          `<text class="heat-text" x="${px(x + cellW / 2)}" y="${px(rowY + cellH / 2)}" text-anchor="middle" dominant-baseline="middle" fill="${inkFor(fill)}">${escapeHtml(spec.format(v))}</text>`,
        );
      }
    }
  }
  out.push('</g>');
  for (let xi = 0; xi < cols; xi++) {
    out.push(
      `<text class="tick" x="${px(left + (xi + 0.5) * cellW)}" y="${px(top + rows * cellH + 16)}" text-anchor="middle">${escapeHtml(String(d.xValues[xi]))}</text>`,
    );
  }
  for (let yi = 0; yi < rows; yi++) {
    out.push(
      `<text class="tick" x="${px(left - 8)}" y="${px(top + (rows - 1 - yi + 0.5) * cellH)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(String(d.yValues[yi]))}</text>`,
    );
  }
  out.push(
    `<text class="axis-label" x="${px(left + gridW / 2)}" y="${px(height - 10)}" text-anchor="middle">${escapeHtml(d.xParam)}</text>`,
  );
  const cy = px(top + (rows * cellH) / 2);
  out.push(
    `<text class="axis-label" x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${escapeHtml(d.yParam)}</text>`,
  );
  out.push(
    legend(
      [
        { label: 'worse', kind: 'square', cls: 'heat-worse' },
        { label: 'better', kind: 'square', cls: 'heat-better' },
        { label: 'best', kind: 'square', cls: 'heat-best-swatch' },
      ],
      box,
    ),
  );
  out.push(SVG_CLOSE);
  return out.join('');
}
