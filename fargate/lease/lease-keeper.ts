/**
 * Keeps the trading lease while the task trades: renews it every `renewEveryMs` and calls `onLost`
 * once when a renewal is refused (another task holds it now) or the lease lapses because renewals
 * kept failing (DynamoDB unreachable past the expiry). The task stops trading on `onLost`.
 */
import type { TradingLease } from './trading-lease.ts';

export interface LeaseKeeperOptions {
  readonly lease: TradingLease;
  /** Default 10 000 ms (a third of the default TTL). */
  readonly renewEveryMs?: number;
  readonly onLost: (why: string) => void;
  readonly onError?: (error: unknown) => void;
  /** Repeating timer (default setInterval, unref'd); returns a cancel function. */
  readonly every?: (ms: number, fn: () => void) => () => void;
}

function defaultEvery(ms: number, fn: () => void): () => void {
  const t = setInterval(fn, ms);
  t.unref?.();
  return () => clearInterval(t);
}

export class LeaseKeeper {
  private stopTimer: (() => void) | undefined;
  private lost = false;
  private renewing = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  start(): void {
    const every = this.options.every ?? defaultEvery;
    this.stopTimer = every(this.options.renewEveryMs ?? 10_000, () => void this.tick());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  /** One renewal (what the timer runs). */
  async tick(): Promise<void> {
    if (this.lost || this.renewing) return;
    this.renewing = true;
    try {
      if (!(await this.options.lease.renew())) this.lose('lease taken by another task');
    } catch (error) {
      this.options.onError?.(error);
      if (!this.options.lease.current()) this.lose('lease expired: renewals failed');
    } finally {
      this.renewing = false;
    }
  }

  private lose(why: string): void {
    if (this.lost) return;
    this.lost = true;
    this.stop();
    this.options.onLost(why);
  }
}
