/**
 * The circuit breaker: what stops trading by itself, and the kill switch.
 *
 * Triggers: the day's loss or the rolling drawdown past its limit (the gate's `onPnl`), a
 * reconciliation mismatch (`onReconciliationMismatch`), every book untrusted for longer than
 * staleBooksHaltSeconds (`onBookTrust`, `onTime`), and a manual kill (`kill`). A trigger sets
 * HALTED with its reason and returns a `BreakerAction` — cancel every order, raise an alert — for
 * the kernel to carry out: the breaker does no I/O. A trigger while already HALTED returns null
 * (the orders are already being cancelled), except a manual kill, which always asks again.
 *
 * Stale books: the timer starts when the last trusted book stops being trusted, and only once
 * some book has been trusted since start (books awaiting their first snapshot at start-up have no
 * orders on them to protect). "Longer than": exactly staleBooksHaltSeconds does not trip.
 *
 * The state is a plain JSON snapshot `{state, reason, at}` the kernel journals; `restore` reads
 * one back, so a restart stays HALTED. An unreadable snapshot restores HALTED (fail closed).
 *
 * Leaving HALTED takes `reset` with the admin token (compared in constant time, admin-token.ts;
 * the caller passes the secret from its environment, the breaker keeps no copy). The kernel's part
 * is to reset only after a clean reconciliation pass. `setState` moves between ACTIVE and
 * REDUCING and never leaves HALTED.
 */
import type { BookTrust } from '../market/events.ts';
import { adminTokenMatches } from './admin-token.ts';
import { TRADING_STATES, type TradingState, type TradingStatus } from './trading-state.ts';

export type BreakerTrigger = 'daily_loss' | 'drawdown' | 'reconciliation' | 'stale_books' | 'manual';

export interface BreakerAlert {
  readonly trigger: BreakerTrigger;
  readonly state: 'HALTED';
  readonly reason: string;
  readonly at: number;
}

/** What the kernel does when the breaker trips. */
export interface BreakerAction {
  readonly cancelAll: true;
  readonly alert: BreakerAlert;
}

export type ResetResult = 'reset' | 'refused' | 'not_halted';

export class CircuitBreaker {
  #state: TradingState = 'ACTIVE';
  #reason = 'start';
  #at = 0;
  readonly #trusted: Uint8Array;
  #trustedCount = 0;
  #everTrusted = false;
  /** Event time the last trusted book went untrusted; NaN while some book is trusted. */
  #staleSince = Number.NaN;
  #staleLimitMicros: number;

  constructor(instrumentCount: number, staleBooksHaltMicros: number) {
    this.#trusted = new Uint8Array(instrumentCount);
    this.#staleLimitMicros = staleBooksHaltMicros;
  }

  get state(): TradingState {
    return this.#state;
  }
  get reason(): string {
    return this.#reason;
  }
  get at(): number {
    return this.#at;
  }

  setStaleLimit(staleBooksHaltMicros: number): void {
    this.#staleLimitMicros = staleBooksHaltMicros;
  }

  /** Trip for `trigger`; null when already HALTED (manual kills always return the action). */
  trip(trigger: BreakerTrigger, detail: string, now: number): BreakerAction | null {
    if (this.#state === 'HALTED' && trigger !== 'manual') return null;
    this.#state = 'HALTED';
    this.#reason = `${trigger}: ${detail}`;
    this.#at = now;
    return { cancelAll: true, alert: { trigger, state: 'HALTED', reason: this.#reason, at: now } };
  }

  kill(detail: string, now: number): BreakerAction {
    return this.trip('manual', detail, now) as BreakerAction;
  }

  onReconciliationMismatch(detail: string, now: number): BreakerAction | null {
    return this.trip('reconciliation', detail, now);
  }

  onBookTrust(instrument: number, trust: BookTrust, now: number): BreakerAction | null {
    if (instrument >= 0 && instrument < this.#trusted.length) {
      const was = this.#trusted[instrument] === 1;
      const is = trust === 'trusted';
      if (is && !was) {
        this.#trusted[instrument] = 1;
        this.#trustedCount++;
        this.#everTrusted = true;
        this.#staleSince = Number.NaN;
      } else if (was && !is) {
        this.#trusted[instrument] = 0;
        this.#trustedCount--;
        if (this.#trustedCount === 0) this.#staleSince = now;
      }
    }
    return this.onTime(now);
  }

  /** Event time passing with no other input (the stale-books timer). */
  onTime(now: number): BreakerAction | null {
    if (!this.#everTrusted || this.#trustedCount > 0 || Number.isNaN(this.#staleSince)) return null;
    const stale = now - this.#staleSince;
    if (!(stale > this.#staleLimitMicros)) return null;
    return this.trip('stale_books', `every book untrusted for ${stale} µs`, now);
  }

  /** ACTIVE ⇄ REDUCING; false (nothing changed) while HALTED. */
  setState(state: 'ACTIVE' | 'REDUCING', reason: string, now: number): boolean {
    if (this.#state === 'HALTED') return false;
    this.#state = state;
    this.#reason = reason;
    this.#at = now;
    return true;
  }

  /** Leave HALTED for `to` when `token` matches the admin token. */
  reset(token: string, adminToken: string, now: number, to: 'ACTIVE' | 'REDUCING' = 'ACTIVE'): ResetResult {
    if (this.#state !== 'HALTED') return 'not_halted';
    if (!adminTokenMatches(token, adminToken)) return 'refused';
    this.#state = to;
    this.#reason = 'reset';
    this.#at = now;
    // The stale-books timer starts again: a reset while every book is stale gets a full period.
    if (this.#trustedCount === 0 && !Number.isNaN(this.#staleSince)) this.#staleSince = now;
    return 'reset';
  }

  snapshot(): TradingStatus {
    return { state: this.#state, reason: this.#reason, at: this.#at };
  }

  /** Restore a journaled snapshot; anything unreadable restores HALTED and returns false. */
  restore(snapshot: unknown): boolean {
    const s = snapshot as Partial<Record<keyof TradingStatus, unknown>> | null;
    if (
      typeof s === 'object' &&
      s !== null &&
      typeof s.state === 'string' &&
      (TRADING_STATES as readonly string[]).includes(s.state) &&
      typeof s.reason === 'string' &&
      typeof s.at === 'number' &&
      Number.isFinite(s.at)
    ) {
      this.#state = s.state as TradingState;
      this.#reason = s.reason;
      this.#at = s.at;
      return true;
    }
    this.#state = 'HALTED';
    this.#reason = 'restore: unreadable snapshot';
    return false;
  }
}
