/**
 * What every venue feed looks like from outside: raw text frames in, exact books and normalized
 * events out. A feed does no I/O: when it needs a snapshot it hands the caller a SnapshotRequest
 * and waits for `onSnapshot` (live: the connector fetches it; replay: the capture's REST line).
 */
import type { LevelChanges } from '../book/level-changes.ts';
import type { MarketEvent, Micros, TradeEvent } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { SymbolBook } from './symbol-book.ts';

/** Why an input was refused. Typed so counters and alerts can group them. */
export type RejectReason =
  | 'malformed' // not JSON, or JSON of the wrong shape
  | 'unknown_message' // valid JSON the feed does not handle (kept distinct so new venue messages show up)
  | 'bad_decimal' // a price/size that is not a decimal number
  | 'negative_size'
  | 'precision' // more digits than the instrument's unit (book rebuilt at a finer scale when inferred)
  | 'overflow' // more than 2^53 units at the instrument's scale: not representable exactly
  | 'unknown_symbol'
  | 'out_of_order' // older than what the book already holds
  | 'bad_sequence' // a sequence field that is missing, not a safe non-negative integer, or a jump the venue's rules forbid
  | 'duplicate_key' // a JSON object naming the same key twice (readers disagree on which one counts)
  | 'bad_number_form' // a number form the venue never sends ("-0", "+1", "1e5", leading zeros, …)
  | 'zero_size' // a trade of size 0
  | 'feed_error'; // the feed threw while handling the frame (caught at the connector)

export interface FeedCounters {
  /** Raw frames handed to the feed (including rejected ones). */
  messages: number;
  /** Price levels written into books (snapshots and updates). */
  levelChanges: number;
  trades: number;
  snapshots: number;
  checksumsVerified: number;
  checksumsFailed: number;
  /** Sequence breaks detected. */
  gaps: number;
  /** Books rebuilt from a new snapshot after being stale. */
  resyncs: number;
  /** Book states observed crossed (bid ≥ ask) after an update. */
  crossed: number;
  /** Diffs skipped because the book already holds them (sequence at or below the book's). */
  skippedApplied: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
}

export function newCounters(): FeedCounters {
  return {
    messages: 0,
    levelChanges: 0,
    trades: 0,
    snapshots: 0,
    checksumsVerified: 0,
    checksumsFailed: 0,
    gaps: 0,
    resyncs: 0,
    crossed: 0,
    skippedApplied: 0,
    rejected: 0,
    rejectedByReason: {},
  };
}

export interface SnapshotRequest {
  readonly exchange: ExchangeId;
  readonly venueSymbol: string;
  readonly symbol: string;
  /** 'rest': fetch `path` from the venue's REST API; 'resubscribe': the venue re-sends a snapshot in-band. */
  readonly method: 'rest' | 'resubscribe';
  /** REST path and query, e.g. /api/v3/depth?symbol=BTCUSDT&limit=5000. */
  readonly path?: string;
  /** Resubscribe: the venue topic/channel to subscribe again (e.g. Bybit orderbook.50.BTCUSDT). */
  readonly topic?: string;
  /** The venue's request weight (for the connector's rate limiter). */
  readonly weight?: number;
  readonly reason: string;
}

export interface FeedListener {
  /** After every applied snapshot or update. `book` is live: read it during the call, don't keep it. */
  onBook?(book: SymbolBook, changes: LevelChanges): void;
  onTrade?(trade: TradeEvent): void;
  /** Off-hot-path events: snapshots, book state changes, L3 order events, tickers. */
  onEvent?(event: MarketEvent): void;
  onSnapshotRequest?(request: SnapshotRequest): void;
  onReject?(reason: RejectReason, detail: string, raw: string): void;
}

export interface VenueFeed {
  readonly exchange: ExchangeId;
  readonly counters: FeedCounters;
  /** One raw text frame as received, with its receive time. */
  onMessage(raw: string, localTs: Micros): void;
  /** The body of a REST snapshot response for `venueSymbol`. */
  onSnapshot(venueSymbol: string, body: string, localTs: Micros): void;
  /** The connection dropped: every book is stale until re-snapshotted. */
  onDisconnect(localTs: Micros): void;
  books(): Iterable<SymbolBook>;
}
