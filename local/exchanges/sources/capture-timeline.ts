/**
 * Turn a recorded capture into a Timeline of TRUE book changes: the capture drives the venue's own
 * core feed, and only its trusted output is kept — a book enters at its first trusted snapshot,
 * every later trusted update becomes a delta, a resync snapshot becomes the delta from the book we
 * had to the new one, and anything seen while the book was untrusted is left out. Trades are kept as
 * the feed normalized them.
 *
 * Two passes: inferred instruments can widen their scale part-way through a capture (a finer price
 * shows up), which would change what the stored integers mean; the second pass starts with the
 * instruments the first one ended with, so every integer of the timeline is at the final scale.
 */
import { L2Book } from '../../../core/book/l2-book.ts';
import type { LevelChanges } from '../../../core/book/level-changes.ts';
import type { CaptureRecord } from '../../../core/capture/capture-record.ts';
import { replayCapture } from '../../../core/capture/replay-capture.ts';
import type { TradeEvent } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { createFeed, variantOfUrl } from '../../../core/venues/create-feed.ts';
import type { FeedListener, VenueFeed } from '../../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../../core/venues/symbol-book.ts';
import { readCapture } from '../../capture/read-capture.ts';
import { instrumentsFor } from '../../capture/reference-data.ts';
import {
  applyDelta,
  type BookDelta,
  copyBook,
  deltaSize,
  diffBooks,
  emptyDelta,
} from '../truth/book-delta.ts';
import type { Timeline, TimelineStep } from './timeline.ts';

/** The venue's core feed, in the protocol variant the capture was recorded with. */
function feedFor(
  exchange: ExchangeId,
  instruments: InstrumentRegistry,
  listener: FeedListener,
  variant: string | undefined,
): VenueFeed {
  return createFeed(
    variant === undefined
      ? { exchange, instruments, listener }
      : { exchange, instruments, listener, variant },
  );
}

/** Records of several captures of one venue, merged in receive-time order. */
function mergedRecords(
  paths: readonly string[],
  exchange?: ExchangeId,
): { exchange: ExchangeId; records: CaptureRecord[] } {
  let venue = exchange;
  let records: CaptureRecord[] = [];
  for (const path of paths) {
    const c = readCapture(path, venue);
    venue ??= c.exchange;
    records = records.concat(c.records);
  }
  if (!venue) throw new Error('no capture given');
  // Stable: equal times keep file order.
  records.sort((a, b) => a.localTs - b.localTs);
  return { exchange: venue, records };
}

interface Pass {
  readonly steps: TimelineStep[];
  readonly initial: Map<string, L2Book>;
  readonly instruments: Map<string, Instrument>;
  /** Some integer was recorded at a scale other than its instrument's final one (pass again). */
  readonly widened: boolean;
}

