/**
 * Drive a venue feed with a capture's records in receive-time order. REST lines answer the feed's
 * snapshot requests: each is delivered to the feed at the time it was recorded, for the symbol its
 * URL names (or, for single-symbol files such as hftbacktest's, the symbol the stream carries).
 */
import type { VenueFeed } from '../venues/feed-types.ts';
import type { CaptureRecord } from './capture-record.ts';

const SYMBOL_PARAM = /[?&]symbol=([^&]+)/;
/** REST history a backfill or import stored (candles): recorded beside the frames, never a book snapshot. */
const HISTORY_PATH = /\/(klines|kline)\?/;
const STREAM_SYMBOL = /"s":"([A-Za-z0-9_-]+)"|"stream":"([a-z0-9_-]+)@/;

export interface ReplayResult {
  readonly messages: number;
  readonly snapshots: number;
  /** REST lines whose symbol could not be determined. */
  readonly unroutedSnapshots: number;
}

/**
 * Feed every record to `feed`. Synchronous: a capture replays as fast as the feed can go.
 * `streamSymbol`: the single-symbol stream's symbol when the caller knows it (a capture replayed in
 * batches, told from its first records), else it is looked for in `records`.
 */
export function replayCapture(
  records: readonly CaptureRecord[],
  feed: VenueFeed,
  streamSymbol?: string,
): ReplayResult {
  let messages = 0;
  let snapshots = 0;
  let unrouted = 0;
  for (const r of records) {
    if (r.kind === 'message') {
      feed.onMessage(r.body, r.localTs);
      messages++;
    } else if (r.kind === 'rest' && !HISTORY_PATH.test(r.url)) {
      const fromUrl = SYMBOL_PARAM.exec(r.url)?.[1];
      if (!fromUrl) streamSymbol ??= singleSymbolOf(records);
      const symbol = fromUrl ? decodeURIComponent(fromUrl) : streamSymbol;
      if (!symbol) {
        unrouted++;
        continue;
      }
      feed.onSnapshot(symbol, r.body, r.localTs);
      snapshots++;
    }
  }
  return { messages, snapshots, unroutedSnapshots: unrouted };
}

/**
 * Several captures, each into its own feed, interleaved by receive time (ties go to the capture
 * listed first), so cross-venue consumers see the venues' events in the order they arrived.
 * REST lines are routed as `replayCapture` routes them.
 */
export function replayCapturesByTime(
  sources: ReadonlyArray<{ readonly records: readonly CaptureRecord[]; readonly feed: VenueFeed }>,
): void {
  const next = sources.map(() => 0);
  const streamSymbols = sources.map(() => undefined as string | undefined);
  for (;;) {
    let pick = -1;
    let pickTs = Number.POSITIVE_INFINITY;
    for (let k = 0; k < sources.length; k++) {
      const r = sources[k]!.records[next[k]!];
      if (r && r.localTs < pickTs) {
        pick = k;
        pickTs = r.localTs;
      }
    }
    if (pick < 0) return;
    const { records, feed } = sources[pick]!;
    const r = records[next[pick]!++]!;
    if (r.kind === 'message') feed.onMessage(r.body, r.localTs);
    else if (r.kind === 'rest' && !HISTORY_PATH.test(r.url)) {
      const fromUrl = SYMBOL_PARAM.exec(r.url)?.[1];
      if (!fromUrl) streamSymbols[pick] ??= singleSymbolOf(records);
      const symbol = fromUrl ? decodeURIComponent(fromUrl) : streamSymbols[pick];
      if (symbol) feed.onSnapshot(symbol, r.body, r.localTs);
    }
  }
}

/** The one symbol a single-symbol capture streams (scans until found; used only for early REST lines). */
export function singleSymbolOf(records: readonly CaptureRecord[]): string | undefined {
  for (const r of records) {
    if (r.kind !== 'message') continue;
    const m = STREAM_SYMBOL.exec(r.body);
    if (m) return (m[1] ?? m[2] ?? '').toUpperCase();
  }
  return undefined;
}
