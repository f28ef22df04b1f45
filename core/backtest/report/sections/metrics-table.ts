/** The full metrics table, four groups side by side; every label carries its definition as a tooltip. */
import type { Metrics } from '../../analytics/metrics.ts';
import { escapeHtml } from '../escape.ts';
import { annualizationNote, METRIC_INFO, METRIC_TABLE, type MetricGroup } from '../metric-labels.ts';
import { section, signClass } from './layout.ts';

const GROUP_TITLES: Readonly<Record<MetricGroup, string>> = {
  returns: 'Returns',
  risk: 'Risk',
  trades: 'Round trips',
  execution: 'Execution',
};

const SIGNED = new Set([
  'pnl',
  'realizedPnl',
  'totalReturn',
  'annualizedReturn',
  'returnPerSample',
  'avgTradePnl',
]);

export function renderMetricsTable(metrics: Metrics): string {
  const groups = (Object.keys(METRIC_TABLE) as MetricGroup[]).map((g) => {
    const rows = METRIC_TABLE[g]
      .map((key) => {
        const info = METRIC_INFO[key];
        const v = metrics[key];
        const cls = SIGNED.has(key) ? signClass(v) : '';
        return (
          `<tr data-metric="${key}"><td title="${escapeHtml(info.help)}">${escapeHtml(info.label)}</td>` +
          `<td class="num ${cls}">${escapeHtml(info.format(v))}</td></tr>`
        );
      })
      .join('');
    return `<div class="card"><table class="metrics"><caption class="eyebrow">${GROUP_TITLES[g]}</caption><tbody>${rows}</tbody></table></div>`;
  });
  const note = `<p class="note" id="annualization-note">${escapeHtml(annualizationNote(metrics))}</p>`;
  return section('metrics', 'Metrics', `${note}<div class="metric-groups">${groups.join('')}</div>`);
}
