/**
 * The container health check of the live task (ECS runs `node dist/health-check.mjs` inside the
 * container): GET the ops server's `/health` on loopback and exit 0 only when it answers 200 with
 * `ok: true` — every venue fresh (a message within the ops server's max age), with a book, and with
 * a trusted book once the start-up grace is over (fargate/ops/ops-server.ts). Anything else — a
 * stale or silent feed (503), no answer within the timeout, a body that is not the health report —
 * exits 1 with one line saying why, and after the configured retries ECS replaces the task.
 *
 * The port is the ops server's: `PORT`, default 3000 (bin/cli.ts). The ops server binds 127.0.0.1,
 * which is where this script runs.
 */
import { pathToFileURL } from 'node:url';
import type { Health } from '../ops/live-market-state.ts';

export const DEFAULT_PORT = 3000;
export const DEFAULT_TIMEOUT_MS = 3000;
/** ECS keeps a bounded output of a health check; one short line is what a person reads. */
const MAX_DETAIL = 400;

export interface HealthVerdict {
  readonly healthy: boolean;
  readonly detail: string;
}

/** The /health URL for a `PORT` value (unset or invalid → the default port). */
export function healthUrl(port: string | undefined): string {
  const n = Number(port);
  const valid = Number.isInteger(n) && n > 0 && n < 65536;
  return `http://127.0.0.1:${valid ? n : DEFAULT_PORT}/health`;
}

function isHealth(body: unknown): body is Health {
  if (typeof body !== 'object' || body === null) return false;
  const { ok, venues } = body as { ok?: unknown; venues?: unknown };
  return typeof ok === 'boolean' && Array.isArray(venues);
}

/** `binance: silent for 12000 ms (limit 10000 ms); kraken: no trusted book (…)`. */
function describeProblems(health: Health): string {
  const lines = health.venues
    .filter((v) => !v.ok)
    .map((v) => `${String(v.exchange)}: ${Array.isArray(v.problems) ? v.problems.join(', ') : 'not ok'}`);
  return lines.length > 0 ? lines.join('; ') : 'not ok';
}

function bounded(text: string): string {
  return text.length <= MAX_DETAIL ? text : `${text.slice(0, MAX_DETAIL - 1)}…`;
}

export async function checkHealth(
  url: string,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<HealthVerdict> {
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      healthy: false,
      detail: timedOut ? `no answer within ${timeoutMs} ms` : 'ops server unreachable',
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { healthy: false, detail: `HTTP ${status}, body is not JSON` };
  }
  if (!isHealth(body)) return { healthy: false, detail: `HTTP ${status}, body is not a health report` };
  if (status === 200 && body.ok) return { healthy: true, detail: `healthy (${body.venues.length} venues)` };
  return { healthy: false, detail: bounded(`HTTP ${status}: ${describeProblems(body)}`) };
}

async function main(): Promise<void> {
  const verdict = await checkHealth(healthUrl(process.env.PORT));
  (verdict.healthy ? process.stdout : process.stderr).write(`${verdict.detail}\n`);
  process.exitCode = verdict.healthy ? 0 : 1;
}

/**
 * Run only as the health-check program itself. The live task's bundle imports DEFAULT_PORT from
 * here, and in that bundle `import.meta.url` is the entry's URL too, so the file name decides.
 */
const entry = process.argv[1];
if (
  entry !== undefined &&
  /(^|[\\/])health-check\.[cm]?[jt]s$/.test(entry) &&
  import.meta.url === pathToFileURL(entry).href
)
  void main();
