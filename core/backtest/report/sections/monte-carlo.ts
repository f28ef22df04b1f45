/** Monte Carlo section: distributions of final return and max drawdown over bootstrapped paths. */
import type { Metrics } from '../../analytics/metrics.ts';
import type { Distribution, MonteCarloResult } from '../../analytics/monte-carlo.ts';
import type { RefLine } from '../charts/axes.ts';
import { renderHistogram } from '../charts/histogram.ts';
import { decimalsForStep } from '../charts/nice-step.ts';
import { CHART } from '../charts/palette.ts';
import { tickPercent } from '../charts/tick-label.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { figure, section, table } from './layout.ts';

/** Enough decimals to tell the percentiles of this distribution apart. */
function decimalsFor(d: Distribution): number {
  const spread = (d.percentiles.p95 - d.percentiles.p5) * 100;
  return spread > 0 ? Math.min(4, Math.max(1, decimalsForStep(spread / 10))) : 2;
}

function percentileLines(d: Distribution, actual: number, negate = false): RefLine[] {
  const s = negate ? -1 : 1;
  const dp = decimalsFor(d);
  const pct = (v: number) => formatPercent(s * v, dp);
  // For a drawdown the bad tail is the HIGH end: label it p95 on the left (worse) side.
  return [
    { value: s * d.percentiles.p5, colour: CHART.muted, label: `p5 ${pct(d.percentiles.p5)}` },
    { value: s * d.percentiles.p50, colour: CHART.ink, label: `median ${pct(d.percentiles.p50)}` },
    { value: s * d.percentiles.p95, colour: CHART.muted, label: `p95 ${pct(d.percentiles.p95)}` },
    { value: s * actual, colour: CHART.accent, label: `backtest ${pct(actual)}`, solid: true },
  ];
}

export function renderMonteCarlo(mc: MonteCarloResult, metrics: Metrics): string {
  const returns = renderHistogram({
    plot: 'mc-return',
    title: 'Monte Carlo: total return',
    description: 'Final return of each bootstrapped path of round trips.',
    values: mc.totalReturn.samples,
    xLabel: 'Total return of path',
    yLabel: 'Paths',
    format: tickPercent,
    vLines: percentileLines(mc.totalReturn, metrics.totalReturn),
    width: 520,
    height: 300,
  });
  const drawdowns = renderHistogram({
    plot: 'mc-drawdown',
    title: 'Monte Carlo: max drawdown',
    description: 'Max drawdown of each bootstrapped path (shown negative: further left is worse).',
    values: mc.maxDrawdown.samples.map((v) => -v),
    xLabel: 'Max drawdown of path',
    yLabel: 'Paths',
    colour: 'loss',
    format: tickPercent,
    vLines: percentileLines(mc.maxDrawdown, metrics.maxDrawdown, true),
    width: 520,
    height: 300,
  });
  const row = (label: string, d: Distribution, sign: number) => [
    label,
    ...[
      d.percentiles.p5,
      d.percentiles.p25,
      d.percentiles.p50,
      d.percentiles.p75,
      d.percentiles.p95,
      d.mean,
    ].map((v) => formatPercent(sign * v, Math.max(2, decimalsFor(d)))),
  ];
  // For drawdown the bad tail is the high end: list it so that p5 stays "the bad case".
  const ddFlipped: Distribution = {
    ...mc.maxDrawdown,
    percentiles: {
      p5: mc.maxDrawdown.percentiles.p95,
      p25: mc.maxDrawdown.percentiles.p75,
      p50: mc.maxDrawdown.percentiles.p50,
      p75: mc.maxDrawdown.percentiles.p25,
      p95: mc.maxDrawdown.percentiles.p5,
    },
  };
  const stats = table(
    ['', 'worst 5 %', '25 %', 'median', '75 %', 'best 5 %', 'mean'],
    [row('Total return', mc.totalReturn, 1), row('Max drawdown', ddFlipped, -1)],
    [false, true, true, true, true, true, true],
    'mc-table',
  );
  const lossClass = mc.probabilityOfLoss > 0.5 ? 'neg' : mc.probabilityOfLoss > 0 ? 'warn' : 'pos';
  const summary =
    `<div class="card"><p>Probability of loss: <strong class="${lossClass}">${formatPercent(mc.probabilityOfLoss, 1)}</strong> ` +
    `of ${formatNumber(mc.simulations, 0)} paths of ${formatNumber(mc.tradesPerSimulation, 0)} round trips each, ` +
    `drawn with replacement (seed ${mc.seed}).</p>${stats}` +
    '<p class="note">Bootstrapping keeps the trades and shuffles their order and mix: it shows how much of the result is ' +
    'the luck of the sequence, not whether the edge is real. Serial correlation between trades is lost.</p></div>';
  return section(
    'monte-carlo',
    'Monte Carlo',
    `<div class="grid-2">${figure(returns)}${figure(drawdowns)}</div>${summary}`,
    'bootstrap of round trips',
  );
}
