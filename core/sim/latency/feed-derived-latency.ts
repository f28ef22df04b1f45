/**
 * Order latency derived from feed latency when no order round trips were recorded (hftbacktest's
 * `generate_order_latency(mul_entry, mul_resp)`; its notebook uses 4× entry and 3× response): the
 * tape's own (localTs − exchTs) sampled every `sampleUs`, scaled, becomes InterpolatedLatency rows.
 * Order traffic is slower than market data (authentication, risk checks, matching queue), hence the
 * multipliers.
 */
import type { Tape } from '../../backtest/tape/tape.ts';
import { InterpolatedLatency, type OrderLatencyRow } from './interpolated-latency.ts';

export interface FeedLatencyOptions {
  /** Default 4. */
  readonly entryMultiplier?: number;
  /** Default 3. */
  readonly responseMultiplier?: number;
  /** One row per this many µs of tape. Default 1 s. */
  readonly sampleUs?: number;
}

export function orderLatencyRowsFromFeed(tape: Tape, options: FeedLatencyOptions = {}): OrderLatencyRow[] {
  const mulEntry = options.entryMultiplier ?? 4;
  const mulResp = options.responseMultiplier ?? 3;
  const step = options.sampleUs ?? 1_000_000;
  const rows: OrderLatencyRow[] = [];
  let next = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < tape.length; r++) {
    const t = tape.localTs[r]!;
    if (t < next) continue;
    const lat = Math.max(1, t - tape.exchTs[r]!);
    const exch = t + Math.round(lat * mulEntry);
    rows.push({ reqTs: t, exchTs: exch, respTs: exch + Math.round(lat * mulResp) });
    next = t + step;
  }
  if (rows.length === 0) rows.push({ reqTs: 0, exchTs: 1, respTs: 2 });
  return rows;
}

export function feedDerivedLatency(tape: Tape, options: FeedLatencyOptions = {}): InterpolatedLatency {
  const m = new InterpolatedLatency(orderLatencyRowsFromFeed(tape, options));
  return m;
}
