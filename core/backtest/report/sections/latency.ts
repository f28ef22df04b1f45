/** Latency sensitivity section: pnl against added latency, with the least-squares fit. */
import type { LatencySensitivity } from '../../analytics/latency-sensitivity.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { formatMoney } from '../metric-labels.ts';
import { renderXYChart } from '../svg/xy-chart.ts';
import { type Currencies, figure, section, table } from './layout.ts';

export function renderLatency(l: LatencySensitivity, ccy: Currencies): string {
  const xs = l.points.map((p) => p.addedLatencyMs);
  const ys = l.points.map((p) => p.pnl);
  const xMax = Math.max(1, ...xs);
  const chart = renderXYChart({
    plot: 'latency',
    title: 'Latency sensitivity',
    description: 'Net pnl of the same run with extra latency added to order entry and feed.',
    x: {
      kind: 'linear',
      label: 'Added latency (ms)',
      domain: [-xMax * 0.03, xMax * 1.04],
      format: (v) => formatNumber(v, 0),
    },
    y: { label: `Net PnL (${ccy.quote})`, includeZero: true },
    series: [
      { name: 'PnL', x: xs, y: ys, kind: 'line', cls: 'pnl' },
      {
        name: 'PnL at offset',
        x: xs,
        y: ys,
        kind: 'points',
        cls: 'pnl',
        inLegend: false,
        titles: l.points.map((p) => `+${formatNumber(p.addedLatencyMs, 0)} ms: ${formatMoney(p.pnl, true)}`),
      },
      {
        name: 'Least-squares fit',
        x: [0, xMax],
        y: [l.intercept, l.intercept + l.slopePerMs * xMax],
        kind: 'line',
        cls: 'fit',
      },
    ],
    hLines: [{ value: 0, cls: 'zero' }],
    box: { width: 520, height: 300, left: 64 },
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
