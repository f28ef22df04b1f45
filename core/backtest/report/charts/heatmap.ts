/**
 * Heatmap of a sweep over two parameters, as an ECharts custom series on two category axes: one
 * cell per combination, coloured by heat-colour.ts, its value printed when the cell has room,
 * the best cell outlined; a combination without a run is a grey cell.
 */
import type { CustomSeriesRenderItem } from 'echarts';
import type { SweepHeatmap } from '../../analytics/sweep-heatmap.ts';
import { heatColour, inkFor } from './heat-colour.ts';
import { CHART, FONT } from './palette.ts';
import { renderChart } from './render-chart.ts';

export interface HeatmapSpec {
  readonly plot: string;
  readonly title: string;
  readonly description?: string;
  readonly data: SweepHeatmap;
  readonly format: (v: number) => string;
}

const LEFT = 96;
const TOP = 44;
const BOTTOM = 56;
const WIDTH = 960;

export function renderHeatmap(spec: HeatmapSpec): string {
  const d = spec.data;
  const cols = d.xValues.length;
  const rows = d.yValues.length;
  const cellW = cols > 0 ? Math.min(160, (WIDTH - LEFT - 24) / cols) : 0;
  const cellH = Math.max(22, Math.min(44, 360 / Math.max(1, rows)));
  const height = TOP + rows * cellH + BOTTOM;
  const cells: [number, number, number | null][] = [];
  for (let yi = 0; yi < rows; yi++)
    for (let xi = 0; xi < cols; xi++) cells.push([xi, yi, d.cells[yi]![xi] ?? null]);
  const drawCell: CustomSeriesRenderItem = (params, api) => {
    const [xi, yi, v] = cells[params.dataIndex]!;
    const centre = api.coord([xi, yi]);
    const size = api.size?.([1, 1]);
    const w = Array.isArray(size) ? size[0]! : cellW;
    const h = Array.isArray(size) ? size[1]! : cellH;
    const rect = { x: centre[0]! - w / 2 + 1, y: centre[1]! - h / 2 + 1, width: w - 2, height: h - 2 };
    if (v === null) return { type: 'rect', shape: rect, style: { fill: CHART.grid } };
    const fill = heatColour(v, d.min, d.max, d.direction);
    const best = d.best !== null && d.best.x === d.xValues[xi] && d.best.y === d.yValues[yi];
    return {
      type: 'group',
      children: [
        {
          type: 'rect',
          shape: rect,
          style: { fill, stroke: best ? CHART.ink : CHART.card, lineWidth: best ? 2.5 : 1 },
        },
        ...(w >= 44 && h >= 18
          ? [
              {
                type: 'text' as const,
                x: centre[0]!,
                y: centre[1]!,
                style: {
                  text: spec.format(v),
                  fill: inkFor(fill),
                  align: 'center' as const,
                  verticalAlign: 'middle' as const,
                  font: `600 11px ${FONT}`,
                },
              },
            ]
          : []),
      ],
    };
  };
  const axis = (name: string, values: readonly unknown[], gap: number) => ({
    type: 'category' as const,
    name,
    nameLocation: 'middle' as const,
    nameGap: gap,
    nameTextStyle: { color: CHART.muted, fontSize: 11.5, fontFamily: FONT },
    data: values.map(String),
    axisLine: { show: false },
    axisTick: { show: false },
    axisLabel: { color: CHART.muted, fontSize: 11, fontFamily: FONT },
    splitLine: { show: false },
  });
  return renderChart({
    plot: spec.plot,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    width: WIDTH,
    height,
    option: {
      grid: { left: LEFT, top: TOP, bottom: BOTTOM, width: cols * cellW, height: rows * cellH },
      xAxis: axis(d.xParam, d.xValues, 30),
      yAxis: axis(d.yParam, d.yValues, 70),
      series: [{ type: 'custom', name: 'cells', renderItem: drawCell, data: cells.map((c) => [c[0], c[1]]) }],
    },
    ...(cells.length === 0 ? { emptyText: 'No data' } : {}),
  });
}
