/**
 * The plots of one run, on a shared UTC time axis [startTs, endTs] so they line up vertically:
 * equity (green above / red below the starting capital), drawdown (underwater curve with the worst
 * point marked), position (long green / short red), and mid price with our fills; then the
 * distribution of round-trip pnl. Drawn by ECharts on the server (charts/render-chart.ts).
 */
import type { EChartsOption, ScatterSeriesOption, VisualMapComponentOption } from 'echarts';
import { drawdownSeries } from '../../analytics/drawdown.ts';
import type { Metrics } from '../../analytics/metrics.ts';
import type { BacktestResult, FillRecord } from '../../result.ts';
import { legend, ms, refLines, timeAxis, valueAxis } from '../charts/axes.ts';
import { renderHistogram } from '../charts/histogram.ts';
import { niceStep } from '../charts/nice-step.ts';
import { CHART, FONT } from '../charts/palette.ts';
import { GRID, renderChart } from '../charts/render-chart.ts';
import { seriesPoints } from '../charts/series-points.ts';
import { tickPercent } from '../charts/tick-label.ts';
import { formatDuration, formatNumber, formatPercent } from '../format.ts';
import { formatMoney } from '../metric-labels.ts';
import { type Currencies, figure, section } from './layout.ts';

const WIDTH = 960;
const COLUMNS = WIDTH - GRID.left - GRID.right;

function timeDomain(result: BacktestResult): readonly [number, number] {
  let start = result.startTs;
  let end = result.endTs;
  const first = result.equity[0];
  const last = result.equity[result.equity.length - 1];
  if (first && last) {
    start = Math.min(start, first.ts);
    end = Math.max(end, last.ts);
  }
  return end > start ? [start, end] : [start - 1_000_000, start + 1_000_000];
}

/**
 * Line colour by the side of `base` a value is on, shown as the legend of the two sides. The pieces
 * are bounded just outside the data: ECharts' line gradient fails on open-ended pieces when all data
 * is on one side, and turns black near huge bounds.
 */
function bySign(
  base: number,
  data: readonly (readonly [number, number])[],
  above: string,
  below: string,
): VisualMapComponentOption {
  let lo = base;
  let hi = base;
  for (const p of data) {
    lo = Math.min(lo, p[1]);
    hi = Math.max(hi, p[1]);
  }
  const margin = hi - lo || Math.abs(base) || 1;
  return {
    type: 'piecewise',
    seriesIndex: 0,
    dimension: 1,
    orient: 'horizontal',
    top: 10,
    right: 24,
    itemWidth: 12,
    itemHeight: 10,
    textStyle: { color: CHART.muted, fontSize: 11.5, fontFamily: FONT },
    pieces: [
      { gte: lo - margin, lt: base, label: below, color: CHART.neg },
      { gte: base, lte: hi + margin, label: above, color: CHART.pos },
    ],
  };
}

/** Axis bounds that keep `value` in view beside the data, on a nice step. */
const including = (value: number) => {
  const step = (e: { min: number; max: number }) =>
    niceStep(Math.max(e.max, value) - Math.min(e.min, value), 5);
  return {
    min: (e: { min: number; max: number }) => Math.floor(Math.min(e.min, value) / step(e)) * step(e),
    max: (e: { min: number; max: number }) => Math.ceil(Math.max(e.max, value) / step(e)) * step(e),
  };
};

const EMPTY_EQUITY = 'No equity samples';

export function equityPlot(result: BacktestResult, ccy: Currencies): string {
  const domain = timeDomain(result);
  const base = result.initialCapital;
  const data = seriesPoints(
    result.equity.map((p) => p.ts),
    result.equity.map((p) => p.equity),
    domain,
    COLUMNS,
    ms,
  );
  const option: EChartsOption = {
    grid: GRID,
    visualMap: bySign(base, data, 'above initial capital', 'below'),
    xAxis: timeAxis(domain),
    yAxis: { ...valueAxis({ name: `Equity (${ccy.quote})` }), ...including(base) },
    series: [
      {
        type: 'line',
        name: 'Equity',
        data,
        showSymbol: false,
        lineStyle: { width: 1.6 },
        areaStyle: { origin: base, opacity: 0.16 },
        markLine: refLines('y', [
          { value: base, colour: CHART.muted, label: `initial ${formatMoney(base)}` },
        ]),
      },
    ],
  };
  return renderChart({
    plot: 'equity',
    title: 'Equity',
    description: 'Account equity (cash + positions marked to mid) over time, against the initial capital.',
    width: WIDTH,
    height: 300,
    option,
    ...(data.length === 0 ? { emptyText: EMPTY_EQUITY } : {}),
  });
}

