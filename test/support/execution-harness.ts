/**
 * Shared pieces of the execution integration tests (an adapter over the wire against a simulator's
 * signed private API): the checked-order mint, a recorder of execution reports, the wait on a wire
 * condition, the `/sim/state` reader, the capture of log lines and signatures that every test
 * searches for secrets, and the closing of what a test started.
 */
import { afterEach, expect } from 'vitest';
import type { ExchangeId } from '../../core/market/exchange.ts';
import {
  type AmendRequest,
  type CheckedAmend,
  type CheckedMint,
  claimCheckedMint,
  type OrderRequest,
} from '../../core/risk/order-check.ts';
import type { ExecutionReports } from '../../core/trading/execution-venue.ts';
import type { Simulators } from '../../local/exchanges/start-simulators.ts';

// The risk gate claims the mint when it is loaded; the execution tests load no risk gate.
const mint = claimCheckedMint() as CheckedMint;
let nextId = 1;

/** A checked limit order (unless `o` says otherwise), numbered in submission order. */
export function order(
  o: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'price' | 'size'>,
): ReturnType<CheckedMint['order']> {
  return mint.order({ id: nextId++, instrument: 0, type: 'limit', postOnly: false, ioc: false, ...o });
}

/** A checked amend of an order placed through `order`. */
export function amend(request: AmendRequest): CheckedAmend {
  return mint.amend(request);
}

export interface Report {
  kind: string;
  id: number;
  tradeId?: string;
  size?: number;
  reason?: string;
}

export function recorder(): { reports: Report[]; sink: ExecutionReports } {
  const reports: Report[] = [];
  return {
    reports,
    sink: {
      accepted: (id) => reports.push({ kind: 'accepted', id }),
      filled: (id, tradeId, _p, size) => reports.push({ kind: 'filled', id, tradeId, size }),
      canceled: (id) => reports.push({ kind: 'canceled', id }),
      rejected: (id, reason) => reports.push({ kind: 'rejected', id, reason }),
      amended: (id, _p, size) => reports.push({ kind: 'amended', id, size }),
      requestRejected: (id, reason) => reports.push({ kind: 'requestRejected', id, reason }),
      expired: (id) => reports.push({ kind: 'expired', id }),
    },
  };
}

/** The ids acknowledged so far, sorted. */
export function acceptedIds(reports: readonly Report[]): number[] {
  return reports
    .filter((r) => r.kind === 'accepted')
    .map((r) => r.id)
    .sort();
}

/** The size filled so far, of order `id` or (without it) of every order. */
export function filledSize(reports: readonly Report[], id?: number): number {
  return reports
    .filter((r) => r.kind === 'filled' && (id === undefined || r.id === id))
    .reduce((s, r) => s + r.size!, 0);
}

/** Waits (real time: the simulator answers over sockets) until `cond` holds, at most `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One account in the simulator's `/sim/state`; each venue's test narrows it to its wire form. */
export interface SimAccountState {
  openOrders: unknown[];
  fills: unknown[];
  balances: Record<string, { free: string; locked: string }>;
}

export async function simState<T = SimAccountState>(
  sims: Simulators,
  exchange: ExchangeId,
  apiKey: string,
): Promise<T> {
  const res = await fetch(`${sims.urls[exchange]!.rest}/sim/state`);
  const body = (await res.json()) as { accounts: Record<string, T> };
  return body.accounts[apiKey]!;
}

/** The log lines and the signatures an adapter under test put out; `reset` after each test. */
export class WireCapture {
  readonly logs: string[] = [];
  readonly signatures: string[] = [];
  readonly log = (line: string): void => {
    this.logs.push(line);
  };

  /** A fetch that records the signatures `read` finds in each request, read from the request itself. */
  recordingFetch(
    read: (input: Parameters<typeof fetch>[0], init?: RequestInit) => readonly string[],
  ): typeof fetch {
    return (input, init) => {
      this.signatures.push(...read(input, init));
      return fetch(input, init);
    };
  }

  /** Something was signed and logged, and no log line holds a secret, the key or a signature. */
  expectNoSecretsLogged(...secrets: string[]): void {
    expect(this.signatures.length).toBeGreaterThan(0);
    expect(this.logs.length).toBeGreaterThan(0);
    for (const line of this.logs) {
      for (const s of secrets) expect(line).not.toContain(s);
      for (const s of this.signatures) expect(line).not.toContain(s);
    }
  }

  reset(): void {
    this.logs.length = 0;
    this.signatures.length = 0;
  }
}

export interface Closable {
  close(): Promise<void>;
}

/** What a test started (the simulators, then the adapter's connection), to close after it. */
export class OpenedInTest {
  private readonly open: Closable[] = [];

  /** Keeps `item` to close after the test; returns it. */
  keep<T extends Closable>(item: T): T {
    this.open.push(item);
    return item;
  }

  /** The test closed `item` itself. */
  forget(item: Closable): void {
    const i = this.open.indexOf(item);
    if (i >= 0) this.open.splice(i, 1);
  }

  /** Closes what is kept, the last kept first: the connection before the simulators it talks to. */
  async closeAll(): Promise<void> {
    for (let item = this.open.pop(); item; item = this.open.pop()) await item.close();
  }
}

/** A wire capture and an OpenedInTest for the enclosing suite, closed and reset after each test. */
export function perTestWire(): { wire: WireCapture; opened: OpenedInTest } {
  const wire = new WireCapture();
  const opened = new OpenedInTest();
  afterEach(async () => {
    await opened.closeAll();
    wire.reset();
  });
  return { wire, opened };
}
