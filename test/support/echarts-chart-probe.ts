/**
 * What an ECharts chart in a page shows, read in the page: whether the element holds an ECharts
 * instance (`echarts.getInstanceByDom`), the size of the canvas or SVG it drew into, and each
 * series' name and number of points (from `getOption()`).
 */
import type { Locator } from 'playwright-core';

export interface ChartProbe {
  readonly instance: boolean;
  readonly width: number;
  readonly height: number;
  readonly series: ReadonlyArray<{ readonly name: string; readonly points: number }>;
}

// The evaluate() callback runs in the page. The project compiles without the DOM lib, so the
// browser names it uses are declared here.
interface DrawnSurface {
  getBoundingClientRect(): { readonly width: number; readonly height: number };
}
interface ChartElement {
  querySelector(selector: string): DrawnSurface | null;
}
interface PageWindow {
  readonly echarts?: {
    getInstanceByDom(
      el: ChartElement,
    ): { getOption(): { series?: ReadonlyArray<{ name?: string; data?: readonly unknown[] }> } } | undefined;
  };
}
declare const window: PageWindow;

export function probeChart(chart: Locator): Promise<ChartProbe> {
  return chart.evaluate((node) => {
    const el = node as unknown as ChartElement;
    const instance = window.echarts?.getInstanceByDom(el);
    const box = el.querySelector('canvas, svg')?.getBoundingClientRect();
    const series = instance?.getOption().series ?? [];
    return {
      instance: instance !== undefined,
      width: box?.width ?? 0,
      height: box?.height ?? 0,
      series: series.map((s) => ({ name: s.name ?? '', points: s.data?.length ?? 0 })),
    };
  });
}
