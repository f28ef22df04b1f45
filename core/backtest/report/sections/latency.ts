/** Latency sensitivity section: pnl against added latency, with the least-squares fit. */
import type { LatencySensitivity } from '../../analytics/latency-sensitivity.ts';
import { legend, refLines, valueAxis } from '../charts/axes.ts';
import { CHART } from '../charts/palette.ts';
import { renderChart } from '../charts/render-chart.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { formatMoney } from '../metric-labels.ts';
import { type Currencies, figure, section, table } from './layout.ts';

export function renderLatency(l: LatencySensitivity, ccy: Currencies): string {
  const xs = l.points.map((p) => p.addedLatencyMs);
  const ys = l.points.map((p) => p.pnl);
  const xMax = Math.max(1, ...xs);
  const chart = renderChart({
    plot: 'latency',
    title: 'Latency sensitivity',
    description: 'Net pnl of the same run with extra latency added to order entry and feed.',
    width: 520,
    height: 300,
    option: {
      grid: { left: 64, right: 24, top: 64, bottom: 48 },
      legend: { ...legend(), top: 34 },
      xAxis: {
        ...valueAxis({
          name: 'Added latency (ms)',
          nameGap: 28,
          format: (v) => formatNumber(v, 0),
          hideEndLabels: true,
        }),
        min: -xMax * 0.03,
        max: xMax * 1.04,
        splitLine: { show: false },
      },
      yAxis: valueAxis({ name: `Net PnL (${ccy.quote})`, includeZero: true, nameGap: 44 }),
      series: [
        {
          type: 'line',
          name: 'PnL',
          data: xs.map((x, i) => [x, ys[i]!]),
          color: CHART.accent,
          lineStyle: { width: 2 },
          symbol: 'circle',
          symbolSize: 7,
          itemStyle: { borderColor: CHART.card, borderWidth: 1.5 },
          markLine: refLines('y', [{ value: 0, colour: CHART.axis, solid: true }]),
        },
        {
          type: 'line',
          name: 'Least-squares fit',
          data: [
            [0, l.intercept],
            [xMax, l.intercept + l.slopePerMs * xMax],
          ],
          color: CHART.warn,
          showSymbol: false,
          lineStyle: { width: 1.4, type: [6, 4] },
        },
      ],
    },
  });
  const rel =
    l.relativeSlopePerMs === null
      ? '–'
      : `${formatPercent(l.relativeSlopePerMs, 2, true)} of the 0-ms PnL per ms`;
  const rows = l.points.map((p) => [
    `+${formatNumber(p.addedLatencyMs, 0)} ms`,
    formatMoney(p.pnl, true),
    l.basePnl !== 0 ? formatPercent((p.pnl - l.basePnl) / Math.abs(l.basePnl), 1, true) : '–',
  ]);
  const summary =
    `<div class="card"><p>Sensitivity: <strong>${formatMoney(l.slopePerMs, true)} ${ccy.quote} per ms</strong> (${rel}` +
    `${l.rSquared === null ? '' : `, R² ${formatNumber(l.rSquared, 2)}`}).</p>` +
    `${table(['Added latency', 'Net PnL', 'vs 0 ms'], rows, [false, true, true], 'latency-table')}</div>`;
  return section('latency', 'Latency sensitivity', `<div class="grid-2">${figure(chart)}${summary}</div>`);
}
