/**
 * A FIFO queue of weighted requests in front of a TokenBucket: a request runs when the bucket holds
 * its weight, strictly in arrival order (a heavy snapshot is not starved by a stream of light ones).
 * The venue can also pause us outright (HTTP 429/418 with Retry-After) or tell us how much of its
 * budget we used (Binance X-MBX-USED-WEIGHT-1M), which empties the bucket when we are near the limit.
 */
import type { CancelTimer, Clock } from '../connectors/clock.ts';
import { type RateLimitPolicy, TokenBucket } from './token-bucket.ts';

interface Waiter {
  readonly weight: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export interface LimiterStats {
  granted: number;
  grantedWeight: number;
  /** Requests that had to wait. */
  delayed: number;
  /** Times the venue paused us (429/418) or reported near-limit usage. */
  pauses: number;
  /** Largest queue length seen. */
  maxQueue: number;
  /** Requests heavier than the bucket (they may push a window past the limit; see TokenBucket). */
  oversized: number;
}

export class WeightedLimiter {
  readonly bucket: TokenBucket;
  readonly stats: LimiterStats = {
    granted: 0,
    grantedWeight: 0,
    delayed: 0,
    pauses: 0,
    maxQueue: 0,
    oversized: 0,
  };
  private readonly queue: Waiter[] = [];
  private pausedUntil = 0;
  private timer: CancelTimer | undefined;

  constructor(
    readonly policy: RateLimitPolicy,
    private readonly clock: Pick<Clock, 'nowMs' | 'setTimer'>,
  ) {
    this.bucket = new TokenBucket(policy, clock.nowMs());
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Resolves when `weight` has been taken from the budget. Rejects if `signal` aborts first. */
  acquire(weight: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.queue.length === 0 && this.clock.nowMs() >= this.pausedUntil && this.take(weight)) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        weight,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal?.reason);
          this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.stats.delayed++;
      if (this.queue.length > this.stats.maxQueue) this.stats.maxQueue = this.queue.length;
      this.pump();
    });
  }

  /** Stop granting for `ms` (the venue said so). */
  pauseFor(ms: number): void {
    const until = this.clock.nowMs() + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
    this.bucket.drain(this.clock.nowMs());
    this.stats.pauses++;
    this.reschedule();
  }

  /** The venue reports `used` weight of its `limit` in the current window; near the limit we stop spending. */
  observeUsed(used: number): void {
    if (used >= this.policy.limit * 0.9) {
      this.bucket.drain(this.clock.nowMs());
      this.stats.pauses++;
    }
  }

  /** Reject everything waiting (shutdown). */
  clear(reason: unknown): void {
    this.timer?.();
    this.timer = undefined;
    for (const w of this.queue.splice(0)) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(reason);
    }
  }

  private take(weight: number): boolean {
    if (!this.bucket.tryTake(weight, this.clock.nowMs())) return false;
    this.stats.granted++;
    this.stats.grantedWeight += weight;
    if (weight > this.bucket.capacity) this.stats.oversized++;
    return true;
  }

  private pump(): void {
    const now = this.clock.nowMs();
    if (now < this.pausedUntil) {
      this.reschedule();
      return;
    }
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (!this.take(head.weight)) break;
      this.queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
    this.reschedule();
  }

  private reschedule(): void {
    this.timer?.();
    this.timer = undefined;
    const head = this.queue[0];
    if (!head) return;
    const now = this.clock.nowMs();
    const wait = Math.max(this.pausedUntil - now, this.bucket.msUntil(head.weight, now), 1);
    if (!Number.isFinite(wait)) return;
    this.timer = this.clock.setTimer(wait, () => {
      this.timer = undefined;
      this.pump();
    });
  }
}
