/**
 * The report's stylesheet, inlined into the page (no external fonts or files: the report opens
 * offline). Colours are CSS variables with a dark variant for prefers-color-scheme: dark; the
 * charts' own colours are repainted for the dark theme by charts/palette.ts.
 */
import { DARK_CHART_CSS } from './charts/palette.ts';

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

svg.plot { display: block; width: 100%; height: auto; }
${DARK_CHART_CSS}
@media print { body { background: #fff; } .card { break-inside: avoid; } nav.toc { display: none; } }
`;
