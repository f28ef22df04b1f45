/**
 * Bybit v5 public streams: `orderbook.{depth}.{symbol}` books, `publicTrade.{symbol}` trades and
 * (linear) `tickers.{symbol}` funding/mark/index/open interest.
 *
 * Sync (see README.md here): the book is seeded in-band — every subscription starts with a snapshot,
 * and any snapshot (or a message with `u = 1`, the service-restart signal) replaces the book. Deltas
 * must carry `u == previous u + 1`; anything else is a gap: the book goes stale and the feed asks the
 * connector to resubscribe, which makes Bybit send a fresh snapshot. There is no REST step.
 *
 * Design decision: frames go through JSON.parse rather than a hand-written scanner as Binance's do.
 * Bybit pushes at most every 10–200 ms per topic, so parsing is far from the bottleneck; if it ever
 * is, the Binance scanner's approach carries over (the level arrays have the same shape).
 */

import type { Micros } from '../../market/events.ts';
import type { InstrumentKind } from '../../market/instrument.ts';
import { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { parseDecimal } from '../../num/parse-decimal.ts';
import { describeValue } from '../describe-frame.ts';
import { FeedCore, resubscribeRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import { sequenceId } from '../sequence-id.ts';
import { stringAfter } from '../string-after.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { truncateToDepth } from '../truncate-to-depth.ts';
import {
  isObject,
  type JsonObject,
  JsonRefusal,
  parseJson,
  parseJsonStrict,
  venueTimeToMicros,
} from '../wire-guards.ts';
import { TickerState } from './ticker-state.ts';
import {
  isOpResponse,
  isOrderbookMessage,
  isPublicTradeMessage,
  isRestOrderbook,
  isTickerMessage,
  type OrderbookMessage,
  type PublicTradeMessage,
  parseOrderbookTopic,
  type TickerMessage,
  type WireLevels,
} from './wire.ts';

/** Bybit product line: `linear` (USDT/USDC perpetuals and futures) or `spot`. One feed per line. */
export type BybitCategory = 'linear' | 'spot';

export interface BybitFeedOptions {
  category: BybitCategory;
  instruments: InstrumentRegistry;
  listener?: FeedListener;
}

/** Cross sequence of a message without `seq` (older streams): compares below every real one. */
const NO_CROSS_SEQ = -1;

export class BybitFeed implements VenueFeed {
  readonly exchange = 'bybit' as const;
  readonly category: BybitCategory;
  private readonly core: FeedCore;
  private readonly tickers = new TickerState();
  /** Depth of the orderbook topic followed per symbol (the book is kept within it). */
  private readonly depthOf = new Map<string, number>();
  /** Symbols we already asked to resubscribe while no snapshot has arrived. */
  private readonly requested = new Set<string>();
  /** Cross sequence (`seq`) of the last book message applied per symbol. */
  private readonly crossSeq = new Map<string, number>();

  constructor(options: BybitFeedOptions) {
    this.category = options.category;
    const kind: InstrumentKind = options.category === 'linear' ? 'perp' : 'spot';
    this.core = new FeedCore({
      exchange: 'bybit',
      instruments: options.instruments,
      listener: options.listener ?? {},
      defaultKind: kind,
      // Bybit re-sends the snapshot when the topic is subscribed again: no REST path.
      requestFor: resubscribeRequests('bybit'),
    });
  }

  get counters(): FeedCounters {
    return this.core.counters;
  }

  books(): Iterable<SymbolBook> {
    return this.core.books();
  }

  onMessage(raw: string, localTs: Micros): void {
    this.core.counters.messages++;
    const parsed = parseJsonStrict(raw);
    if (parsed === undefined) {
      this.core.refuseFrame('malformed', 'not JSON', raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (parsed instanceof JsonRefusal) {
      this.core.refuseFrame(parsed.reason, parsed.detail, raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (!isObject(parsed)) {
      this.core.reject('malformed', 'not an object', raw);
      return;
    }
    this.dispatch(parsed, raw, localTs);
  }

  /** The book a frame refused whole was meant for, read leniently (a repeated key: the last wins). */
  private bookNamedIn(raw: string): SymbolBook | undefined {
    const msg = parseJson(raw);
    if (isObject(msg)) return this.bookNamedBy(msg);
    if (msg !== undefined || !raw.includes('"topic":"orderbook.')) return undefined;
    const symbol = stringAfter(raw, '"s":"');
    return symbol === undefined ? undefined : this.core.book(symbol);
  }

  /** The book an orderbook message names (by its data, else by its topic), whatever else it lacks. */
  private bookNamedBy(msg: JsonObject): SymbolBook | undefined {
    if (typeof msg.topic !== 'string' || !msg.topic.startsWith('orderbook.')) return undefined;
    const symbol =
      isObject(msg.data) && typeof msg.data.s === 'string' ? msg.data.s : msg.topic.split('.').at(-1);
    return symbol === undefined ? undefined : this.core.book(symbol);
  }

  private dispatch(msg: JsonObject, raw: string, localTs: Micros): void {
    const core = this.core;
    const topic = msg.topic;
    if (typeof topic === 'string') {
      if (topic.startsWith('orderbook.')) {
        if (isOrderbookMessage(msg)) this.onOrderbook(msg, raw, localTs);
        else
          core.refuseFrame(
            'malformed',
            'orderbook message with missing or mistyped fields',
            raw,
            this.bookNamedBy(msg),
            localTs,
          );
      } else if (topic.startsWith('publicTrade.')) {
        if (isPublicTradeMessage(msg)) this.onTrades(msg, raw, localTs);
        else core.reject('malformed', 'publicTrade message with missing or mistyped fields', raw);
      } else if (topic.startsWith('tickers.')) {
        if (isTickerMessage(msg)) this.onTicker(msg, localTs);
        else core.reject('malformed', 'tickers message with missing or mistyped fields', raw);
      } else {
        core.reject('unknown_message', `unhandled topic ${topic}`, raw);
      }
    } else if (isOpResponse(msg)) {
      // Subscribe acks and pongs need nothing; a refused request is worth seeing.
      if (msg.success === false)
        core.reject(
          'unknown_message',
          `${msg.op} refused: ${msg.ret_msg === undefined ? '' : describeValue(msg.ret_msg)}`,
          raw,
        );
    } else {
      core.reject('unknown_message', 'message without topic or op', raw);
    }
  }

  private onOrderbook(msg: OrderbookMessage, raw: string, localTs: Micros): void {
    const core = this.core;
    const topic = parseOrderbookTopic(msg.topic);
    const symbol = msg.data.s;
    if (!topic || topic.symbol !== symbol) {
      core.reject('malformed', `orderbook topic ${msg.topic} does not match symbol ${symbol}`, raw);
      return;
    }
    const depth = this.depthOf.get(symbol);
    if (depth === undefined) {
      this.depthOf.set(symbol, topic.depth);
    } else if (depth !== topic.depth) {
      // Two depths of one symbol have separate `u` sequences and one book: refuse the second.
      core.reject('unknown_message', `${msg.topic}: already following depth ${depth} for ${symbol}`, raw);
      return;
    }
    const u = sequenceId(msg.data.u);
    const crossSeq = msg.data.seq === undefined ? NO_CROSS_SEQ : sequenceId(msg.data.seq);
    if (u === undefined || u === 0 || crossSeq === undefined) {
      const detail = `u=${describeValue(msg.data.u)} seq=${describeValue(msg.data.seq)} is not a sequence`;
      this.badSequence(symbol, detail, raw, localTs);
      return;
    }
    const exchangeTs = venueTimeToMicros(msg.cts ?? msg.ts);
    // u = 1: the service restarted and this message holds the whole book, whatever its type says.
    if (msg.type === 'snapshot' || u === 1) {
      this.applySnapshot(msg, u, crossSeq, topic.depth, exchangeTs, raw, localTs);
      return;
    }
    const sb = core.book(symbol);
    if (sb) sb.counters.messages++;
    if (sb?.trust !== 'trusted') {
      this.awaitSnapshot(symbol, sb, localTs);
      return;
    }
    const last = sb.sequence;
    if (u <= last) {
      // Bybit never re-sends a delta: a u at or below the book's means the chain cannot be trusted.
      core.sequenceJump(sb, `delta u=${u} not after ${last}`, raw, localTs);
      return;
    }
    if (u !== last + 1) {
      core.gap(sb, `u=${u} expected ${last + 1}`, localTs);
      return;
    }
    const lastCross = this.crossSeq.get(symbol) ?? NO_CROSS_SEQ;
    if (crossSeq < lastCross) {
      core.sequenceJump(sb, `delta seq=${crossSeq} behind ${lastCross}`, raw, localTs);
      return;
    }
    core.begin(sb, false);
    if (!this.applyLevels(sb, msg.data.b, msg.data.a)) {
      core.abort(sb, raw, localTs);
      return;
    }
    // Levels pushed beyond the topic depth get no delete from Bybit: drop them here, as changes.
    truncateToDepth(core.changes, sb, topic.depth);
    this.crossSeq.set(symbol, crossSeq);
    core.commitUpdate(sb, u, exchangeTs, localTs);
  }

  /** A book message whose sequence cannot be read: the book it was meant for cannot be trusted either. */
  private badSequence(symbol: string, detail: string, raw: string, localTs: Micros): void {
    const sb = this.core.book(symbol);
    if (sb?.trust === 'trusted') this.core.sequenceJump(sb, detail, raw, localTs);
    else this.core.reject('bad_sequence', `${symbol}: ${detail}`, raw, sb);
  }

  /** A delta for a book without a snapshot: ask once for the topic to be subscribed again. */
  private awaitSnapshot(symbol: string, sb: SymbolBook | undefined, localTs: Micros): void {
    if (sb && (sb.trust === 'resyncing' || sb.trust === 'trusted')) return;
    if (sb?.trust === 'stale') {
      // Stale without a pending request (disconnect): requestSnapshot moves it to 'resyncing'.
      this.core.requestSnapshot(sb, 'delta while stale', localTs);
      return;
    }
    if (this.requested.has(symbol)) return;
    this.requested.add(symbol);
    this.core.requestFirstSnapshot(symbol, 'delta before any snapshot');
  }

  private applySnapshot(
    msg: OrderbookMessage,
    u: number,
    crossSeq: number,
    depth: number,
    exchangeTs: Micros,
    raw: string,
    localTs: Micros,
  ): void {
    const core = this.core;
    const { s: symbol, b, a } = msg.data;
    const sb = core.ensureBook(
      symbol,
      b.map((l) => l[0]).concat(a.map((l) => l[0])),
      b.map((l) => l[1]).concat(a.map((l) => l[1])),
    );
    if (!sb) {
      core.reject('unknown_symbol', `${symbol}: no instrument and an empty snapshot`, raw);
      return;
    }
    sb.counters.messages++;
    core.begin(sb, true);
    if (!this.applyLevels(sb, b, a)) {
      sb.book.clear();
      core.abort(sb, raw, localTs);
      return;
    }
    truncateToDepth(core.changes, sb, depth);
    this.requested.delete(symbol);
    this.crossSeq.set(symbol, crossSeq);
    core.commitSnapshot(sb, u, exchangeTs, localTs);
  }

  private applyLevels(sb: SymbolBook, bids: WireLevels, asks: WireLevels): boolean {
    const core = this.core;
    for (const l of bids) if (!core.level(sb, true, l[0], l[1])) return false;
    for (const l of asks) if (!core.level(sb, false, l[0], l[1])) return false;
    return true;
  }

  private onTrades(msg: PublicTradeMessage, raw: string, localTs: Micros): void {
    for (const t of msg.data) {
      this.core.trade(
        t.s,
        t.i,
        t.p,
        t.v,
        t.S === 'Buy' ? 'buy' : 'sell',
        venueTimeToMicros(t.T),
        localTs,
        raw,
      );
    }
  }

  private onTicker(msg: TickerMessage, localTs: Micros): void {
    // Spot tickers carry no derivative fields; the quality layer may use them, the books do not.
    if (this.category !== 'linear') return;
    const t = this.tickers.apply(msg);
    const listener = this.core.listener;
    if (!listener.onEvent) return;
    const instrument =
      this.core.book(t.symbol)?.instrument ?? this.core.instruments.get(this.exchange, t.symbol);
    // Without the instrument's scales the prices cannot be made exact; the merged state waits.
    if (!instrument) return;
    const price = (text: string | undefined): number | null => {
      const v = text === undefined ? Number.NaN : parseDecimal(text, instrument.priceScale);
      return Number.isNaN(v) ? null : v;
    };
    const oi = t.openInterest === undefined ? Number.NaN : parseDecimal(t.openInterest, instrument.sizeScale);
    const next = t.nextFundingTime === undefined ? Number.NaN : parseDecimal(t.nextFundingTime, 0);
    const rate = t.fundingRate === undefined ? Number.NaN : Number(t.fundingRate);
    listener.onEvent({
      type: 'derivative_ticker',
      exchange: this.exchange,
      symbol: instrument.symbol,
      exchangeTs: venueTimeToMicros(msg.ts),
      localTs,
      markPrice: price(t.markPrice),
      indexPrice: price(t.indexPrice),
      lastPrice: price(t.lastPrice),
      // A rate, not a price: a float is the right type here.
      fundingRate: Number.isFinite(rate) ? rate : null,
      nextFundingTs: next > 0 ? venueTimeToMicros(next) : null,
      openInterest: Number.isNaN(oi) ? null : oi,
    });
  }

  /**
   * Bybit books resync in-band (SnapshotRequest method 'resubscribe'), so the connector normally has
   * nothing to hand here. A websocket snapshot frame is accepted as if received; a REST
   * `/v5/market/orderbook` body is refused: its `u` belongs to one particular depth's sequence.
   */
  onSnapshot(venueSymbol: string, body: string, localTs: Micros): void {
    const parsed = parseJsonStrict(body);
    if (parsed instanceof JsonRefusal || (isObject(parsed) && isOrderbookMessage(parsed))) {
      this.onMessage(body, localTs);
      return;
    }
    const why = isRestOrderbook(parsed)
      ? 'REST orderbook bodies are not used; Bybit books resync by resubscribing'
      : 'snapshot body of unexpected shape';
    this.core.reject(
      isRestOrderbook(parsed) ? 'unknown_message' : 'malformed',
      `${venueSymbol}: ${why}`,
      body,
    );
  }

  onDisconnect(localTs: Micros): void {
    this.core.staleAll('disconnected', localTs);
    this.depthOf.clear();
    this.requested.clear();
    this.crossSeq.clear();
    this.tickers.clear();
  }
}

export interface CreateBybitFeedOptions {
  category: BybitCategory;
  instruments?: InstrumentRegistry;
  listener?: FeedListener;
}

/** A Bybit v5 feed for one category (`linear` or `spot`). */
export function createBybitFeed(options: CreateBybitFeedOptions): BybitFeed {
  return new BybitFeed({
    category: options.category,
    instruments: options.instruments ?? new InstrumentRegistry(),
    listener: options.listener ?? {},
  });
}
