/**
 * The report as a user sees it: rendered to a folder, opened in headless Chromium, checked for
 * its title, every plot drawn and visible, no console errors and no network requests beyond the
 * file itself. A screenshot is saved to the temp folder (path printed) for a human look.
 * The browser comes from the `@sparticuz/chromium` package: one that cannot start FAILS, never skips.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunReport } from '../../../local/report/write-run-report.ts';
import { fullReportInput, OPTIONAL_PLOTS, RUN_PLOTS } from '../../core/backtest/report/full-report-input.ts';
import { suiteBrowser } from '../../support/headless-chromium.ts';

// The evaluate() callbacks run in the page. The project compiles without the DOM lib, so the few
// browser names they use are declared here.
declare const document: { readonly documentElement: unknown };
declare function getComputedStyle(element: unknown): {
  readonly backgroundColor: string;
  readonly stroke: string;
  readonly fill: string;
};
interface Shape {
  getBBox(): { readonly width: number; readonly height: number };
}

const browser = suiteBrowser();
let reportUrl: string;
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'report-page-'));
  await writeRunReport(outDir, fullReportInput(), { parquet: false });
  reportUrl = pathToFileURL(join(outDir, 'report.html')).href;
}, 60_000);

afterAll(async () => {
  await browser.close();
});

describe('HTML report in headless Chromium', () => {
  it('opens offline with every plot drawn, no console errors, no requests but the file', async () => {
    const page = await (await browser.get()).newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(reportUrl, { waitUntil: 'load' });

    expect(await page.title()).toBe('Backtest: market-maker · balanced · random-7');
    expect(await page.locator('h1').textContent()).toBe('market-maker · balanced');

    for (const name of [...RUN_PLOTS, ...OPTIONAL_PLOTS]) {
      const svg = page.locator(`svg[data-plot="${name}"]`);
      expect(await svg.count(), name).toBe(1);
      await svg.scrollIntoViewIfNeeded();
      expect(await svg.isVisible(), name).toBe(true);
      const box = await svg.boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.width, name).toBeGreaterThan(300);
      expect(box!.height, name).toBeGreaterThan(150);
      // Something is actually drawn: shapes with a non-empty rendered box, tick and title texts.
      const marks = await svg.evaluate((el) => {
        const shapes = [...el.querySelectorAll('path, rect')] as Shape[];
        const drawn = shapes.filter((s) => {
          const b = s.getBBox();
          return b.width > 0 || b.height > 0;
        });
        return {
          drawn: drawn.length,
          data: el.querySelectorAll('[ecmeta_ssr_type="chart"]').length,
          texts: el.querySelectorAll('text').length,
        };
      });
      expect(marks.drawn, `${name}: drawn shapes`).toBeGreaterThan(10);
      expect(marks.texts, `${name}: texts`).toBeGreaterThan(4);
      const title = await svg.locator('title').first().textContent();
      expect(title, name).toBeTruthy();
      expect(await svg.locator('text', { hasText: title! }).count(), name).toBeGreaterThan(0);
    }

    // The equity line spans the plot; the price plot shows buy and sell fills; bars are drawn.
    const equityWidth = await page.locator('svg[data-plot="equity"]').evaluate((el) => {
      const paths = [...el.querySelectorAll('path')] as (Shape & {
        getAttribute(n: string): string | null;
      })[];
      const longest = paths.reduce((a, b) =>
        (b.getAttribute('d') ?? '').length > (a.getAttribute('d') ?? '').length ? b : a,
      );
      return longest.getBBox().width;
    });
    expect(equityWidth).toBeGreaterThan(700);
    const data = (plot: string, series: number) =>
      page
        .locator(`svg[data-plot="${plot}"] [ecmeta_series_index="${series}"][ecmeta_ssr_type="chart"]`)
        .count();
    expect(await data('price', 1)).toBeGreaterThan(5);
    expect(await data('price', 2)).toBeGreaterThan(5);
    expect(
      await page.locator('svg[data-plot="pnl-distribution"] [ecmeta_ssr_type="chart"]').count(),
    ).toBeGreaterThan(3);
    // Time axes are labelled in UTC.
    expect(await page.locator('svg[data-plot="equity"] text', { hasText: /^Time \(UTC/ }).count()).toBe(1);

    const shot = join(outDir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(50_000);
    console.log(`report screenshot: ${shot}`);

    expect(errors).toEqual([]);
    expect(requests).toEqual([reportUrl]);
    await page.close();
  });

  it('renders in the dark theme too', async () => {
    const page = await (await browser.get()).newPage({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'dark',
    });
    await page.goto(reportUrl);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe('rgb(14, 19, 26)');
    // The light chart colours are repainted by the dark stylesheet: title ink, grid lines.
    const title = await page
      .locator('svg[data-plot="equity"] text', { hasText: /^Equity$/ })
      .evaluate((t) => getComputedStyle(t).fill);
    expect(title).toBe('rgb(230, 234, 240)');
    const grid = await page
      .locator('svg[data-plot="equity"] path[stroke="#edf0f5"]')
      .first()
      .evaluate((p) => getComputedStyle(p).stroke);
    expect(grid).toBe('rgb(31, 40, 53)');
    await page.screenshot({ path: join(outDir, 'report-dark.png'), fullPage: true });
    await page.close();
  });
});
