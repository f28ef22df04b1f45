/**
 * The kill-switch URL's routes, on API Gateway HTTP API events (payload 2.0, IAM-authorized), with
 * the JSON and semantics of the task's own control routes (fargate/ops/control-routes.ts):
 *
 *   POST /kill         no admin token: stopping must always be possible (IAM still decides who
 *                      reaches the URL). Flips the control item to killed (conditional write,
 *                      epoch + 1), nudges the task through the queue, and waits for the task's
 *                      acknowledgement: 200 with the kernel's KillReport. Unconfirmed in time:
 *                      202 with a KillReport-shaped answer, `confirmed: false`, and — where the
 *                      backstop is on — the ECS service scaled to zero.
 *   GET  /status       the TradingStatusJson the task last reported; 503 before the first report
 *   POST /reset        Bearer admin token; 409 unless halted; epoch + 1 with killed false
 *   GET  /risk/params  the limits in force (as the task last reported them)
 *   PUT  /risk/params  Bearer admin token, JSON body validated whole (config/risk.ts) before it is
 *                      stored; the task applies it and answers with its own ControlResult
 *
 * Every flip is logged with who (the IAM caller ARN), why and when.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseRiskParams } from '../../config/risk.ts';
import { bearerToken } from '../../core/control/bearer-token.ts';
import type { ControlAck, ControlNotice, ControlState } from '../../core/control/control-item.ts';
import { killReason } from '../../core/control/kill-reason.ts';
import { adminTokenMatches } from '../../core/risk/admin-token.ts';
import type { ControlResult, KillReport } from '../../core/trading/trading-control.ts';
import type { ControlTable, FlipOutcome } from '../../fargate/control/control-table.ts';

export type ControlEvent = APIGatewayProxyEventV2WithIAMAuthorizer;
export type ControlResponse = APIGatewayProxyStructuredResultV2;

export interface ControlApiDeps {
  readonly table: ControlTable;
  /** Sends the notice on the control queue. */
  readonly notify: (notice: ControlNotice) => Promise<void>;
  readonly adminToken: () => Promise<string>;
  /** The backstop: the ECS service's desired count to 0 (only when turned on). */
  readonly scaleToZero?: () => Promise<void>;
  /** How long a route waits for the task's acknowledgement (ms). */
  readonly confirmWaitMs: number;
  /** Between two reads of the acknowledgement (ms). */
  readonly confirmPollMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch ms. */
  readonly now: () => number;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
}

/** Conditional writes lost to a concurrent flip before giving up. */
const MAX_CONFLICTS = 5;

export async function handleControlRequest(
  event: ControlEvent,
  deps: ControlApiDeps,
): Promise<ControlResponse> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  // Own keys only: a path or method named like an Object.prototype member must not find one.
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!route) return json(404, { error: `no route ${path}` });
  const action = Object.hasOwn(route, method) ? route[method] : undefined;
  if (!action) return json(405, { error: `${method} not allowed on ${path}` });
  return action(requestOf(event), deps);
}

interface Request {
  readonly body: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly actor: string;
}

type Action = (request: Request, deps: ControlApiDeps) => Promise<ControlResponse>;

const ROUTES: Readonly<Record<string, Readonly<Record<string, Action>>>> = {
  '/kill': { POST: kill },
  '/status': { GET: status },
  '/reset': { POST: reset },
  '/risk/params': { GET: riskParams, PUT: putRiskParams },
};

function requestOf(event: ControlEvent): Request {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
  const iam = event.requestContext.authorizer?.iam;
  return { body, headers, actor: iam?.userArn || iam?.callerId || 'unknown caller' };
}

async function kill(request: Request, deps: ControlApiDeps): Promise<ControlResponse> {
  const reason = killReason(request.body);
  const startedMs = deps.now();
  const at = new Date(startedMs).toISOString();
  const state = await flipWithRetry(deps, (c) =>
    deps.table.flip({ killed: true, reason, actor: request.actor, at }, c.epoch),
  );
  deps.log('control flip: kill', { actor: request.actor, reason, at, epoch: state.epoch });
  await nudge(deps, state);
  const ack = await awaitAck(deps, (a) => a.epoch >= state.epoch && a.kill !== undefined);
  if (ack?.kill) return json(200, ack.kill);
  let serviceScaledToZero = false;
  if (deps.scaleToZero) {
    try {
      await deps.scaleToZero();
      serviceScaledToZero = true;
      deps.log('control backstop: service scaled to zero', { actor: request.actor, epoch: state.epoch });
    } catch (error) {
      deps.log('control backstop failed', { error: String(error), epoch: state.epoch });
    }
  }
  const report: KillReport & { confirmed: false; serviceScaledToZero: boolean } = {
    at,
    reason,
    cancelled: 0,
    cancelLatencyMs: deps.now() - startedMs,
    confirmed: false,
    serviceScaledToZero,
  };
  return json(202, report);
}

async function status(_request: Request, deps: ControlApiDeps): Promise<ControlResponse> {
  const report = await deps.table.report();
  if (!report) return json(503, { error: 'the trading task has not reported its status yet' });
  return json(200, report.status, { 'x-report-age-ms': String(Math.max(0, deps.now() - report.atMs)) });
}

