/**
 * The plots of one run, on a shared UTC time axis [startTs, endTs] so they line up vertically:
 * equity (green above / red below the starting capital), drawdown (underwater curve with the worst
 * point marked), position (long green / short red), and mid price with our fills; then the
 * distribution of round-trip pnl.
 */
import { drawdownSeries } from '../../analytics/drawdown.ts';
import type { Metrics } from '../../analytics/metrics.ts';
import type { BacktestResult, FillRecord } from '../../result.ts';
import { formatDuration, formatExact, formatNumber, formatPercent, formatUtc } from '../format.ts';
import { formatMoney } from '../metric-labels.ts';
import { renderHistogram } from '../svg/histogram.ts';
import { decimalsForStep } from '../svg/linear-scale.ts';
import { defaultNumberFormat, type MarkerGroup, type MarkerPoint, renderXYChart } from '../svg/xy-chart.ts';
import { type Currencies, figure, section } from './layout.ts';

const percentAxis = (v: number, step: number) => `${formatNumber(v * 100, decimalsForStep(step * 100))}%`;

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

export function equityPlot(result: BacktestResult, ccy: Currencies): string {
  const ts = result.equity.map((p) => p.ts);
  const equity = result.equity.map((p) => p.equity);
  return renderXYChart({
    plot: 'equity',
    title: 'Equity',
    description: 'Account equity (cash + positions marked to mid) over time, against the initial capital.',
    x: { kind: 'time', domain: timeDomain(result) },
    y: { label: `Equity (${ccy.quote})` },
    series: [
      { name: 'Equity', x: ts, y: equity, kind: 'signed-area', cls: 'equity', base: result.initialCapital },
    ],
    hLines: [
      {
        value: result.initialCapital,
        cls: 'capital',
        label: `initial ${formatMoney(result.initialCapital)}`,
      },
    ],
    legendExtra: [{ label: 'initial capital', kind: 'dash', cls: 'ref capital' }],
    emptyText: 'No equity samples',
  });
}

export function drawdownPlot(result: BacktestResult, metrics: Metrics): string {
  const ts = result.equity.map((p) => p.ts);
  const dd = drawdownSeries(
    result.equity.map((p) => p.equity),
    result.initialCapital,
  );
  const under = Array.from(dd, (v) => (v === 0 ? 0 : -v));
  let trough = -1;
  for (let i = 0; i < dd.length; i++) if (trough < 0 ? dd[i]! > 0 : dd[i]! > dd[trough]!) trough = i;
  return renderXYChart({
    plot: 'drawdown',
    title: 'Drawdown',
    description: 'Fall of equity from its running peak, in percent.',
    x: { kind: 'time', domain: timeDomain(result) },
    y: { label: 'Drawdown', format: percentAxis, includeZero: true },
    series: [{ name: 'Drawdown from peak', x: ts, y: under, kind: 'area', cls: 'drawdown' }],
    annotations:
      trough >= 0
        ? [
            {
              x: ts[trough]!,
              y: under[trough]!,
              text: `max drawdown ${formatPercent(-metrics.maxDrawdown, 2)}`,
            },
          ]
        : [],
    box: { height: 220 },
    emptyText: 'No equity samples',
  });
}

export function positionPlot(result: BacktestResult, ccy: Currencies): string {
  return renderXYChart({
    plot: 'position',
    title: 'Position',
    description: 'Net base position over time: long above zero, short below.',
    x: { kind: 'time', domain: timeDomain(result) },
    y: { label: `Position (${ccy.base})`, includeZero: true },
    series: [
      {
        name: 'Net position',
        x: result.equity.map((p) => p.ts),
        y: result.equity.map((p) => p.position),
        kind: 'signed-area',
        stepped: true,
        signedLine: true,
        cls: 'position',
        inLegend: false,
      },
    ],
    legendExtra: [
      { label: 'long', kind: 'area', cls: 'key-long' },
      { label: 'short', kind: 'area', cls: 'key-short' },
    ],
    hLines: [{ value: 0, cls: 'zero' }],
    box: { height: 220 },
    emptyText: 'No equity samples',
  });
}

function fillTitle(f: FillRecord, ccy: Currencies): string {
  return (
    `${f.side.toUpperCase()} ${formatExact(f.size)} ${ccy.base} @ ${formatExact(f.price)} · ${f.liquidity}` +
    ` · fee ${formatMoney(f.fee)} · ${formatUtc(f.ts, 'millisecond')} UTC · ${f.symbol} · order ${f.orderId}`
  );
}

export function pricePlot(result: BacktestResult, ccy: Currencies): string {
  const marked = result.equity.filter((p) => Number.isFinite(p.mid) && p.mid > 0);
  // Several symbols have unrelated price scales: the plot shows the first one's fills.
  const symbol = result.symbols[0];
  const fills = result.fills.filter((f) => symbol === undefined || f.symbol === symbol);
  const group = (side: 'buy' | 'sell', liquidity: 'maker' | 'taker'): MarkerGroup => {
    const points: MarkerPoint[] = fills
      .filter((f) => f.side === side && f.liquidity === liquidity)
      .map((f) => ({ x: f.ts, y: f.price, title: fillTitle(f, ccy) }));
    return {
      name: side === 'buy' ? 'Buy fill' : 'Sell fill',
      shape: side === 'buy' ? 'up' : 'down',
      cls: side,
      hollow: liquidity === 'taker',
      points,
      inLegend: liquidity === 'maker',
    };
  };
  return renderXYChart({
    plot: 'price',
    title: `Price and fills${symbol ? ` — ${symbol}` : ''}`,
    description:
      'Mid price with our fills: green up-triangles are buys, red down-triangles sells; hollow = taker.',
    x: { kind: 'time', domain: timeDomain(result) },
    y: { label: `Mid price (${ccy.quote})`, format: defaultNumberFormat },
    series: [
      { name: 'Mid', x: marked.map((p) => p.ts), y: marked.map((p) => p.mid), kind: 'line', cls: 'mid' },
    ],
    markers: [group('buy', 'maker'), group('sell', 'maker'), group('buy', 'taker'), group('sell', 'taker')],
    legendExtra: [{ label: 'hollow = taker', kind: 'up-hollow', cls: 'taker-key' }],
    box: { height: 340 },
    emptyText: 'No prices',
  });
}

export function pnlDistributionPlot(result: BacktestResult, metrics: Metrics, ccy: Currencies): string {
  const pnls = result.roundTrips.map((t) => t.pnl);
  const wins = pnls.filter((p) => p > 0).length;
  return renderHistogram({
    plot: 'pnl-distribution',
    title: 'Round-trip PnL distribution',
    description: 'Histogram of the net pnl of closed round trips: losses red, profits green.',
    values: pnls,
    xLabel: `PnL per round trip (${ccy.quote}, net of fees)`,
    yLabel: 'Round trips',
    unit: 'round trips',
    vLines:
      pnls.length > 0
        ? [
            { value: 0, cls: 'zero' },
            {
              value: metrics.avgTradePnl,
              cls: 'mean',
              label: `mean ${formatMoney(metrics.avgTradePnl, true)}`,
            },
          ]
        : [],
    legendExtra: [
      { label: `loss (${pnls.length - wins})`, kind: 'square', cls: 'bar neg' },
      { label: `profit (${wins})`, kind: 'square', cls: 'bar pos' },
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
      `${formatNumber(result.fills.length, 0)} fills. Hover a marker for side, size, price, liquidity and fee.${multi}`,
    ) + figure(pnlDistributionPlot(result, metrics, ccy)),
  );
  return equitySection + tradesSection;
}
