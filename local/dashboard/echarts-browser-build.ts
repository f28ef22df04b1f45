/**
 * ECharts' browser build (`echarts/dist/echarts.min.js`, the same package whose server-side
 * renderer draws the backtest report's charts), served by the ops server itself so the dashboard
 * draws its charts with no CDN and works offline. Read from node_modules on the first request and
 * kept; it is versioned with the package, so the browser may cache it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Route } from '../../fargate/ops/ops-server.ts';

export const ECHARTS_SCRIPT_PATH = '/assets/echarts.min.js';

/** The package exports no `dist/*` path; its CommonJS entry (`dist/echarts.js`) sits beside the minified build. */
export function echartsBrowserBuildFile(): string {
  return join(dirname(createRequire(import.meta.url).resolve('echarts')), 'echarts.min.js');
}

let script: Promise<Buffer> | undefined;

export const echartsScriptRoute: Route = async (_req, res) => {
  script ??= readFile(echartsBrowserBuildFile());
  const body = await script.catch((error: unknown) => {
    script = undefined; // a failed read is retried by the next request
    throw error;
  });
  res.writeHead(200, {
    'content-type': 'text/javascript; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'public, max-age=86400',
  });
  res.end(body);
};
