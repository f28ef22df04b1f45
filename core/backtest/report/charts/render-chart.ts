/**
 * One chart as inline SVG, drawn by ECharts' server-side renderer (no DOM, no canvas):
 * `init(null, null, { renderer: 'svg', ssr: true })`, `setOption`, `renderToSVGString()`, `dispose()`.
 *
 * The SVG is then made fit for a static, script-free page: the root gets the stable
 * `id="plot-<name>"` / `data-plot="<name>"`, a <title> and <desc>; ECharts' per-instance id prefix
 * (`zr<counter>-`, which grows with every chart the process draws) becomes `plot-<name>-`, so the
 * same input gives the same bytes and ids never clash between the charts of one page; the hover
 * stylesheet and classes (meant for ECharts' client-side hydration, which a page without scripts
 * never runs) are dropped. ECharts' `ecmeta_*` attributes stay: they name the series and data
 * index of each drawn element.
 */
import type { EChartsOption } from 'echarts';
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  VisualMapComponent,
} from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { escapeHtml } from '../escape.ts';
import { CHART, FONT } from './palette.ts';

use([
  SVGRenderer,
  LineChart,
  ScatterChart,
  BarChart,
  CustomChart,
  GridComponent,
  TitleComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  VisualMapComponent,
  GraphicComponent,
]);

export interface ChartSpec {
  /** Stable name: the svg gets data-plot="<plot>" and id="plot-<plot>". */
  readonly plot: string;
  readonly title: string;
  readonly description?: string;
  readonly width: number;
  readonly height: number;
  /** The chart; title, animation, UTC time and the text style are set here. */
  readonly option: EChartsOption;
  /** Shown in the middle of the plot area instead of data (the axes stay). */
  readonly emptyText?: string;
}

/** Plot margins (px) most charts share: room for tick labels and axis names. */
export const GRID = { left: 76, right: 24, top: 44, bottom: 48 } as const;

export function renderChart(spec: ChartSpec): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  let svg: string;
  try {
    chart.setOption({
      animation: false,
      useUTC: true,
      backgroundColor: 'transparent',
      textStyle: { fontFamily: FONT, color: CHART.muted },
      title: {
        text: spec.title,
        left: GRID.left - 8,
        top: 10,
        textStyle: { fontSize: 14, fontWeight: 600, color: CHART.ink, fontFamily: FONT },
      },
      ...(spec.emptyText !== undefined
        ? {
            graphic: [
              {
                type: 'text',
                left: 'center',
                top: 'middle',
                style: { text: spec.emptyText, fill: CHART.faint, font: `13px ${FONT}` },
              },
            ],
          }
        : {}),
    });
    chart.setOption(spec.option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  return finishSvg(svg, spec);
}

function finishSvg(svg: string, spec: ChartSpec): string {
  const id = `plot-${escapeHtml(spec.plot)}`;
  const prefix = /\bzr\d+-/.exec(svg)?.[0];
  let body = svg.slice(svg.indexOf('>') + 1);
  if (prefix) body = body.replaceAll(prefix, `${id}-`);
  body = body
    .replace(/<style\s*><!\[CDATA\[[\s\S]*?\]\]>\s*<\/style>/g, '')
    .replace(/ class="plot-[^"]*-cls-\d+"/g, '')
    .replace(/ ecmeta_silent="[^"]*"/g, '');
  const description = spec.description ?? spec.title;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" id="${id}" data-plot="${escapeHtml(spec.plot)}" ` +
    `width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeHtml(spec.title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>` +
    body
  );
}
