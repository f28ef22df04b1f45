/**
 * hftbacktest's IntpOrderLatency (docs/backtest-models.md, Latency): latency interpolated from recorded order round
 * trips (req_ts, exch_ts, resp_ts), e.g. non-marketable orders sent and canceled regularly live.
 *
 *   entry(t):    linear interpolation over req_ts of (exch_ts − req_ts); if either surrounding row has
 *                exch_ts ≤ 0 (the venue refused it) the result is −interp(resp_ts − req_ts): a reject.
 *   response(t): linear interpolation over exch_ts of (resp_ts − exch_ts) (refused rows skipped).
 * Before the first row / after the last the nearest row's latency holds. `offsetUs` relocates the
 * measurements to another site: exch_ts += offset, resp_ts += 2·offset.
 * Lookups are binary searches (no cursor), so queries need not come in time order.
 */
import type { Micros } from '../../market/events.ts';
import type { LatencyModel } from './latency-model.ts';

export interface OrderLatencyRow {
  readonly reqTs: Micros;
  /** ≤ 0: the venue refused the request. */
  readonly exchTs: Micros;
  readonly respTs: Micros;
}

export class InterpolatedLatency implements LatencyModel {
  readonly name = 'interpolated';
  private readonly req: Float64Array;
  private readonly exch: Float64Array;
  private readonly resp: Float64Array;
  /** Accepted rows only, ordered by exchange time, for response(). */
  private readonly accExch: Float64Array;
  private readonly accResp: Float64Array;

  constructor(rows: readonly OrderLatencyRow[], offsetUs = 0) {
    if (rows.length === 0) throw new Error('InterpolatedLatency needs at least one row');
    const sorted = [...rows].sort((a, b) => a.reqTs - b.reqTs);
    this.req = Float64Array.from(sorted, (r) => r.reqTs);
    this.exch = Float64Array.from(sorted, (r) => (r.exchTs > 0 ? r.exchTs + offsetUs : r.exchTs));
    this.resp = Float64Array.from(sorted, (r) => r.respTs + 2 * offsetUs);
    const acc = sorted.filter((r) => r.exchTs > 0).sort((a, b) => a.exchTs - b.exchTs);
    if (acc.length === 0) throw new Error('InterpolatedLatency needs at least one accepted row');
    this.accExch = Float64Array.from(acc, (r) => r.exchTs + offsetUs);
    this.accResp = Float64Array.from(acc, (r) => r.respTs + 2 * offsetUs);
  }

  entry(t: Micros): number {
    const req = this.req;
    const n = req.length;
    const i = lastAtOrBefore(req, t);
    if (i < 0) return this.entryAt(0);
    if (i >= n - 1) return this.entryAt(n - 1);
    const e1 = this.exch[i]!;
    const e2 = this.exch[i + 1]!;
    if (e1 <= 0 || e2 <= 0) {
      const l1 = this.resp[i]! - req[i]!;
      const l2 = this.resp[i + 1]! - req[i + 1]!;
      return -interp(t, req[i]!, l1, req[i + 1]!, l2);
    }
    return interp(t, req[i]!, e1 - req[i]!, req[i + 1]!, e2 - req[i + 1]!);
  }

  response(t: Micros): number {
    const x = this.accExch;
    const y = this.accResp;
    const n = x.length;
    const i = lastAtOrBefore(x, t);
    if (i < 0) return y[0]! - x[0]!;
    if (i >= n - 1) return y[n - 1]! - x[n - 1]!;
    return interp(t, x[i]!, y[i]! - x[i]!, x[i + 1]!, y[i + 1]! - x[i + 1]!);
  }

  private entryAt(i: number): number {
    const e = this.exch[i]!;
    return e > 0 ? e - this.req[i]! : -(this.resp[i]! - this.req[i]!);
  }
}

/** hftbacktest's intp, truncated to whole µs. */
function interp(x: number, x1: number, y1: number, x2: number, y2: number): number {
  if (x2 === x1) return y1;
  return Math.trunc(((y2 - y1) / (x2 - x1)) * (x - x1)) + y1;
}

/** Index of the last element ≤ t in an ascending array, −1 if none. */
function lastAtOrBefore(a: Float64Array, t: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}