export function drawdownPlot(result: BacktestResult, metrics: Metrics): string {
  const domain = timeDomain(result);
  const ts = result.equity.map((p) => p.ts);
  const dd = drawdownSeries(
    result.equity.map((p) => p.equity),
    result.initialCapital,
  );
  const under = Array.from(dd, (v) => (v === 0 ? 0 : -v));
  let trough = -1;
  for (let i = 0; i < dd.length; i++) if (trough < 0 ? dd[i]! > 0 : dd[i]! > dd[trough]!) trough = i;
  const data = seriesPoints(ts, under, domain, COLUMNS, ms);
  const rightHalf = trough >= 0 && ts[trough]! > (domain[0] + domain[1]) / 2;
  const option: EChartsOption = {
    grid: GRID,
    xAxis: timeAxis(domain),
    yAxis: valueAxis({ name: 'Drawdown', format: tickPercent, includeZero: true }),
    series: [
      {
        type: 'line',
        name: 'Drawdown from peak',
        data,
        showSymbol: false,
        color: CHART.neg,
        lineStyle: { width: 1.3 },
        areaStyle: { opacity: 0.16 },
        ...(trough >= 0
          ? {
              markPoint: {
                symbol: 'circle',
                symbolSize: 7,
                silent: true,
                itemStyle: { color: CHART.neg, borderColor: CHART.card, borderWidth: 1.5 },
                label: {
                  show: true,
                  position: rightHalf ? 'left' : 'right',
                  formatter: `max drawdown ${formatPercent(-metrics.maxDrawdown, 2)}`,
                  color: CHART.neg,
                  fontSize: 11.5,
                  fontWeight: 600,
                  fontFamily: FONT,
                },
                data: [{ name: 'max drawdown', coord: [ms(ts[trough]!), under[trough]!] }],
              },
            }
          : {}),
      },
    ],
  };
  return renderChart({
    plot: 'drawdown',
    title: 'Drawdown',
    description: 'Fall of equity from its running peak, in percent.',
    width: WIDTH,
    height: 220,
    option,
    ...(data.length === 0 ? { emptyText: EMPTY_EQUITY } : {}),
  });
}

export function positionPlot(result: BacktestResult, ccy: Currencies): string {
  const domain = timeDomain(result);
  const data = seriesPoints(
    result.equity.map((p) => p.ts),
    result.equity.map((p) => p.position),
    domain,
    COLUMNS,
    ms,
  );
  const option: EChartsOption = {
    grid: GRID,
    visualMap: bySign(0, data, 'long', 'short'),
    xAxis: timeAxis(domain),
    yAxis: valueAxis({ name: `Position (${ccy.base})`, includeZero: true }),
    series: [
      {
        type: 'line',
        name: 'Net position',
        data,
        step: 'end',
        showSymbol: false,
        lineStyle: { width: 1.2 },
        areaStyle: { origin: 0, opacity: 0.16 },
      },
    ],
  };
  return renderChart({
    plot: 'position',
    title: 'Position',
    description: 'Net base position over time: long above zero, short below.',
    width: WIDTH,
    height: 220,
    option,
    ...(data.length === 0 ? { emptyText: EMPTY_EQUITY } : {}),
  });
}

/** Above this many kept markers, the dedupe cell grows (2 → 4 → 8 → 16 px) to keep the file small. */
const MAX_MARKERS = 4000;
/** Above this many markers a group is drawn as one path (ECharts' large mode). */
const LARGE_MARKERS = 600;
const PRICE_HEIGHT = 340;
const DOWN_TRIANGLE = 'path://M0,0L10,0L5,9Z';

