/**
 * The axes, legend and reference lines the report's charts share: UTC time axes (times in the
 * report are µs; ECharts takes ms), value axes with the report's tick labels, axis names centred
 * along the axis, a one-row legend in the title band, dashed reference lines with a label.
 */
import type {
  LegendComponentOption,
  MarkLineComponentOption,
  XAXisComponentOption,
  YAXisComponentOption,
} from 'echarts';
import { CHART, FONT } from './palette.ts';
import { tickNumber } from './tick-label.ts';

/** µs → ms, the unit of ECharts' time axis. */
export const ms = (us: number): number => us / 1000;

const axisCommon = {
  nameLocation: 'middle',
  nameTextStyle: { color: CHART.muted, fontSize: 11.5, fontFamily: FONT },
  axisLine: { lineStyle: { color: CHART.axis } },
  axisTick: { lineStyle: { color: CHART.axis } },
  axisLabel: { color: CHART.muted, fontSize: 11, fontFamily: FONT, hideOverlap: true },
  splitLine: { lineStyle: { color: CHART.grid } },
} as const;

export function timeAxis(domainUs: readonly [number, number]): XAXisComponentOption {
  return {
    ...axisCommon,
    type: 'time',
    name: 'Time (UTC)',
    nameGap: 28,
    min: ms(domainUs[0]),
    max: ms(domainUs[1]),
  };
}

export interface ValueAxisSpec {
  readonly name: string;
  readonly format?: (v: number) => string;
  /** Keep 0 in view (false: fit the data only). */
  readonly includeZero?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Distance of the axis name from the axis line (px). */
  readonly nameGap?: number;
  /** No labels at the axis ends (set where the ends are padded bounds, not tick values). */
  readonly hideEndLabels?: boolean;
}

export function valueAxis(spec: ValueAxisSpec): XAXisComponentOption & YAXisComponentOption {
  return {
    ...axisCommon,
    type: 'value',
    name: spec.name,
    nameGap: spec.nameGap ?? 56,
    scale: spec.includeZero !== true,
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    axisLabel: {
      ...axisCommon.axisLabel,
      formatter: spec.format ?? tickNumber,
      ...(spec.hideEndLabels ? { showMinLabel: false, showMaxLabel: false } : {}),
    },
  } as XAXisComponentOption & YAXisComponentOption;
}

export function legend(right = 24): LegendComponentOption {
  return {
    top: 10,
    right,
    itemWidth: 16,
    itemHeight: 10,
    textStyle: { color: CHART.muted, fontSize: 11.5, fontFamily: FONT },
  };
}

export interface RefLine {
  readonly value: number;
  readonly colour: string;
  readonly label?: string;
  /** Solid instead of dashed. */
  readonly solid?: boolean;
}

/** Horizontal (axis 'y') or vertical (axis 'x') reference lines as a series' markLine. */
export function refLines(axis: 'x' | 'y', lines: readonly RefLine[]): MarkLineComponentOption {
  return {
    silent: true,
    symbol: 'none',
    animation: false,
    // markLine rounds values to `precision` decimals (default 2), which would move a line at 0.15 % to 0.
    precision: 12,
    data: lines
      .filter((l) => Number.isFinite(l.value))
      .map((l) => ({
        ...(axis === 'y' ? { yAxis: l.value } : { xAxis: l.value }),
        lineStyle: { color: l.colour, type: l.solid ? 'solid' : 'dashed', width: l.solid ? 2 : 1.2 },
        label: l.label
          ? {
              show: true,
              formatter: l.label,
              position: 'insideEndTop',
              color: l.colour,
              fontSize: 11,
              fontWeight: 600,
              fontFamily: FONT,
            }
          : { show: false },
      })),
  };
}