async function reset(request: Request, deps: ControlApiDeps): Promise<ControlResponse> {
  const denied = await authorize(request, deps, 'reset');
  if (denied) return denied;
  const [control, report] = await Promise.all([deps.table.control(), deps.table.report()]);
  const halted = control.killed || report?.status.tradingState === 'HALTED';
  if (!halted) return answer({ ok: false, status: 409, problems: ['trading is not halted'] });
  const at = new Date(deps.now()).toISOString();
  const reason = 'reset over the control URL';
  const state = await flipWithRetry(deps, (c) =>
    deps.table.flip({ killed: false, reason, actor: request.actor, at }, c.epoch),
  );
  deps.log('control flip: reset', { actor: request.actor, reason, at, epoch: state.epoch });
  await nudge(deps, state);
  const ack = await awaitAck(deps, (a) => a.epoch >= state.epoch && a.reset !== undefined);
  if (ack?.reset) return answer(ack.reset);
  return json(202, {
    ok: true,
    detail: `reset recorded as epoch ${state.epoch}; the task has not confirmed it yet`,
  });
}

async function riskParams(_request: Request, deps: ControlApiDeps): Promise<ControlResponse> {
  const report = await deps.table.report();
  if (report) return json(200, report.status.riskParams);
  const control = await deps.table.control();
  if (control.riskParams !== undefined) return json(200, JSON.parse(control.riskParams));
  return json(503, { error: 'the trading task has not reported its risk parameters yet' });
}

async function putRiskParams(request: Request, deps: ControlApiDeps): Promise<ControlResponse> {
  const denied = await authorize(request, deps, 'risk params');
  if (denied) return denied;
  const type = request.headers['content-type'];
  if (type === undefined || !/^application\/json\s*(;|$)/i.test(type))
    return json(415, { error: 'the body must be JSON (content-type: application/json)' });
  if (request.body.length === 0) return json(400, { error: 'a JSON body is required' });
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch (error) {
    return json(400, { error: `the body is not valid JSON: ${(error as Error).message}` });
  }
  const parsed = parseRiskParams(body);
  if ('problems' in parsed) return answer({ ok: false, status: 400, problems: parsed.problems });
  const at = new Date(deps.now()).toISOString();
  const text = JSON.stringify(body);
  const state = await flipWithRetry(deps, (c) =>
    deps.table.changeParams({ riskParams: text, actor: request.actor, at }, c.paramsVersion),
  );
  deps.log('control change: risk params', { actor: request.actor, at, paramsVersion: state.paramsVersion });
  await nudge(deps, state);
  const ack = await awaitAck(deps, (a) => a.paramsVersion >= state.paramsVersion && a.params !== undefined);
  if (ack?.params) return answer(ack.params);
  return json(202, {
    ok: true,
    detail: `accepted as version ${state.paramsVersion}; the task has not confirmed it yet`,
  });
}

/** The admin token check of the task's routes: 401 `{error}` before the body is looked at. */
async function authorize(
  request: Request,
  deps: ControlApiDeps,
  action: string,
): Promise<ControlResponse | undefined> {
  const given = bearerToken(request.headers.authorization);
  if (given === undefined) {
    deps.log(`control: ${action} refused: no admin token`, { actor: request.actor });
    return json(
      401,
      { error: 'admin token required (Authorization: Bearer <token>)' },
      { 'www-authenticate': 'Bearer' },
    );
  }
  if (!adminTokenMatches(given, await deps.adminToken())) {
    deps.log(`control: ${action} refused: wrong admin token`, { actor: request.actor });
    return json(401, { error: 'admin token refused' }, { 'www-authenticate': 'Bearer' });
  }
  return undefined;
}

async function flipWithRetry(
  deps: ControlApiDeps,
  write: (current: ControlState) => Promise<FlipOutcome>,
): Promise<ControlState> {
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const outcome = await write(await deps.table.control());
    if (outcome !== 'conflict') return outcome;
  }
  throw new Error(`the control item changed under ${MAX_CONFLICTS} writes in a row`);
}

/** The queue is the fast path only: the task's poll of the item still sees the change. */
async function nudge(deps: ControlApiDeps, state: ControlState): Promise<void> {
  try {
    await deps.notify({
      epoch: state.epoch,
      paramsVersion: state.paramsVersion,
      killed: state.killed,
      reason: state.reason,
      actor: state.actor,
    });
  } catch (error) {
    deps.log('control queue send failed; the task will see the item on its next poll', {
      error: String(error),
    });
  }
}

async function awaitAck(
  deps: ControlApiDeps,
  done: (ack: ControlAck) => boolean,
): Promise<ControlAck | undefined> {
  const deadline = deps.now() + deps.confirmWaitMs;
  for (;;) {
    const ack = await deps.table.ack();
    if (ack && done(ack)) return ack;
    if (deps.now() >= deadline) return undefined;
    await deps.sleep(deps.confirmPollMs);
  }
}

function answer(result: ControlResult): ControlResponse {
  return json(result.ok ? 200 : result.status, result);
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ControlResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
