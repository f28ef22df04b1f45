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
      // Something is actually drawn: marks with a non-empty rendered box.
      const marks = await svg.evaluate((el) => {
        const shapes = [...el.querySelectorAll('g.data path, g.data rect, g.data circle')] as Shape[];
        const drawn = shapes.filter((s) => {
          const b = s.getBBox();
          return b.width > 0 || b.height > 0;
        });
        return { shapes: shapes.length, drawn: drawn.length, ticks: el.querySelectorAll('text.tick').length };
      });
      expect(marks.drawn, `${name}: drawn marks`).toBeGreaterThan(0);
      expect(marks.ticks, `${name}: tick labels`).toBeGreaterThan(2);
      expect(await svg.locator('text.plot-title').textContent(), name).toBeTruthy();
    }

    // The equity line spans the plot; the price plot shows buy and sell fills.
    const equityWidth = await page
      .locator('svg[data-plot="equity"] path.series.equity')
      .evaluate((p) => (p as unknown as Shape).getBBox().width);
    expect(equityWidth).toBeGreaterThan(700);
    expect(await page.locator('svg[data-plot="price"] path.marker.buy').count()).toBeGreaterThan(5);
    expect(await page.locator('svg[data-plot="price"] path.marker.sell').count()).toBeGreaterThan(5);
    expect(await page.locator('svg[data-plot="pnl-distribution"] rect.bar').count()).toBeGreaterThan(3);
    // Time axes are labelled in UTC.
    expect(await page.locator('svg[data-plot="equity"] text.axis-label').first().textContent()).toMatch(
      /^Time \(UTC/,
    );

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
    const stroke = await page
      .locator('svg[data-plot="equity"] path.series.equity')
      .evaluate((p) => getComputedStyle(p).stroke);
    expect(stroke).toBe('rgb(96, 165, 250)');
    await page.screenshot({ path: join(outDir, 'report-dark.png'), fullPage: true });
    await page.close();
  });
});
