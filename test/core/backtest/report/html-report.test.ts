import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../../core/backtest/report/html-report.ts';
import type { BacktestResult } from '../../../../core/backtest/result.ts';
import { HAND_RESULT } from '../analytics/hand-result.ts';
import { randomResult } from '../analytics/random-result.ts';
import { fullReportInput, OPTIONAL_PLOTS, RUN_PLOTS } from './full-report-input.ts';

function plotsIn(html: string): string[] {
  return [...html.matchAll(/<svg [^>]*data-plot="([^"]+)"/g)].map((m) => m[1]!);
}

/** Drawn data elements of one ECharts series (its legend swatch excluded). */
function marks(svg: string, series: number): string[] {
  return [...svg.matchAll(/<path [^>]*>/g)]
    .map((m) => m[0])
    .filter((p) => p.includes(`ecmeta_series_index="${series}"`) && p.includes('ecmeta_ssr_type="chart"'));
}

/** Vertex count of the longest path: a drawn line series. */
function longestPathVertices(svg: string): number {
  const ds = [...svg.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]!);
  const longest = ds.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.match(/[ML]/g)?.length ?? 0;
}

/** The markup of one plot's <svg>. */
function plot(html: string, name: string): string {
  const start = html.indexOf(`data-plot="${name}"`);
  expect(start, name).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</svg>', start));
}

