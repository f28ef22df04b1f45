/**
 * The ops-server routes that make up the local dashboard: the page at `/` and the ECharts browser
 * build it loads from the same server.
 */
import type { Routes } from '../../fargate/ops/ops-server.ts';
import { DASHBOARD_HTML } from './dashboard-page.ts';
import { ECHARTS_SCRIPT_PATH, echartsScriptRoute } from './echarts-browser-build.ts';

export function dashboardRoutes(): Routes {
  return {
    '/': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(DASHBOARD_HTML);
    },
    [ECHARTS_SCRIPT_PATH]: echartsScriptRoute,
  };
}
