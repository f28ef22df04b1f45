/**
 * The flat frames (flat-frame.ts) a Binance feed handles without JSON.parse, with the outcome the
 * JSON.parse path gives them: a bookTicker is known and changes nothing; a trade or aggTrade with
 * the fields `isTrade` / `isAggTrade` require becomes the same `FeedCore.trade` call. Any other
 * frame returns false for the JSON.parse path.
 */
import type { Micros } from '../../market/events.ts';
import type { FeedCore } from '../feed-core.ts';
import { venueTimeToMicros } from '../wire-guards.ts';
import { type FlatFrame, FlatValue } from './flat-frame.ts';

/** True when `raw` was a flat frame of a handled kind and has been dispatched. */
export function dispatchFlatFrame(f: FlatFrame, raw: string, localTs: Micros, core: FeedCore): boolean {
  if (!f.read(raw)) return false;
  if (f.isString('e', 'bookTicker')) return true;
  const isTrade = f.isString('e', 'trade');
  if (isTrade || f.isString('e', 'aggTrade')) return trade(f, isTrade ? 't' : 'a', raw, localTs, core);
  // Spot bookTicker: no event type, an update id and a best bid.
  return (
    f.indexOf('e') < 0 &&
    f.kind(f.indexOf('u')) === FlatValue.Integer &&
    f.kind(f.indexOf('b')) === FlatValue.String
  );
}

function trade(f: FlatFrame, idKey: string, raw: string, localTs: Micros, core: FeedCore): boolean {
  const s = f.indexOf('s');
  const id = f.indexOf(idKey);
  const p = f.indexOf('p');
  const q = f.indexOf('q');
  const m = f.kind(f.indexOf('m'));
  if (
    f.kind(s) !== FlatValue.String ||
    f.kind(id) !== FlatValue.Integer ||
    f.kind(p) !== FlatValue.String ||
    f.kind(q) !== FlatValue.String ||
    (m !== FlatValue.True && m !== FlatValue.False)
  )
    return false;
  const T = f.indexOf('T');
  core.trade(
    f.valueText(s),
    // An integer of ≤ 15 digits without a leading zero prints back as its own text.
    f.valueText(id),
    f.valueText(p),
    f.valueText(q),
    m === FlatValue.True ? 'sell' : 'buy',
    venueTimeToMicros(f.kind(T) === FlatValue.Integer ? f.integer(T) : undefined),
    localTs,
    raw,
  );
  return true;
}
