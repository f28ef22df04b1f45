/**
 * Order latency (docs/backtest-models.md, Latency). Feed latency is not here: every tape row carries its own
 * (localTs − exchTs) and the engine replays the exchange's view at exchange time and the strategy's
 * at receive time.
 *
 *   entry(t):    µs from sending a request at local time t to the matching engine seeing it.
 *                Negative: the venue rejects it (technical reasons, overload); |value| is how long
 *                the rejection takes to come back.
 *   response(t): µs from the matching engine at time t to us receiving its response (acks, fills,
 *                cancels all pay it).
 * All times are on the receive clock (the tape puts exchange times on it; see clock-skew.ts).
 */
import type { Micros } from '../../market/events.ts';

export interface LatencyModel {
  readonly name: string;
  entry(t: Micros): number;
  response(t: Micros): number;
}