/** One marker per small cell of the plot: thousands of fills at the same spot would only stack. */
function dedupe(
  fills: readonly FillRecord[],
  domain: readonly [number, number],
  yRange: readonly [number, number],
): [number, number][] {
  const plotHeight = PRICE_HEIGHT - GRID.top - GRID.bottom;
  const xPerPx = (domain[1] - domain[0]) / COLUMNS;
  const yPerPx = (yRange[1] - yRange[0] || 1) / plotHeight;
  let cell = 2;
  for (;;) {
    const seen = new Set<string>();
    const kept: [number, number][] = [];
    for (const f of fills) {
      const key = `${Math.round((f.ts - domain[0]) / xPerPx / cell)},${Math.round((f.price - yRange[0]) / yPerPx / cell)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      kept.push([ms(f.ts), f.price]);
    }
    if (kept.length <= MAX_MARKERS || cell >= 16) return kept;
    cell *= 2;
  }
}

export function pricePlot(result: BacktestResult, ccy: Currencies): string {
  const domain = timeDomain(result);
  const marked = result.equity.filter((p) => Number.isFinite(p.mid) && p.mid > 0);
  // Several symbols have unrelated price scales: the plot shows the first one's fills.
  const symbol = result.symbols[0];
  const fills = result.fills.filter((f) => symbol === undefined || f.symbol === symbol);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of marked) {
    lo = Math.min(lo, p.mid);
    hi = Math.max(hi, p.mid);
  }
  for (const f of fills) {
    lo = Math.min(lo, f.price);
    hi = Math.max(hi, f.price);
  }
  const mid = seriesPoints(
    marked.map((p) => p.ts),
    marked.map((p) => p.mid),
    domain,
    COLUMNS,
    ms,
  );
  const group = (side: 'buy' | 'sell', liquidity: 'maker' | 'taker'): ScatterSeriesOption => {
    const colour = side === 'buy' ? CHART.pos : CHART.neg;
    const data = dedupe(
      fills.filter((f) => f.side === side && f.liquidity === liquidity),
      domain,
      [lo, hi],
    );
    const size = data.length > 1500 ? 7 : data.length > 300 ? 8 : 9;
    return {
      type: 'scatter',
      name: `${side === 'buy' ? 'Buy' : 'Sell'} fill${liquidity === 'taker' ? ' (taker)' : ''}`,
      data,
      // A path, not a rotated triangle, so the legend shows the sell marker pointing down too.
      symbol: side === 'buy' ? 'triangle' : DOWN_TRIANGLE,
      symbolSize: size,
      large: true,
      largeThreshold: LARGE_MARKERS,
      itemStyle:
        liquidity === 'maker'
          ? { color: colour, borderColor: colour, borderWidth: 1, opacity: 1 }
          : { color: CHART.card, borderColor: colour, borderWidth: 1.2, opacity: 1 },
    };
  };
  const option: EChartsOption = {
    grid: GRID,
    legend: legend(),
    xAxis: timeAxis(domain),
    yAxis: valueAxis({ name: `Mid price (${ccy.quote})` }),
    series: [
      {
        type: 'line',
        name: 'Mid',
        data: mid,
        showSymbol: false,
        color: CHART.mid,
        lineStyle: { width: 1.2 },
      },
      group('buy', 'maker'),
      group('sell', 'maker'),
      group('buy', 'taker'),
      group('sell', 'taker'),
    ],
  };
  return renderChart({
    plot: 'price',
    title: `Price and fills${symbol ? ` — ${symbol}` : ''}`,
    description:
      'Mid price with our fills: green up-triangles are buys, red down-triangles sells; hollow = taker.',
    width: WIDTH,
    height: PRICE_HEIGHT,
    option,
    ...(mid.length === 0 && fills.length === 0 ? { emptyText: 'No prices' } : {}),
  });
}

export function pnlDistributionPlot(result: BacktestResult, metrics: Metrics, ccy: Currencies): string {
  const pnls = result.roundTrips.map((t) => t.pnl);
  return renderHistogram({
    plot: 'pnl-distribution',
    title: 'Round-trip PnL distribution',
    description: 'Histogram of the net pnl of closed round trips: losses red, profits green.',
    values: pnls,
    xLabel: `PnL per round trip (${ccy.quote}, net of fees)`,
    yLabel: 'Round trips',
    vLines: [
      { value: 0, colour: CHART.axis, solid: true },
      {
        value: metrics.avgTradePnl,
        colour: CHART.accent,
        label: `mean ${formatMoney(metrics.avgTradePnl, true)}`,
      },
    ],
    emptyText: 'No closed round trips',
  });
}

export function renderRunPlots(result: BacktestResult, metrics: Metrics, ccy: Currencies): string {
  const multi =
    result.symbols.length > 1
      ? ` Fills shown for ${result.symbols[0]} only (of ${result.symbols.length} symbols).`
      : '';
  const equitySection = section(
    'equity',
    'Equity and risk',
    figure(
      equityPlot(result, ccy),
      `${formatNumber(result.equity.length, 0)} equity samples, every ${formatDuration(metrics.samplingIntervalSec * 1e6)} (median).`,
    ) +
      figure(drawdownPlot(result, metrics)) +
      figure(positionPlot(result, ccy)),
  );
  const tradesSection = section(
    'trades',
    'Prices and trades',
    figure(
      pricePlot(result, ccy),
      `${formatNumber(result.fills.length, 0)} fills; each one's side, size, price, liquidity and fee are in trades.csv.${multi}`,
    ) + figure(pnlDistributionPlot(result, metrics, ccy)),
  );
  return equitySection + tradesSection;
}
