/**
 * The report's stylesheet, inlined into the page (no external fonts or files: the report opens
 * offline). Colours are CSS variables with a dark variant for prefers-color-scheme: dark, and the
 * SVG plots are styled by class, so both themes apply to them too.
 */
export const REPORT_CSS = `
:root {
  --bg: #f4f6f9; --card: #ffffff; --ink: #18202b; --muted: #5d6b7e; --faint: #8a96a8;
  --line: #e3e8ef; --grid: #edf0f5; --axis: #9aa5b5;
  --accent: #2563eb; --accent-soft: rgba(37, 99, 235, 0.10);
  --pos: #15803d; --pos-soft: rgba(22, 163, 74, 0.16); --neg: #dc2626; --neg-soft: rgba(220, 38, 38, 0.16);
  --mid: #475569; --is: #2563eb; --oos: #f59e0b; --neutral: #64748b; --warn: #b45309;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e131a; --card: #161d27; --ink: #e6eaf0; --muted: #9aa6b6; --faint: #6f7b8c;
    --line: #263142; --grid: #1f2835; --axis: #4b5768;
    --accent: #60a5fa; --accent-soft: rgba(96, 165, 250, 0.14);
    --pos: #4ade80; --pos-soft: rgba(74, 222, 128, 0.16); --neg: #f87171; --neg-soft: rgba(248, 113, 113, 0.18);
    --mid: #94a3b8; --is: #60a5fa; --oos: #fbbf24; --neutral: #94a3b8; --warn: #fbbf24;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); }
body {
  margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 1100px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 24px; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 17px; margin: 32px 0 12px; letter-spacing: -0.005em; }
h2 .sub { font-weight: 400; color: var(--muted); font-size: 13px; margin-left: 8px; }
a { color: var(--accent); text-decoration: none; }
code, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-size: 11px; color: var(--muted); font-weight: 600; }
header.report { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; justify-content: space-between; }
header.report .run-id { color: var(--muted); }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 12px 0 4px; font-size: 13px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px 24px; margin-top: 16px; }
.meta dt { font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); font-weight: 600; }
.meta dd { margin: 2px 0 0; }
.meta .wide { grid-column: span 2; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { background: var(--accent-soft); color: var(--ink); border-radius: 999px; padding: 1px 9px; font-size: 12.5px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 16px; }
.kpi { padding: 12px 14px; }
.kpi .value { font-size: 22px; font-weight: 650; margin-top: 2px; letter-spacing: -0.01em; }
.kpi .detail { color: var(--muted); font-size: 12px; }
.pos { color: var(--pos); } .neg { color: var(--neg); }
.metric-groups { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 5px 8px; text-align: left; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
thead th { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); font-weight: 600; }
tbody tr:last-child td { border-bottom: none; }
table.metrics td:first-child { color: var(--muted); }
table.metrics caption { text-align: left; padding: 0 8px 6px; }
figure { margin: 0 0 14px; }
figure.card { padding: 10px 12px 8px; }
figcaption { color: var(--muted); font-size: 12.5px; padding: 2px 6px 4px; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 14px; }
.note { color: var(--muted); font-size: 12.5px; }
.warn { color: var(--warn); }
.table-wrap { overflow-x: auto; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 12px; }
footer ul { margin: 6px 0 0; padding-left: 18px; }

svg.plot { display: block; width: 100%; height: auto; overflow: visible; }
svg.plot text { fill: var(--ink); font-family: inherit; }
svg.plot .plot-title { font-size: 14px; font-weight: 620; }
svg.plot .tick { font-size: 11px; fill: var(--muted); }
svg.plot .axis-label { font-size: 11.5px; fill: var(--muted); }
svg.plot .legend-text { font-size: 11.5px; fill: var(--muted); }
svg.plot .legend line.series { stroke-width: 2.2; }
svg.plot .empty { font-size: 13px; fill: var(--faint); }
svg.plot .grid { stroke: var(--grid); stroke-width: 1; }
svg.plot .axis { stroke: var(--axis); stroke-width: 1; }
svg.plot .series { fill: none; stroke-width: 1.6; stroke-linejoin: round; stroke-linecap: round; }
svg.plot .fill { stroke: none; }
svg.plot .ref { stroke-width: 1.2; stroke-dasharray: 5 4; fill: none; }
svg.plot line.dashed { stroke-dasharray: 5 4; stroke-width: 1.4; }
svg.plot .ref-label, svg.plot .annotation { paint-order: stroke; stroke: var(--card); stroke-width: 3px; stroke-linejoin: round; }
svg.plot .ref-label { font-size: 11px; font-weight: 600; }
svg.plot .annotation { font-size: 11.5px; font-weight: 600; fill: var(--neg); }
svg.plot .annotation-dot { fill: var(--neg); stroke: var(--card); stroke-width: 1.5; }
svg.plot .equity.series { stroke: var(--accent); }
svg.plot .equity.fill.pos, svg.plot .position.fill.pos { fill: var(--pos-soft); }
svg.plot .equity.fill.neg, svg.plot .position.fill.neg { fill: var(--neg-soft); }
svg.plot .position.series { stroke: var(--neutral); stroke-width: 1.2; }
svg.plot .position.series.pos { stroke: var(--pos); }
svg.plot .position.series.neg { stroke: var(--neg); }
svg.plot .drawdown.series { stroke: var(--neg); stroke-width: 1.3; }
svg.plot .drawdown.fill { fill: var(--neg-soft); }
svg.plot rect.drawdown { fill: var(--neg-soft); stroke: var(--neg); }
svg.plot rect.equity, svg.plot rect.key-long { fill: var(--pos-soft); stroke: var(--pos); }
svg.plot rect.key-short { fill: var(--neg-soft); stroke: var(--neg); }
svg.plot .mid.series { stroke: var(--mid); stroke-width: 1.2; }
svg.plot .marker { stroke-width: 1.1; }
svg.plot .buy { fill: var(--pos); stroke: var(--pos); }
svg.plot .sell { fill: var(--neg); stroke: var(--neg); }
svg.plot .taker-key { fill: none; stroke: var(--muted); stroke-width: 1.2; }
svg.plot .marker.hollow, svg.plot path.hollow { fill: var(--card); }
svg.plot .ref.capital { stroke: var(--muted); }
svg.plot .ref-label.capital { fill: var(--muted); }
svg.plot .ref.zero { stroke: var(--axis); stroke-dasharray: none; }
svg.plot .ref.mean { stroke: var(--accent); }
svg.plot .ref-label.mean { fill: var(--accent); }
svg.plot .ref.pct { stroke: var(--muted); }
svg.plot .ref-label.pct { fill: var(--muted); }
svg.plot .ref.median { stroke: var(--ink); }
svg.plot .ref-label.median { fill: var(--ink); }
svg.plot .ref.actual { stroke: var(--accent); stroke-dasharray: none; stroke-width: 2; }
svg.plot .ref-label.actual { fill: var(--accent); }
svg.plot .bar.pos { fill: var(--pos); fill-opacity: 0.75; }
svg.plot .bar.neg { fill: var(--neg); fill-opacity: 0.75; }
svg.plot .bar.neutral { fill: var(--accent); fill-opacity: 0.7; }
svg.plot .bar.is { fill: var(--is); }
svg.plot .bar.oos { fill: var(--oos); }
svg.plot .pnl.series { stroke: var(--accent); stroke-width: 2; }
svg.plot circle.pnl { fill: var(--accent); stroke: var(--card); stroke-width: 1.5; }
svg.plot .fit.series { stroke: var(--warn); stroke-dasharray: 6 4; stroke-width: 1.4; }
svg.plot .pnl-key { fill: var(--accent); }
svg.plot .heat-cell { stroke: var(--card); stroke-width: 1; }
svg.plot .heat-cell.best { stroke: var(--ink); stroke-width: 2.5; }
svg.plot .heat-missing { fill: var(--grid); }
svg.plot .heat-text { font-size: 11px; font-weight: 600; }
svg.plot .heat-worse { fill: rgb(220,38,38); }
svg.plot .heat-better { fill: rgb(22,163,74); }
svg.plot .heat-best-swatch { fill: none; stroke: var(--ink); stroke-width: 2.5; }
@media print { body { background: #fff; } .card { break-inside: avoid; } nav.toc { display: none; } }
`;
