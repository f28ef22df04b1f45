/**
 * What stage 3 knows about one venue stream: the latest quality score (core/quality), feed latency
 * (receive time − venue time of the latest book), reconnects, whether the book is trusted, and when
 * it last changed (staleness is measured against the time of the event being assessed).
 */
import type { Micros } from '../../market/events.ts';

export class VenueHealth {
  /** 0–100 from the quality monitor; 100 until one arrives. */
  quality = 100;
  /** µs, NaN when the venue sends no time. */
  latencyUs = Number.NaN;
  reconnects = 0;
  trusted = true;
  lastBookAt: Micros = Number.NaN;

  onBook(localTs: Micros, exchangeTs: Micros): void {
    this.lastBookAt = localTs;
    // A venue clock ahead of ours reads as zero latency, not negative.
    this.latencyUs = exchangeTs > 0 ? Math.max(0, localTs - exchangeTs) : Number.NaN;
  }

  stalenessUs(now: Micros): number {
    return Number.isNaN(this.lastBookAt) ? Number.POSITIVE_INFINITY : Math.max(0, now - this.lastBookAt);
  }

  /** 0 healthy … 100: quality lost, latency at or over the limit, stale or untrusted. */
  risk(now: Micros, staleUs: number, maxLatencyUs: number): number {
    if (!this.trusted || this.stalenessUs(now) > staleUs) return 100;
    const latency = Number.isNaN(this.latencyUs) ? 0 : Math.min(100, (this.latencyUs / maxLatencyUs) * 100);
    const reconnect = Math.min(100, this.reconnects * 20);
    return Math.max(100 - this.quality, latency, reconnect);
  }
}
