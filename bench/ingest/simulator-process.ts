/**
 * The exchange simulators of the ingest bench, in a child process of their own — the venues are on
 * other machines in production, so their work (building books, encoding JSON, writing sockets)
 * should not share the connectors' event loop. The child is this same program started again with
 * `--role simulators` (works for the esbuild bundle and under tsx alike: same script, same
 * node flags), driven over the IPC channel:
 *
 *   parent → child  { type: 'start', options }        child → parent  { type: 'ready', urls, symbols }
 *   parent → child  { type: 'ping', t }                child → parent  { type: 'pong', t, child }
 *   parent → child  { type: 'mark' }                   child → parent  { type: 'mark', cpu, rss, steps }
 *   parent → child  { type: 'stop' }                   child → parent  { type: 'stopped' } and exits
 *
 * Clocks: both processes read µs wall time as timeOrigin + performance.now(); `calibrate()` measures
 * the offset between them over the IPC channel (best of many round trips), so latency = receive
 * time − wire timestamp − offset, uncertain by at most half the best round trip.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Micros } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { startSimulators } from '../../local/exchanges/index.ts';

/** µs since the epoch from the high-resolution clock (the same formula in both processes). */
export function microsNow(): Micros {
  return Math.trunc((performance.timeOrigin + performance.now()) * 1000);
}

export interface SimulatorChildOptions {
  /** Symbols per venue. */
  symbols: number;
  /** Book messages per second per venue. */
  messagesPerSecond: number;
  tradeRatio: number;
  seed: number;
}

export interface SimulatorEndpoints {
  urls: Partial<Record<ExchangeId, { ws: string; rest: string }>>;
  symbols: Partial<Record<ExchangeId, string[]>>;
}

export interface SimulatorMark {
  /** process.cpuUsage() of the child, µs. */
  cpu: { user: number; system: number };
  rss: number;
  /** Synthetic steps made so far, per venue. */
  steps: Partial<Record<ExchangeId, number>>;
}

type ToChild =
  | { type: 'start'; options: SimulatorChildOptions }
  | { type: 'ping'; t: number }
  | { type: 'mark' }
  | { type: 'stop' };
type ToParent =
  | ({ type: 'ready' } & SimulatorEndpoints)
  | { type: 'pong'; t: number; child: number }
  | ({ type: 'mark' } & SimulatorMark)
  | { type: 'stopped' }
  | { type: 'error'; message: string };

/** The child's side: serve until told to stop. */
export async function runSimulatorChild(): Promise<void> {
  const send = (m: ToParent) => process.send?.(m);
  let sims: Awaited<ReturnType<typeof startSimulators>> | undefined;
  const steps = () => {
    const out: Partial<Record<ExchangeId, number>> = {};
    if (sims) for (const e of Object.keys(sims.urls) as ExchangeId[]) out[e] = sims.synthetic(e)?.steps ?? 0;
    return out;
  };
  process.on('message', (raw: unknown) => {
    const m = raw as ToChild;
    void (async () => {
      try {
        if (m.type === 'start') {
          sims = await startSimulators({
            source: 'synthetic',
            symbols: m.options.symbols,
            messagesPerSecond: m.options.messagesPerSecond,
            tradeRatio: m.options.tradeRatio,
            seed: m.options.seed,
            clock: microsNow,
          });
          const symbols: Partial<Record<ExchangeId, string[]>> = {};
          for (const e of Object.keys(sims.urls) as ExchangeId[]) symbols[e] = sims.symbols(e);
          send({ type: 'ready', urls: sims.urls, symbols });
        } else if (m.type === 'ping') send({ type: 'pong', t: m.t, child: microsNow() });
        else if (m.type === 'mark')
          send({ type: 'mark', cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), steps: steps() });
        else if (m.type === 'stop') {
          await sims?.close();
          send({ type: 'stopped' });
          process.disconnect?.();
        }
      } catch (error) {
        send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // The parent went away (or disconnected after 'stop'): leave.
  process.on('disconnect', () => {
    void (sims?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
}

export interface SimulatorProcess extends SimulatorEndpoints {
  readonly pid: number;
  /** Child clock − parent clock (µs) and its uncertainty (half the best round trip, µs). */
  calibrate(rounds?: number): Promise<{ offsetMicros: number; uncertaintyMicros: number }>;
  mark(): Promise<SimulatorMark>;
  stop(): Promise<void>;
}

/** Start the child and its simulators; resolves once every venue listens. */
export async function startSimulatorProcess(
  script: string,
  options: SimulatorChildOptions,
): Promise<SimulatorProcess> {
  const child: ChildProcess = fork(script, ['--role', 'simulators'], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: Array<{
    type: ToParent['type'];
    resolve: (m: ToParent) => void;
    reject: (e: Error) => void;
  }> = [];
  let exited = false;
  child.on('message', (raw: unknown) => {
    const m = raw as ToParent;
    if (m.type === 'error') {
      for (const w of waiters.splice(0)) w.reject(new Error(`simulator process: ${m.message}`));
      return;
    }
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
  });
  child.on('exit', (code) => {
    exited = true;
    for (const w of waiters.splice(0)) w.reject(new Error(`simulator process exited (${code})`));
  });
  const request = <T extends ToParent['type']>(message: ToChild, reply: T) =>
    new Promise<Extract<ToParent, { type: T }>>((resolve, reject) => {
      if (exited) {
        reject(new Error('simulator process is gone'));
        return;
      }
      waiters.push({ type: reply, resolve: resolve as (m: ToParent) => void, reject });
      child.send(message);
    });

  const ready = await request({ type: 'start', options }, 'ready');
  return {
    pid: child.pid ?? 0,
    urls: ready.urls,
    symbols: ready.symbols,
    async calibrate(rounds = 200) {
      let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
      for (let i = 0; i < rounds; i++) {
        const t0 = microsNow();
        const pong = await request({ type: 'ping', t: t0 }, 'pong');
        const t1 = microsNow();
        if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: pong.child - (t0 + t1) / 2 };
      }
      return { offsetMicros: best.offset, uncertaintyMicros: best.rtt / 2 };
    },
    async mark() {
      const m = await request({ type: 'mark' }, 'mark');
      return { cpu: m.cpu, rss: m.rss, steps: m.steps };
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await request({ type: 'stop' }, 'stopped');
      } catch {
        // exited meanwhile
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