describe('HTML report', () => {
  it('has the run header, the metrics table and the five run plots', () => {
    const html = renderHtmlReport({ result: HAND_RESULT });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Backtest: market-maker · conservative · hand-1</title>');
    for (const text of [
      'conservative',
      'BTC/USDT',
      'spread_bps=2',
      'order_size=1',
      '2024-01-02 03:04:00',
      '>11<',
    ]) {
      expect(html).toContain(text);
    }
    expect(plotsIn(html)).toEqual([...RUN_PLOTS]);
    expect(html).toMatch(
      /<tr data-metric="totalReturn"><td[^>]*>Total return<\/td><td class="num pos">\+0\.15 %<\/td>/,
    );
    expect(html).toMatch(
      /<tr data-metric="profitFactor"><td[^>]*>Profit factor<\/td><td class="num ">∞<\/td>/,
    );
    // Fill markers (series 1–4 after the mid line): a maker buy, a maker sell, a hollow taker buy.
    const price = plot(html, 'price');
    expect(marks(price, 1)).toHaveLength(1);
    expect(marks(price, 1)[0]).toContain('fill="#15803d"');
    expect(marks(price, 2)).toHaveLength(1);
    expect(marks(price, 2)[0]).toContain('fill="#dc2626"');
    expect(marks(price, 3)).toHaveLength(1);
    expect(marks(price, 3)[0]).toMatch(/fill="#ffffff" stroke="#15803d"/);
    expect(marks(price, 4)).toHaveLength(0);
    for (const name of ['Mid', 'Buy fill', 'Sell fill', 'Buy fill (taker)', 'Sell fill (taker)'])
      expect(price).toContain(`>${name}</text>`);
  });

  it('a short run: a note says the figures are not annualized, which show – ; the KPI is the Sharpe over the run', () => {
    const html = renderHtmlReport({ result: HAND_RESULT });
    expect(html).toMatch(
      /<p class="note" id="annualization-note">Not annualized: the run covers 4[^<]*under the 30 days/,
    );
    expect(html).toMatch(/<tr data-metric="sharpe"><td[^>]*>Sharpe \(ann\.\)<\/td><td class="num ">–<\/td>/);
    expect(html).toMatch(
      /<tr data-metric="annualizedReturn"><td[^>]*>Annualized return<\/td><td class="num ">–<\/td>/,
    );
    expect(html).toMatch(
      /<tr data-metric="sharpeOverPeriod"><td[^>]*>Sharpe \(run\)<\/td><td class="num ">\d/,
    );
    expect(html).toMatch(/<tr data-metric="sharpePerSample"><td[^>]*>Sharpe per sample<\/td>/);
    expect(html).toContain('Sharpe (run, not annualized)');
  });

  it('a run of 30 days or more: annualized figures and a note saying so', () => {
    const long = { ...HAND_RESULT, endTs: HAND_RESULT.startTs + 30 * 86_400_000_000 };
    const html = renderHtmlReport({ result: long });
    expect(html).toMatch(/id="annualization-note">Annualized over a 365-day year/);
    expect(html).toMatch(/<tr data-metric="sharpe"><td[^>]*>Sharpe \(ann\.\)<\/td><td class="num ">\d/);
    expect(html).toContain('>Sharpe (ann.)<');
  });

  it('every chart is an ECharts SVG with its title, axis names and data', () => {
    const input = fullReportInput();
    const html = renderHtmlReport(input);
    const titles: Record<string, readonly string[]> = {
      equity: ['Equity', 'Time (UTC)', 'Equity (USDT)', 'initial 10,000.00', 'above initial capital'],
      drawdown: ['Drawdown', 'Time (UTC)', 'max drawdown'],
      position: ['Position', 'Position (BTC)', 'long', 'short'],
      price: ['Price and fills — BTC/USDT', 'Mid price (USDT)'],
      'pnl-distribution': [
        'Round-trip PnL distribution',
        'Round trips',
        'PnL per round trip (USDT, net of fees)',
      ],
      'mc-return': ['Monte Carlo: total return', 'Total return of path', 'median'],
      'mc-drawdown': ['Monte Carlo: max drawdown', 'Max drawdown of path'],
      'walk-forward': ['In-sample', 'Out-of-sample', 'Fold', 'fold 3'],
      latency: ['Latency sensitivity', 'Added latency (ms)', 'Least-squares fit'],
      'sweep-heatmap': ['spread_bps', 'order_size'],
    };
    expect(Object.keys(titles)).toEqual([...RUN_PLOTS, ...OPTIONAL_PLOTS]);
    for (const [name, texts] of Object.entries(titles)) {
      const svg = plot(html, name);
      for (const t of texts) expect(svg, `${name}: ${t}`).toContain(`${t.replaceAll('&', '&amp;')}`);
      // ECharts' per-instance ids are renamed after the plot, and no hydration leftovers remain.
      expect(svg).not.toMatch(/\bzr\d+-|<style|<script/);
    }
    // Data: the equity line has its 3,600 samples M4-downsampled to the 860-px plot (≤ 4 a column), the
    // histograms a rect per non-empty bin, the walk-forward chart 3 folds × 2 bars, the latency
    // chart its 5 offsets, the heatmap its 12 cells with their values.
    expect(input.result.equity.length).toBe(3600);
    expect(longestPathVertices(plot(html, 'equity'))).toBeGreaterThan(2000);
    expect(longestPathVertices(plot(html, 'equity'))).toBeLessThanOrEqual(4 * 860);
    const bars = (svg: string) => (svg.match(/ecmeta_ssr_type="chart"/g) ?? []).length;
    expect(bars(plot(html, 'pnl-distribution'))).toBeGreaterThan(3);
    expect(bars(plot(html, 'mc-return'))).toBeGreaterThan(3);
    // (series 0 also carries the zero line)
    expect(marks(plot(html, 'walk-forward'), 0).length).toBeGreaterThanOrEqual(3);
    expect(marks(plot(html, 'walk-forward'), 1)).toHaveLength(3);
    // 5 offsets and the zero line
    expect(marks(plot(html, 'latency'), 0)).toHaveLength(6);
    const heat = plot(html, 'sweep-heatmap');
    expect(heat.match(/<rect|<path [^>]*ecmeta_ssr_type="chart"/g)!.length).toBeGreaterThanOrEqual(12);
    expect(heat).toMatch(/>[−-]?0\.\d{4}<\/text>/);
  });

  it('adds the optional sections only when their data is given', () => {
    const html = renderHtmlReport(fullReportInput());
    expect(plotsIn(html)).toEqual([...RUN_PLOTS, ...OPTIONAL_PLOTS]);
    expect(html).toContain('Probability of loss');
    expect(html).toContain('Degradation ratio');
    expect(html).toContain('USDT per ms');
    expect(html).toContain('class="sweep-table"');
    expect(plotsIn(renderHtmlReport({ result: HAND_RESULT }))).not.toContain('mc-return');
  });

  it('is self-contained: no scripts, no external resources, a no-network CSP', () => {
    const html = renderHtmlReport(fullReportInput()).replaceAll('xmlns="http://www.w3.org/2000/svg"', '');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face/i);
    expect(html).not.toMatch(/\bsrc=|https?:\/\//i);
    for (const m of html.matchAll(/url\(([^)]*)\)/g)) expect(m[1]!.startsWith('#')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('is deterministic: same input, same bytes', () => {
    expect(renderHtmlReport(fullReportInput())).toBe(renderHtmlReport(fullReportInput()));
  });

  it('escapes user text', () => {
    const html = renderHtmlReport({
      result: { ...HAND_RESULT, strategy: '<script>alert(1)</script>', params: { 'a"b': '<i>' } },
    });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a&quot;b=&lt;i&gt;');
  });

  it('an empty run renders every plot with a message, and no NaN/Infinity text', () => {
    const empty: BacktestResult = {
      ...HAND_RESULT,
      orders: [],
      fills: [],
      roundTrips: [],
      equity: [],
      endTs: HAND_RESULT.startTs,
    };
    const html = renderHtmlReport({ result: empty });
    expect(plotsIn(html)).toEqual([...RUN_PLOTS]);
    expect(html).toContain('No equity samples');
    expect(html).toContain('No closed round trips');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('random runs never print NaN, Infinity or undefined', () => {
    for (const seed of [1, 2, 3, 4]) {
      const html = renderHtmlReport(fullReportInput(randomResult({ seed, points: 500 })));
      expect(html).not.toMatch(/NaN|Infinity|undefined/);
    }
  });

  it('downsamples long series: 200,000 equity samples stay a few thousand points', () => {
    const big = randomResult({ seed: 9, points: 200_000, intervalUs: 100_000, orderRate: 0.002 });
    const html = renderHtmlReport({ result: big });
    const vertices = longestPathVertices(plot(html, 'equity'));
    expect(vertices).toBeLessThanOrEqual(4 * 880);
    expect(vertices).toBeGreaterThan(800);
    expect(html.length).toBeLessThan(2_000_000);
  });
});