function runPass(
  exchange: ExchangeId,
  records: readonly CaptureRecord[],
  registry: InstrumentRegistry,
  variant: string | undefined,
  t0: number,
): Pass {
  const steps: TimelineStep[] = [];
  const initial = new Map<string, L2Book>();
  const truth = new Map<string, L2Book>();
  const snapshotsSeen = new Map<string, number>();
  /** The scale the first recorded integer of each symbol was at; `mixed` when a later one differs. */
  const usedScale = new Map<string, string>();
  let mixed = false;
  let now = t0;
  const scaleOf = (i: Instrument): string => `${i.priceScale}/${i.sizeScale}`;
  const noteScale = (vs: string, i: Instrument): void => {
    const used = usedScale.get(vs);
    if (used === undefined) usedScale.set(vs, scaleOf(i));
    else if (used !== scaleOf(i)) mixed = true;
  };

  const onBook = (sb: SymbolBook, changes: LevelChanges): void => {
    if (!sb.trusted) return;
    const vs = sb.venueSymbol;
    noteScale(vs, sb.instrument);
    const book = truth.get(vs);
    const snapshots = sb.counters.snapshots;
    if (!book) {
      const first = copyBook(sb.book);
      truth.set(vs, first);
      initial.set(vs, copyBook(sb.book));
      snapshotsSeen.set(vs, snapshots);
      return;
    }
    let delta: BookDelta;
    if (snapshots !== snapshotsSeen.get(vs)) {
      // A resync: whatever happened while untrusted is summed up by the diff to the new snapshot.
      snapshotsSeen.set(vs, snapshots);
      delta = diffBooks(book, sb.book);
      applyDelta(book, delta);
    } else {
      delta = emptyDelta();
      for (let i = 0; i < changes.count; i++) {
        const isBid = changes.sideAt(i);
        const p = changes.priceAt(i);
        const s = changes.sizeAt(i);
        const side = isBid ? book.bids : book.asks;
        if (side.sizeAtPrice(p) === s) continue; // no-op (e.g. removing a level below the snapshot)
        side.set(p, s);
        (isBid ? delta.bids : delta.asks).push([p, s]);
      }
      // Feeds that cut the book to depth without reporting the cut (Bybit): catch up with a diff.
      if (book.bids.count !== sb.book.bids.count || book.asks.count !== sb.book.asks.count) {
        const rest = diffBooks(book, sb.book);
        applyDelta(book, rest);
        delta.bids.push(...rest.bids);
        delta.asks.push(...rest.asks);
      }
    }
    if (deltaSize(delta) > 0) steps.push({ at: now - t0, venueSymbol: vs, delta });
  };
  // Trades name the unified symbol; map back through the feed's books.
  const venueSymbolOf = new Map<string, string>();
  const bookOf = new Map<string, SymbolBook>();
  const onTrade = (t: TradeEvent): void => {
    const side = t.side === 'unknown' ? 'buy' : t.side;
    const vs = venueSymbolOf.get(t.symbol);
    if (vs === undefined) return;
    const sb = bookOf.get(vs);
    if (sb) noteScale(vs, sb.instrument);
    steps.push({ at: now - t0, venueSymbol: vs, trade: { price: t.price, size: t.size, side } });
  };
  const listener: FeedListener = {
    onBook,
    onTrade: (t) => {
      if (!venueSymbolOf.has(t.symbol)) {
        for (const sb of feed.books()) {
          venueSymbolOf.set(sb.symbol, sb.venueSymbol);
          bookOf.set(sb.venueSymbol, sb);
        }
      }
      onTrade(t);
    },
  };
  const feed = feedFor(exchange, registry, listener, variant);
  // replayCapture feeds records synchronously; note each record's time for the steps it produces.
  const timed: VenueFeed = {
    exchange: feed.exchange,
    counters: feed.counters,
    books: () => feed.books(),
    onDisconnect: (ts) => feed.onDisconnect(ts),
    onMessage: (raw, ts) => {
      now = ts;
      feed.onMessage(raw, ts);
    },
    onSnapshot: (sym, body, ts) => {
      now = ts;
      feed.onSnapshot(sym, body, ts);
    },
  };
  replayCapture(records, timed);

  const instruments = new Map<string, Instrument>();
  let widened = mixed;
  for (const sb of feed.books()) {
    instruments.set(sb.venueSymbol, sb.instrument);
    const used = usedScale.get(sb.venueSymbol);
    if (used !== undefined && used !== scaleOf(sb.instrument)) widened = true;
    if (!initial.has(sb.venueSymbol)) initial.set(sb.venueSymbol, new L2Book());
  }
  return { steps, initial, instruments, widened };
}

export interface CaptureTimelineOptions {
  /** Venue, when the file names do not tell. */
  exchange?: ExchangeId;
}

/** Build a Timeline from one or more capture files of ONE venue (e.g. Kraken book + trade files). */
export function captureTimeline(paths: readonly string[], options: CaptureTimelineOptions = {}): Timeline {
  const { exchange, records } = mergedRecords(paths, options.exchange);
  const variant = variantOfUrl(exchange, records.find((r) => r.url)?.url ?? '');
  const t0 = records[0]?.localTs ?? 0;
  const base = instrumentsFor(paths[0] ?? '.');
  let registry = new InstrumentRegistry(base);
  let pass = runPass(exchange, records, registry, variant, t0);
  for (let attempt = 0; pass.widened && attempt < 3; attempt++) {
    // Replay again starting from the final instruments (see the module note).
    registry = new InstrumentRegistry([...base, ...pass.instruments.values()]);
    pass = runPass(exchange, records, registry, variant, t0);
  }
  if (pass.widened) throw new Error(`${paths.join(', ')}: instrument scales did not settle`);
  const last = records[records.length - 1];
  return {
    exchange,
    sources: [...paths],
    instruments: pass.instruments,
    initial: pass.initial,
    steps: pass.steps,
    duration: last ? last.localTs - t0 : 0,
  };
}
