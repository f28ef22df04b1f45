/**
 * Coinbase Exchange websocket feed (`wss://ws-feed.exchange.coinbase.com`): the book from either
 * `level2`/`level2_batch` (price levels) or `full` (every order, see full-channel.ts), trades from
 * `matches`/`full`, and the informational channels accepted silently.
 *
 * level2 has NO sequence numbers: after the in-band snapshot the updates are trusted as delivered
 * (Coinbase promises delivery on the connection instead). A lost update is therefore undetectable
 * here; the quality layer watches for its symptoms (crossed books, drift from the ticker). A refused
 * message makes the book stale and asks the connector to re-subscribe (a new snapshot arrives in-band).
 *
 * Trades: `match.side` is the MAKER's side, so the aggressor is the opposite side. Trades are
 * emitted on arrival (whatever the book's state) and de-duplicated by the per-product trade id, which
 * also drops the `last_match` replay of a trade already seen.
 */

import type { L3Book } from '../../book/l3-book.ts';
import type { Micros } from '../../market/events.ts';
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { describeValue } from '../describe-frame.ts';
import { FeedCore, restRequests, resubscribeRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import { stringAfter } from '../string-after.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { isObject, type JsonObject, JsonRefusal, parseJson, parseJsonStrict } from '../wire-guards.ts';
import { FullChannelBooks } from './full-channel.ts';
import { isoToMicros } from './iso-time.ts';
import {
  isFullMessage,
  isFullType,
  isL2Snapshot,
  isL2Update,
  isMatch,
  type L2Snapshot,
  type L2Update,
} from './wire.ts';

/** Which channel builds the books. */
export type CoinbaseExchangeBookChannel = 'level2' | 'full';

export interface CoinbaseExchangeFeedOptions {
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  /** 'level2' (also level2_batch) or 'full' (L3). Default 'level2'. */
  book?: CoinbaseExchangeBookChannel;
  /** full channel: messages kept per product while waiting for a snapshot (oldest dropped beyond). */
  maxBuffered?: number;
}

export class CoinbaseExchangeFeed implements VenueFeed {
  readonly exchange = 'coinbase' as const;
  readonly bookChannel: CoinbaseExchangeBookChannel;
  private readonly core: FeedCore;
  private readonly full: FullChannelBooks | undefined;
  /** Highest trade id emitted per product (trade ids increase per product). */
  private readonly lastTradeId = new Map<string, number>();
  /** Products whose updates arrived without any snapshot; a re-subscribe was asked once. */
  private readonly orphanRequested = new Set<string>();
  /** `error` messages received from the venue (also counted as rejections). */
  venueErrors = 0;

  constructor(options: CoinbaseExchangeFeedOptions) {
    this.bookChannel = options.book ?? 'level2';
    const l3 = this.bookChannel === 'full';
    this.core = new FeedCore({
      exchange: 'coinbase',
      instruments: options.instruments,
      listener: options.listener ?? {},
      requestFor: l3
        ? restRequests('coinbase', (venueSymbol) => `/products/${venueSymbol}/book?level=3`, 1)
        : resubscribeRequests('coinbase'),
    });
    this.full = l3 ? new FullChannelBooks(this.core, options.maxBuffered ?? 100_000) : undefined;
  }

  get counters(): FeedCounters {
    return this.core.counters;
  }

  books(): Iterable<SymbolBook> {
    return this.core.books();
  }

  /** The L3 book of a product (full channel only). */
  l3Book(productId: string): L3Book | undefined {
    return this.full?.l3(productId);
  }

  /** full channel: messages dropped as already applied (duplicate or out-of-order sequence). */
  get duplicates(): number {
    return this.full?.duplicates ?? 0;
  }

  onMessage(raw: string, localTs: Micros): void {
    this.core.counters.messages++;
    const msg = parseJsonStrict(raw);
    if (msg instanceof JsonRefusal) {
      this.core.refuseFrame(msg.reason, msg.detail, raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (!isObject(msg)) {
      if (msg === undefined)
        this.core.refuseFrame('malformed', 'not JSON', raw, this.bookNamedIn(raw), localTs);
      else this.core.reject('malformed', 'not an object', raw);
      return;
    }
    const type = msg.type;
    switch (type) {
      case 'l2update':
      case 'snapshot':
        if (this.full) {
          this.core.reject(
            'unknown_message',
            `level2 ${type} on a feed that books from the full channel`,
            raw,
          );
        } else if (type === 'snapshot') {
          this.onL2Snapshot(msg, raw, localTs);
        } else {
          this.onL2Update(msg, raw, localTs);
        }
        return;
      case 'match':
      case 'last_match':
        this.onMatch(msg, raw, localTs);
        return;
      case 'ticker':
      case 'subscriptions':
      case 'heartbeat':
      case 'status':
        return;
      case 'error':
        this.venueErrors++;
        this.core.reject(
          'unknown_message',
          `venue error: ${describeValue(msg.message)}${msg.reason ? ` (${describeValue(msg.reason)})` : ''}`,
          raw,
        );
        return;
    }
    if (isFullType(type)) {
      if (!this.full) {
        this.core.reject('unknown_message', `full-channel ${type} on a level2 feed`, raw);
      } else if (isFullMessage(msg)) {
        this.full.onMessage(msg, raw, localTs);
      } else {
        this.fullWithoutSequence(msg, raw, localTs);
      }
      return;
    }
    this.core.reject('unknown_message', `unhandled message type ${describeValue(type)}`, raw);
  }

  private onMatch(msg: JsonObject, raw: string, localTs: Micros): void {
    if (!isMatch(msg)) {
      this.core.reject('malformed', `${describeValue(msg.type)} with missing or mistyped fields`, raw);
      return;
    }
    const product = msg.product_id;
    const last = this.lastTradeId.get(product);
    if (last === undefined || msg.trade_id > last) {
      this.lastTradeId.set(product, msg.trade_id);
      this.core.trade(
        product,
        String(msg.trade_id),
        msg.price,
        msg.size,
        msg.side === 'buy' ? 'sell' : 'buy', // side is the maker's
        isoToMicros(msg.time),
        localTs,
        raw,
      );
    }
    // On the full channel a match also fills the maker order (last_match is history, not sequenced).
    if (this.full && msg.type === 'match') {
      if (isFullMessage(msg)) this.full.onMessage(msg, raw, localTs);
      else this.fullWithoutSequence(msg, raw, localTs);
    }
  }

  /** A full-channel message that failed isFullMessage: a bad `sequence` (its book rebuilt) or no product. */
  private fullWithoutSequence(msg: JsonObject, raw: string, localTs: Micros): void {
    const product = msg.product_id;
    if (typeof product === 'string' && this.full)
      this.full.badSequence(
        product,
        `sequence ${describeValue(msg.sequence)} is not a sequence`,
        raw,
        localTs,
      );
    else this.core.reject('malformed', `${describeValue(msg.type)} without product_id`, raw);
  }

  /** The book a frame refused whole was meant for, read leniently (a repeated key: the last wins). */
  private bookNamedIn(raw: string): SymbolBook | undefined {
    const msg = parseJson(raw);
    // Not JSON at all (cut short): its fields are still there to read as text.
    const type = isObject(msg) ? msg.type : stringAfter(raw, '"type":"');
    const product = isObject(msg) ? msg.product_id : stringAfter(raw, '"product_id":"');
    if (typeof product !== 'string') return undefined;
    // level2 books change only by l2update/snapshot; a full-channel book by any order message.
    if (!this.full && type !== 'l2update' && type !== 'snapshot') return undefined;
    return this.core.book(product);
  }

  private onL2Snapshot(msg: JsonObject, raw: string, localTs: Micros): void {
    if (!isL2Snapshot(msg)) {
      this.core.reject('malformed', 'level2 snapshot with missing or mistyped fields', raw);
      return;
    }
    const core = this.core;
    const sb = core.ensureBook(msg.product_id, ...wireStrings(msg));
    if (!sb) {
      core.reject('unknown_symbol', `${msg.product_id}: no instrument`, raw);
      return;
    }
    sb.counters.messages++;
    core.begin(sb, true);
    if (!this.snapshotLevels(sb, msg)) {
      this.refuseSnapshot(sb, raw, localTs);
      return;
    }
    this.orphanRequested.delete(msg.product_id);
    core.commitSnapshot(sb, Number.NaN, isoToMicros(msg.time), localTs);
  }

  private snapshotLevels(sb: SymbolBook, msg: L2Snapshot): boolean {
    for (const [p, q] of msg.bids) if (!this.core.level(sb, true, p, q)) return false;
    for (const [p, q] of msg.asks) if (!this.core.level(sb, false, p, q)) return false;
    return true;
  }

  private refuseSnapshot(sb: SymbolBook, raw: string, localTs: Micros): void {
    sb.book.clear();
    this.core.abort(sb, raw, localTs);
    // abort only re-requests for a book that was trusted; a first snapshot needs asking too.
    if (sb.trust === 'stale') this.core.requestSnapshot(sb, 'snapshot refused', localTs);
  }

  private onL2Update(msg: JsonObject, raw: string, localTs: Micros): void {
    if (!isL2Update(msg)) {
      // level2 has no sequence: a named book that loses an update can only be rebuilt.
      const sb = typeof msg.product_id === 'string' ? this.core.book(msg.product_id) : undefined;
      this.core.refuseFrame('malformed', 'l2update with missing or mistyped fields', raw, sb, localTs);
      return;
    }
    const core = this.core;
    const product = msg.product_id;
    const sb = core.book(product);
    if (!sb) {
      // Updates without a snapshot: should not happen on a healthy connection; ask once.
      if (!this.orphanRequested.has(product)) {
        this.orphanRequested.add(product);
        core.requestFirstSnapshot(product, 'l2update before any snapshot');
      }
      return;
    }
    sb.counters.messages++;
    // Stale or resyncing: a re-subscribe was asked; updates wait for its snapshot.
    if (sb.trust !== 'trusted') return;
    core.begin(sb, false);
    if (!this.applyChanges(sb, msg)) {
      core.abort(sb, raw, localTs);
      return;
    }
    core.commitUpdate(sb, Number.NaN, isoToMicros(msg.time), localTs);
  }

  private applyChanges(sb: SymbolBook, msg: L2Update): boolean {
    const core = this.core;
    for (const c of msg.changes) {
      const side = c[0];
      const price = c[1];
      const size = c[2];
      if ((side !== 'buy' && side !== 'sell') || typeof price !== 'string' || typeof size !== 'string') {
        core.lastReject = 'malformed';
        return false;
      }
      if (!core.level(sb, side === 'buy', price, size)) return false;
    }
    return true;
  }

  /** Exchange level2 books come in-band; full-channel books from REST /products/<id>/book?level=3. */
  onSnapshot(venueSymbol: string, body: string, localTs: Micros): void {
    if (this.full) {
      this.full.onSnapshot(venueSymbol, body, localTs);
      return;
    }
    this.core.reject(
      'unknown_message',
      `${venueSymbol}: REST snapshot on a level2 feed (books come in-band)`,
      body,
    );
  }

  onDisconnect(localTs: Micros): void {
    this.core.staleAll('disconnected', localTs);
    this.full?.onDisconnect();
    this.orphanRequested.clear();
  }
}

/** Prices and sizes of a level2 snapshot, for inferring an instrument nobody described. */
function wireStrings(msg: L2Snapshot): [string[], string[]] {
  const prices: string[] = [];
  const sizes: string[] = [];
  for (const l of msg.bids) {
    prices.push(l[0]);
    sizes.push(l[1]);
  }
  for (const l of msg.asks) {
    prices.push(l[0]);
    sizes.push(l[1]);
  }
  return [prices, sizes];
}
