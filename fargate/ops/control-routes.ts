/**
 * The trading control plane over HTTP, mounted on the ops server beside the dashboard. Each route
 * only translates HTTP to one TradingControl call, so the dashboard, curl and the cloud's
 * kill-switch URL stop, reset and tune trading the same way.
 *
 *   POST /kill             no token: stopping must always be possible. Body optional,
 *                          `{"reason": "…"}`; an unreadable body still kills (with the default
 *                          reason) — 200 with the KillReport
 *   GET  /status           TradingStatusJson
 *   POST /reset            admin token — the ControlResult (200, or its 400 / 401 / 409)
 *   GET  /risk/params      the risk limits in force
 *   PUT  /risk/params      admin token, JSON body validated whole by the control: an invalid body
 *                          is answered 400 with every problem and changes nothing
 *   GET  /strategy/params  the strategy's name and parameters
 *   PUT  /strategy/params  admin token, as PUT /risk/params
 *
 * The admin token comes as `Authorization: Bearer <token>`; missing or wrong → 401 `{error}`,
 * checked before the body is looked at, in constant time (core/risk/admin-token.ts, the check the
 * circuit breaker's reset uses). The token is never logged nor echoed. Every answer is
 * JSON; a PUT body must be `application/json` (415 otherwise) — which a cross-site form cannot
 * send without the browser asking first.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../../core/control/bearer-token.ts';
import { killReason } from '../../core/control/kill-reason.ts';
import { adminTokenMatches } from '../../core/risk/admin-token.ts';
import type { ControlResult, TradingControl } from '../../core/trading/trading-control.ts';
import { type Route, type Routes, sendJson } from './ops-server.ts';

export interface ControlRoutesOptions {
  readonly adminToken: string;
  /** Lines for humans (what was asked and what came of it; never a token). */
  readonly log?: (line: string) => void;
}

export { DEFAULT_KILL_REASON } from '../../core/control/kill-reason.ts';

export function controlRoutes(control: TradingControl, options: ControlRoutesOptions): Routes {
  if (options.adminToken.length === 0) throw new Error('the control routes need a non-empty admin token');
  const log = options.log ?? (() => {});

  /** The bearer token when it is the admin token; otherwise answers 401 and returns undefined. */
  const authorized = (req: IncomingMessage, res: ServerResponse, action: string): string | undefined => {
    const given = bearerToken(req.headers.authorization);
    if (given === undefined) {
      log(`control: ${action} refused: no admin token`);
      unauthorized(res, 'admin token required (Authorization: Bearer <token>)');
      return undefined;
    }
    if (!adminTokenMatches(given, options.adminToken)) {
      log(`control: ${action} refused: wrong admin token`);
      unauthorized(res, 'admin token refused');
      return undefined;
    }
    return given;
  };

  const putParams =
    (action: string, apply: (body: unknown, token: string) => ControlResult): Route =>
    (req, res, raw) => {
      const token = authorized(req, res, action);
      if (token === undefined) return;
      const body = jsonBody(req, raw);
      if (!body.ok) {
        sendJson(res, body.status, { error: body.error });
        return;
      }
      const result = apply(body.value, token);
      log(`control: ${action} ${result.ok ? 'applied' : `refused (${result.problems.length} problems)`}`);
      answer(res, result);
    };

  return {
    '/kill': {
      POST: async (_req, res, raw) => {
        const reason = killReason(raw.toString('utf8'));
        log(`control: kill requested: ${reason}`);
        const report = await control.kill(reason);
        log(`control: killed, ${report.cancelled} orders cancelled in ${report.cancelLatencyMs} ms`);
        sendJson(res, 200, report);
      },
    },
    '/status': { GET: (_req, res) => sendJson(res, 200, control.status()) },
    '/reset': {
      POST: (req, res) => {
        const token = authorized(req, res, 'reset');
        if (token === undefined) return;
        const result = control.reset(token);
        log(`control: reset ${result.ok ? 'done' : `refused: ${result.problems.join('; ')}`}`);
        answer(res, result);
      },
    },
    '/risk/params': {
      GET: (_req, res) => sendJson(res, 200, control.riskParams()),
      PUT: putParams('risk params', (body, token) => control.setRiskParams(body, token)),
    },
    '/strategy/params': {
      GET: (_req, res) => sendJson(res, 200, control.status().strategy),
      PUT: putParams('strategy params', (body, token) => control.setStrategyParams(body, token)),
    },
  };
}

function unauthorized(res: ServerResponse, error: string): void {
  sendJson(res, 401, { error }, { 'www-authenticate': 'Bearer' });
}

function answer(res: ServerResponse, result: ControlResult): void {
  sendJson(res, result.ok ? 200 : result.status, result);
}

type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 415; readonly error: string };

function jsonBody(req: IncomingMessage, raw: Buffer): JsonBody {
  const type = req.headers['content-type'];
  if (type === undefined || !/^application\/json\s*(;|$)/i.test(type))
    return { ok: false, status: 415, error: 'the body must be JSON (content-type: application/json)' };
  if (raw.length === 0) return { ok: false, status: 400, error: 'a JSON body is required' };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    return { ok: false, status: 400, error: `the body is not valid JSON: ${(error as Error).message}` };
  }
}
