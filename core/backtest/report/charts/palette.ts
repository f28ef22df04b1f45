/**
 * The chart colours. ECharts writes them into the SVG as presentation attributes (fill="#…",
 * stroke="#…", stop-color="#…"); a CSS rule beats a presentation attribute, so the dark theme
 * repaints each light colour by an attribute selector (DARK_CHART_CSS) and the report needs only
 * one SVG per chart. Light values match the report's light CSS variables (styles.ts).
 */
/** The report's font stack (styles.ts), unquoted: ECharts writes it into style attributes. */
export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

export const CHART = {
  ink: '#18202b',
  muted: '#5d6b7e',
  faint: '#8a96a8',
  grid: '#edf0f5',
  axis: '#9aa5b5',
  card: '#ffffff',
  accent: '#2563eb',
  pos: '#15803d',
  neg: '#dc2626',
  mid: '#475569',
  is: '#2563eb',
  oos: '#f59e0b',
  warn: '#b45309',
} as const;

/** Dark-theme counterpart of each light colour (styles.ts' dark variables). */
const DARK: Readonly<Record<string, string>> = {
  [CHART.ink]: '#e6eaf0',
  [CHART.muted]: '#9aa6b6',
  [CHART.faint]: '#6f7b8c',
  [CHART.grid]: '#1f2835',
  [CHART.axis]: '#4b5768',
  [CHART.card]: '#161d27',
  [CHART.accent]: '#60a5fa',
  [CHART.pos]: '#4ade80',
  [CHART.neg]: '#f87171',
  [CHART.mid]: '#94a3b8',
  [CHART.oos]: '#fbbf24',
  [CHART.warn]: '#fbbf24',
};

function darkRules(): string {
  const rules: string[] = [];
  for (const [light, dark] of Object.entries(DARK)) {
    for (const prop of ['fill', 'stroke', 'stop-color'])
      rules.push(`svg.plot [${prop}="${light}"] { ${prop}: ${dark}; }`);
  }
  return rules.join('\n');
}

export const DARK_CHART_CSS = `@media (prefers-color-scheme: dark) {\n${darkRules()}\n}`;
