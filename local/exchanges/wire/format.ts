/**
 * Wire text shared by the venue encoders: level arrays as JSON string pairs, venue time formats.
 * Frames are built as strings (no JSON.stringify of objects): one truth change becomes a frame for
 * every subscriber, and the load tests push thousands per second.
 */
import type { Micros, PriceLevel } from '../../../core/market/events.ts';
import { formatDecimal } from '../../../core/num/format-decimal.ts';
import type { TruthBook } from '../truth/truth-book.ts';

/** `[["price","size"],...]` in the venue's wire decimals. */
export function levelPairs(truth: TruthBook, levels: readonly PriceLevel[]): string {
  let s = '[';
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    if (i > 0) s += ',';
    s += `["${truth.price(l[0])}","${truth.size(l[1])}"]`;
  }
  return `${s}]`;
}

/** The best `depth` levels of one side of the truth, best first. */
export function topLevels(truth: TruthBook, isBid: boolean, depth: number): PriceLevel[] {
  const side = isBid ? truth.book.bids : truth.book.asks;
  return side.top(Math.min(depth, side.count));
}

/** µs → ms (venues that write milliseconds). */
export function toMillis(us: Micros): number {
  return Math.trunc(us / 1000);
}

/** µs → decimal seconds with 6 decimals, exactly ("1618678132.927716"; Kraken v1). */
export function secondsText(us: Micros): string {
  return formatDecimal(us, 6);
}

/** µs → RFC 3339 with microseconds ("2021-04-17T16:53:37.061845Z"; Coinbase). */
export function isoMicros(us: Micros): string {
  const second = Math.floor(us / 1_000_000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19); // 2021-04-17T16:53:37
  }
  return `${cachedPrefix}.${String(us - second * 1_000_000).padStart(6, '0')}Z`;
}
// One Date per second of wire time, not one per message.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** JSON string literal for untrusted client text echoed back (ids, topics). */
export function jsonString(v: string): string {
  return JSON.stringify(v);
}
