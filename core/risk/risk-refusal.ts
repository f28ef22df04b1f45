/**
 * Why the risk gate refused an order: a typed reason plus the numbers behind it. The gate owns one
 * instance and refills it on every refusal, so refusing allocates nothing; `detail` is formatted
 * only when read (Nautilus's `CODE: key=value` style, e.g.
 * `max_position: worst=1500000 limit=1000000`). Read it before the next check, or copy it with
 * `toJSON()`.
 */
import type { RejectReason } from '../strategy/reject-reason.ts';

export class RiskRefusal {
  reason: RejectReason = 'trading_halted';
  /** What was measured (a size, a price, a loss, a count); NaN when there is no number. */
  actual = Number.NaN;
  /** The limit it was compared with; NaN when there is none. */
  limit = Number.NaN;
  /** What `actual` and `limit` are, and any constant context (a state, a window). */
  actualName = '';
  limitName = 'limit';
  note = '';

  /** Refill; always returns true so a check can `return out.set(...)`. */
  set(
    reason: RejectReason,
    actualName: string,
    actual: number,
    limit: number,
    note = '',
    limitName = 'limit',
  ): true {
    this.reason = reason;
    this.actualName = actualName;
    this.actual = actual;
    this.limitName = limitName;
    this.limit = limit;
    this.note = note;
    return true;
  }

  get detail(): string {
    let out = `${this.reason}:`;
    if (this.actualName !== '') out += ` ${this.actualName}=${this.actual}`;
    if (!Number.isNaN(this.limit)) out += ` ${this.limitName}=${this.limit}`;
    if (this.note !== '') out += ` (${this.note})`;
    return out;
  }

  /** A plain copy that outlives the next check. */
  toJSON(): { reason: RejectReason; detail: string } {
    return { reason: this.reason, detail: this.detail };
  }
}

export function isRiskRefusal(value: unknown): value is RiskRefusal {
  return value instanceof RiskRefusal;
}
