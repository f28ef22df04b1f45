/**
 * What the operations surface shows: per venue the connection state, message rate, ingest latency,
 * sequence health, every book's top of book and trust, recent trades and quality scores.
 *
 * It is a FeedListener on the hot path, so onBook does the least it can: record the latency in an
 * HDR histogram and remember the book. Formatting, rates and percentiles are computed when somebody
 * looks (the dashboard polls a few times a second), not per message.
 */
import * as hdr from 'hdr-histogram-js';
import type { LevelChanges } from '../../core/book/level-changes.ts';
import type {
  BookTrust,
  ConnectionEvent,
  ConnectionState,
  MarketEvent,
  Micros,
  TradeEvent,
} from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { formatDecimalTrimmed } from '../../core/num/format-decimal.ts';
import type { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import type { FeedListener, VenueFeed } from '../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';

export interface BookView {
  symbol: string;
  trust: BookTrust;
  bestBid: string | null;
  bestAsk: string | null;
  bidSize: string | null;
  askSize: string | null;
  spreadBps: number | null;
  bidLevels: number;
  askLevels: number;
  quality: number | null;
  /** Receive time of the last update, µs. */
  updatedTs: Micros;
}

export interface TradeView {
  symbol: string;
  side: string;
  price: string;
  size: string;
  ts: Micros;
}

export interface VenueView {
  exchange: ExchangeId;
  connection: ConnectionState | 'idle';
  connectionDetail: string;
  messages: number;
  /** Messages per second over the last few seconds. */
  messageRate: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** Receive time of the last message of any kind, µs (0 when none). */
  lastMessageTs: Micros;
  gaps: number;
  resyncs: number;
  checksumsFailed: number;
  rejected: number;
  reconnects: number;
  books: BookView[];
  trades: TradeView[];
}

/** One venue's line on /health: `ok`, and when not, every reason in `problems`. */
export interface VenueHealth {
  exchange: ExchangeId;
  ok: boolean;
  /** Why the venue is not ok; empty when it is. */
  problems: string[];
  fresh: boolean;
  ageMs: number | null;
  connection: string;
  trustedBooks: number;
  books: number;
  /** Books that exist but are not trusted now (unified symbols). */
  untrustedBooks: string[];
  /** Expected venue symbols that have no book yet (see `expect`). */
  missingBooks: string[];
}

export interface Health {
  ok: boolean;
  venues: VenueHealth[];
}

const RECENT_TRADES = 20;
const RATE_WINDOW_US = 5_000_000;

class VenueState {
  readonly books = new Map<string, SymbolBook>();
  readonly trades: TradeView[] = [];
  connection: ConnectionState | 'idle' = 'idle';
  connectionDetail = '';
  reconnects = 0;
  lastMessageTs: Micros = 0;
  feed: Pick<VenueFeed, 'counters'> | undefined;
  /** Venue symbols the stack subscribed (empty when not declared). */
  expected: readonly string[] = [];
  /** Latency in µs, 1 µs .. 60 s, 3 significant digits. */
  readonly latency = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  /** (ts, messages) samples for the rate. */
  readonly samples: Array<[Micros, number]> = [];
  constructor(
    readonly exchange: ExchangeId,
    /** When this venue became known: its start-up grace period runs from here. */
    readonly since: Micros,
  ) {}
}

export class LiveMarketState {
  private readonly venues = new Map<ExchangeId, VenueState>();
  private readonly now: () => Micros;
  private readonly quality: QualityMonitor | undefined;

  constructor(options: { now: () => Micros; quality?: QualityMonitor }) {
    this.now = options.now;
    this.quality = options.quality;
  }

  private venue(exchange: ExchangeId): VenueState {
    let v = this.venues.get(exchange);
    if (!v) {
      v = new VenueState(exchange, this.now());
      this.venues.set(exchange, v);
    }
    return v;
  }

  /**
   * Declare the configured venues and the venue symbols subscribed on each: a venue that never
   * speaks then shows on /health (as not ok) instead of being absent, and missing books are named.
   */
  expect(venues: ReadonlyArray<{ exchange: ExchangeId; symbols: readonly string[] }>): void {
    for (const { exchange, symbols } of venues) this.venue(exchange).expected = symbols;
  }

  /** Register a venue's feed (its counters feed the rates and health). */
  attach(exchange: ExchangeId, feed: Pick<VenueFeed, 'counters'>): void {
    this.venue(exchange).feed = feed;
  }

  /** A listener to pass to the venue's feed (combine it with the others). */
  listenerFor(exchange: ExchangeId): FeedListener {
    const v = this.venue(exchange);
    return {
      onBook: (book: SymbolBook, _changes: LevelChanges) => {
        if (v.books.get(book.symbol) !== book) v.books.set(book.symbol, book);
        v.lastMessageTs = book.localTs;
        const lat = book.localTs - book.exchangeTs;
        if (book.exchangeTs > 0 && lat > 0 && lat < 60_000_000) v.latency.recordValue(lat);
      },
      onTrade: (t: TradeEvent) => {
        v.lastMessageTs = t.localTs;
        const book = v.books.get(t.symbol);
        const i = book?.instrument;
        v.trades.unshift({
          symbol: t.symbol,
          side: t.side,
          price: i ? formatDecimalTrimmed(t.price, i.priceScale) : String(t.price),
          size: i ? formatDecimalTrimmed(t.size, i.sizeScale) : String(t.size),
          ts: t.localTs,
        });
        if (v.trades.length > RECENT_TRADES) v.trades.length = RECENT_TRADES;
      },
      onEvent: (e: MarketEvent) => {
        if (e.type === 'connection') this.onConnection(e);
      },
    };
  }

  onConnection(e: ConnectionEvent): void {
    const v = this.venue(e.exchange);
    if (e.state === 'reconnecting' && v.connection !== 'reconnecting') v.reconnects++;
    v.connection = e.state;
    v.connectionDetail = e.detail;
  }

  /** Everything the dashboard shows, computed now. */
  snapshot(): VenueView[] {
    const now = this.now();
    const out: VenueView[] = [];
    for (const v of [...this.venues.values()].sort((a, b) => a.exchange.localeCompare(b.exchange))) {
      const c = v.feed?.counters;
      const messages = c?.messages ?? 0;
      v.samples.push([now, messages]);
      while (v.samples.length > 2 && v.samples[0]![0] < now - RATE_WINDOW_US) v.samples.shift();
      const [t0, m0] = v.samples[0]!;
      const rate = now > t0 ? ((messages - m0) * 1e6) / (now - t0) : 0;
      const hasLatency = v.latency.totalCount > 0;
      out.push({
        exchange: v.exchange,
        connection: v.connection,
        connectionDetail: v.connectionDetail,
        messages,
        messageRate: Math.round(rate * 10) / 10,
        latencyP50Ms: hasLatency ? v.latency.getValueAtPercentile(50) / 1000 : null,
        latencyP99Ms: hasLatency ? v.latency.getValueAtPercentile(99) / 1000 : null,
        lastMessageTs: v.lastMessageTs,
        gaps: c?.gaps ?? 0,
        resyncs: c?.resyncs ?? 0,
        checksumsFailed: c?.checksumsFailed ?? 0,
        rejected: c?.rejected ?? 0,
        reconnects: v.reconnects,
        books: [...v.books.values()]
          .map((b) => this.bookView(b))
          .sort((a, b) => a.symbol.localeCompare(b.symbol)),
        trades: v.trades.slice(),
      });
    }
    return out;
  }

  private bookView(b: SymbolBook): BookView {
    const i = b.instrument;
    const bid = b.book.bestBid();
    const ask = b.book.bestAsk();
    const text = (units: number, scale: number) =>
      Number.isNaN(units) ? null : formatDecimalTrimmed(units, scale);
    const mid = (bid + ask) / 2;
    return {
      symbol: b.symbol,
      trust: b.trust,
      bestBid: text(bid, i.priceScale),
      bestAsk: text(ask, i.priceScale),
      bidSize: b.book.bids.count ? text(b.book.bids.bestSize(), i.sizeScale) : null,
      askSize: b.book.asks.count ? text(b.book.asks.bestSize(), i.sizeScale) : null,
      spreadBps: Number.isNaN(mid) ? null : Math.round(((ask - bid) / mid) * 1e6) / 100,
      bidLevels: b.book.bids.count,
      askLevels: b.book.asks.count,
      quality: this.quality?.score(i.exchange, i.symbol) ?? null,
      updatedTs: b.localTs,
    };
  }

  /**
   * Per-venue health for /health. A venue is ok when all of these hold:
   * - it received a message within `maxAgeUs` (trades alone count: they prove the link);
   * - it has at least one book (a venue without any book is never ok, whatever else it sends);
   * - once `graceUs` has passed since the venue became known, at least one of its books is trusted
   *   (before that, a book still waiting for its snapshot is normal start-up).
   * Books that are not trusted and expected symbols without a book are listed, but do not alone
   * fail a venue that has trusted books: one stale symbol is resynced by the feed, and a capture
   * may hold a symbol that never gets a book. The whole is ok when every known venue is.
   */
  health(maxAgeUs: Micros, graceUs: Micros = 0): Health {
    const now = this.now();
    const venues = [...this.venues.values()]
      .sort((a, b) => a.exchange.localeCompare(b.exchange))
      .map((v): VenueHealth => {
        const age = v.lastMessageTs > 0 ? now - v.lastMessageTs : null;
        const fresh = age !== null && age <= maxAgeUs;
        const untrusted: string[] = [];
        const have = new Set<string>();
        let trusted = 0;
        for (const b of v.books.values()) {
          have.add(b.instrument.venueSymbol);
          if (b.trust === 'trusted') trusted++;
          else untrusted.push(b.symbol);
        }
        const missing = v.expected.filter((s) => !have.has(s));
        const inGrace = now - v.since < graceUs;
        const problems: string[] = [];
        if (age === null) problems.push('no message received yet');
        else if (!fresh)
          problems.push(`silent for ${Math.round(age / 1000)} ms (limit ${maxAgeUs / 1000} ms)`);
        if (v.books.size === 0)
          problems.push(
            inGrace
              ? 'no book yet (starting up)'
              : `no book ${Math.round((now - v.since) / 1e6)} s after start`,
          );
        else if (trusted === 0 && !inGrace)
          problems.push(`no trusted book (${untrusted.length} waiting for a snapshot or resyncing)`);
        return {
          exchange: v.exchange,
          ok: problems.length === 0,
          problems,
          fresh,
          ageMs: age === null ? null : Math.round(age / 1000),
          connection: v.connection,
          trustedBooks: trusted,
          books: v.books.size,
          untrustedBooks: untrusted.sort(),
          missingBooks: missing,
        };
      });
    return { ok: venues.length > 0 && venues.every((v) => v.ok), venues };
  }
}
