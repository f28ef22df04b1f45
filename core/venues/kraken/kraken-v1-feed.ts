/**
 * Kraken spot websocket v1 (wss://ws.kraken.com): `book-N` and `trade` channels.
 *
 * Sync (see README.md here): the venue sends a snapshot (`as`/`bs`) after subscribing, then updates
 * (`a`/`b`, entries applied in array order, volume 0 removes, `"r"` = republished level, applied
 * like any other). After each message the book is truncated to the subscribed depth, then the CRC-32
 * in `c` is checked against our top 10 levels. v1 has no sequence numbers: the checksum is the gap
 * detector. A mismatch makes the book stale and asks the caller to resubscribe; the next snapshot
 * rebuilds it.
 *
 * Parsing: v1 writes every decimal as a JSON string, so JSON.parse keeps them exact; the messages
 * are small (one or two levels per update) and JSON.parse is the simplest correct reader here.
 */

import type { BookChecksum } from '../../book/checksum/book-checksum.ts';
import { krakenV1Checksum } from '../../book/checksum/kraken-checksum.ts';
import type { Micros, Side } from '../../market/events.ts';
import { makeInstrument } from '../../market/instrument.ts';
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { fractionDigits } from '../../num/fraction-digits.ts';
import { parseDecimal, parseDecimalRange } from '../../num/parse-decimal.ts';
import { describeValue } from '../describe-frame.ts';
import { FeedCore, resubscribeRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import { lastStringOfArray, stringAfter } from '../string-after.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { truncateToDepth } from '../truncate-to-depth.ts';
import { type JsonObject, JsonRefusal, parseJson, parseJsonStrict } from '../wire-guards.ts';
import { secondsTextToMicros } from './kraken-time.ts';
import {
  isV1BookSnapshot,
  isV1BookUpdate,
  isV1ChannelMessage,
  isV1Event,
  isV1SubscriptionStatus,
  isV1TradeEntries,
  type V1BookSnapshot,
  type V1BookUpdate,
  type V1Level,
  type V1TradeEntry,
} from './wire.ts';

export interface KrakenV1FeedOptions {
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  /** Checksum to verify (tests swap it); Kraken v1's by default. */
  checksum?: BookChecksum;
}

interface Channel {
  readonly pair: string;
  readonly name: string;
}

/** "book-1000" → 1000; NaN when not a book channel name. */
export function bookDepthOf(channelName: string): number {
  if (!channelName.startsWith('book-')) return Number.NaN;
  const depth = parseDecimalRange(channelName, 5, channelName.length, 0);
  return depth > 0 ? depth : Number.NaN;
}

export class KrakenV1Feed implements VenueFeed {
  readonly exchange = 'kraken' as const;
  private readonly core: FeedCore;
  private readonly checksumAlgo: BookChecksum;
  /** channelID → subscription, from subscriptionStatus. */
  private readonly channels = new Map<number, Channel>();
  /** Subscribed depth per pair, from the book channel name. */
  private readonly depths = new Map<string, number>();
  /** Pairs whose first snapshot we already asked for (updates seen without a book). */
  private readonly requested = new Set<string>();

  constructor(options: KrakenV1FeedOptions) {
    this.checksumAlgo = options.checksum ?? krakenV1Checksum;
    this.core = new FeedCore({
      exchange: 'kraken',
      instruments: options.instruments,
      listener: options.listener ?? {},
      requestFor: resubscribeRequests('kraken'),
    });
  }

  get counters(): FeedCounters {
    return this.core.counters;
  }

  books(): Iterable<SymbolBook> {
    return this.core.books();
  }

  /** Subscribed depth of a pair's book, if known. */
  depthOf(pair: string): number | undefined {
    return this.depths.get(pair);
  }

  onMessage(raw: string, localTs: Micros): void {
    this.core.counters.messages++;
    const msg = parseJsonStrict(raw);
    if (msg === undefined) {
      this.core.refuseFrame('malformed', 'not JSON', raw, this.bookNamedIn(raw), localTs);
    } else if (msg instanceof JsonRefusal) {
      this.core.refuseFrame(msg.reason, msg.detail, raw, this.bookNamedIn(raw), localTs);
    } else if (Array.isArray(msg)) {
      this.onChannelMessage(msg, raw, localTs);
    } else if (isV1Event(msg)) {
      this.onEvent(msg, raw, localTs);
    } else {
      this.core.reject('malformed', 'neither a channel message nor an event', raw);
    }
  }

  /**
   * Kraken has no REST snapshot that lines up with the stream: a snapshot is the in-band `as`/`bs`
   * frame after (re)subscribing. A connector that hands it over here gets it processed as a frame.
   */
  onSnapshot(_venueSymbol: string, body: string, localTs: Micros): void {
    this.onMessage(body, localTs);
  }

  onDisconnect(localTs: Micros): void {
    this.core.staleAll('disconnected', localTs);
    this.channels.clear();
    this.requested.clear();
  }

  /** The book a frame refused whole was meant for, read leniently (a repeated key: the last wins). */
  private bookNamedIn(raw: string): SymbolBook | undefined {
    const msg = parseJson(raw);
    if (Array.isArray(msg) && typeof msg[0] === 'number') {
      const channel = this.channels.get(msg[0]);
      if (channel) return bookDepthOf(channel.name) > 0 ? this.core.book(channel.pair) : undefined;
    }
    // Unreadable, or nested beyond the reader's bound: a book frame still ends "book-N","PAIR"].
    const pair = lastStringOfArray(raw);
    const at = raw.lastIndexOf('"book-');
    const depth = at < 0 ? undefined : stringAfter(raw, '"book-', at);
    return depth !== undefined && pair !== undefined ? this.core.book(pair) : undefined;
  }

  private onEvent(msg: JsonObject & { readonly event: string }, raw: string, localTs: Micros): void {
    switch (msg.event) {
      case 'heartbeat':
      case 'systemStatus':
      case 'pong':
        return;
      case 'subscriptionStatus':
        if (!isV1SubscriptionStatus(msg)) {
          this.core.reject('malformed', 'subscriptionStatus of unexpected shape', raw);
          return;
        }
        if (msg.status === 'subscribed' && msg.channelID !== undefined && msg.pair && msg.channelName) {
          this.channels.set(msg.channelID, { pair: msg.pair, name: msg.channelName });
          const depth = bookDepthOf(msg.channelName);
          if (depth > 0) this.depths.set(msg.pair, depth);
        } else if (msg.status === 'unsubscribed' && msg.channelID !== undefined) {
          const ch = this.channels.get(msg.channelID);
          this.channels.delete(msg.channelID);
          const sb = ch && bookDepthOf(ch.name) > 0 ? this.core.book(ch.pair) : undefined;
          // No more updates will come: the book can no longer be trusted (no resubscribe asked: the
          // caller unsubscribed on purpose, or is resubscribing already).
          if (sb?.trust === 'trusted') this.core.setTrust(sb, 'stale', 'unsubscribed', localTs);
        }
        // status "error": nothing to track (the connector reports it from its own request).
        return;
      default:
        this.core.reject('unknown_message', `unhandled event ${describeValue(msg.event)}`, raw);
    }
  }

  /** The channel id `pair`'s book is subscribed under (undefined when no subscription was seen). */
  private bookChannelOf(pair: string): number | undefined {
    for (const [id, ch] of this.channels) if (ch.pair === pair && bookDepthOf(ch.name) > 0) return id;
    return undefined;
  }

  private onChannelMessage(msg: readonly unknown[], raw: string, localTs: Micros): void {
    if (!isV1ChannelMessage(msg)) {
      this.core.refuseFrame(
        'malformed',
        'channel message of unexpected shape',
        raw,
        this.bookNamedIn(raw),
        localTs,
      );
      return;
    }
    const n = msg.length;
    const name = msg[n - 2] as string;
    const pair = msg[n - 1] as string;
    const known = this.channels.get(msg[0]);
    if (known && known.pair !== pair) {
      this.core.reject('malformed', `channel ${msg[0]} is ${known.pair}, message says ${pair}`, raw);
      return;
    }
    if (!known && bookDepthOf(name) > 0 && this.bookChannelOf(pair) !== undefined) {
      // The pair's book is subscribed under another id: this id is corrupt, and the book lost the frame.
      this.core.refuseFrame(
        'malformed',
        `book frame on channel ${msg[0]}, subscribed as ${this.bookChannelOf(pair)}`,
        raw,
        this.core.book(pair),
        localTs,
      );
      return;
    }
    const depth = bookDepthOf(name);
    if (depth > 0) {
      this.depths.set(pair, depth);
      const first = msg[1];
      if (n === 4 && isV1BookSnapshot(first)) this.onBookSnapshot(pair, depth, first, raw, localTs);
      else this.onBookUpdate(pair, depth, msg, raw, localTs);
    } else if (name === 'trade') {
      this.onTrades(pair, msg[1], raw, localTs);
    } else if (name === 'ticker' || name === 'spread' || name.startsWith('ohlc')) {
      // Known channels without a book or trade meaning.
    } else {
      this.core.reject('unknown_message', `unhandled channel ${name}`, raw);
    }
  }

  private onBookSnapshot(
    pair: string,
    depth: number,
    snap: V1BookSnapshot,
    raw: string,
    localTs: Micros,
  ): void {
    const core = this.core;
    const asks = snap.as ?? [];
    const bids = snap.bs ?? [];
    const prices: string[] = [];
    const sizes: string[] = [];
    for (const l of asks) {
      prices.push(l[0]);
      sizes.push(l[1]);
    }
    for (const l of bids) {
      prices.push(l[0]);
      sizes.push(l[1]);
    }
    const sb = core.ensureBook(pair, prices, sizes);
    if (!sb) {
      core.reject('unknown_symbol', `${pair}: no instrument`, raw);
      return;
    }
    this.matchWireDecimals(sb, prices, sizes);
    core.begin(sb, true);
    let exchangeTs = 0;
    for (const l of asks) {
      if (!core.level(sb, false, l[0], l[1])) {
        this.refuseSnapshot(sb, raw, localTs);
        return;
      }
      exchangeTs = Math.max(exchangeTs, secondsTextToMicros(l[2]));
    }
    for (const l of bids) {
      if (!core.level(sb, true, l[0], l[1])) {
        this.refuseSnapshot(sb, raw, localTs);
        return;
      }
      exchangeTs = Math.max(exchangeTs, secondsTextToMicros(l[2]));
    }
    truncateToDepth(core.changes, sb, depth);
    sb.counters.messages++;
    this.requested.delete(pair);
    core.commitSnapshot(sb, Number.NaN, exchangeTs, localTs);
  }

  /**
   * v1 checksums hash the wire strings, which pad to a fixed number of decimals that is not always
   * the pair's precision (XMR/USD "354.15000000", pair_decimals 2). Take the decimals the snapshot
   * writes; the instrument keeps its scales.
   */
  private matchWireDecimals(sb: SymbolBook, prices: readonly string[], sizes: readonly string[]): void {
    if (prices.length === 0) return;
    let wp = 0;
    let ws = 0;
    for (const p of prices) wp = Math.max(wp, fractionDigits(p));
    for (const s of sizes) ws = Math.max(ws, fractionDigits(s));
    const i = sb.instrument;
    if (i.wirePriceDecimals === wp && i.wireSizeDecimals === ws) return;
    sb.instrument = makeInstrument({ ...i, wirePriceDecimals: wp, wireSizeDecimals: ws });
    this.core.instruments.add(sb.instrument);
  }

  private refuseSnapshot(sb: SymbolBook, raw: string, localTs: Micros): void {
    sb.book.clear();
    this.core.abort(sb, raw, localTs);
  }

  private onBookUpdate(
    pair: string,
    depth: number,
    msg: readonly unknown[],
    raw: string,
    localTs: Micros,
  ): void {
    const core = this.core;
    const sb = core.book(pair);
    if (!sb) {
      // An update without a snapshot: we missed the subscription's start.
      if (!this.requested.has(pair)) {
        this.requested.add(pair);
        core.requestFirstSnapshot(pair, 'update before any snapshot');
      }
      return;
    }
    sb.counters.messages++;
    const end = msg.length - 2;
    for (let k = 1; k < end; k++) {
      if (!isV1BookUpdate(msg[k])) {
        // Counted whatever the book's state; a trusted book cannot skip a message it cannot read.
        if (sb.trust === 'trusted') {
          core.lastReject = 'malformed';
          core.abort(sb, raw, localTs);
        } else core.reject('malformed', `${pair}: book update of unexpected shape`, raw, sb);
        return;
      }
    }
    // Stale or resyncing: wait for the snapshot that follows the resubscribe.
    if (sb.trust !== 'trusted') return;
    core.begin(sb, false);
    let checksumText: string | undefined;
    let exchangeTs = 0;
    for (let k = 1; k < end; k++) {
      const part = msg[k] as V1BookUpdate;
      if (part.a) {
        const ts = this.applyLevels(sb, false, part.a);
        if (ts < 0) {
          core.abort(sb, raw, localTs);
          return;
        }
        exchangeTs = Math.max(exchangeTs, ts);
      }
      if (part.b) {
        const ts = this.applyLevels(sb, true, part.b);
        if (ts < 0) {
          core.abort(sb, raw, localTs);
          return;
        }
        exchangeTs = Math.max(exchangeTs, ts);
      }
      if (part.c !== undefined) checksumText = part.c;
    }
    truncateToDepth(core.changes, sb, depth);
    if (checksumText !== undefined) {
      const expected = parseDecimal(checksumText, 0);
      const actual = this.checksumAlgo.compute(sb.book, sb.instrument);
      if (actual !== expected) {
        core.checksum(sb, false, localTs, `${pair}: expected ${checksumText}, computed ${actual}`);
        return;
      }
      core.checksum(sb, true, localTs);
    }
    core.commitUpdate(sb, Number.NaN, exchangeTs, localTs);
  }

  /** Apply levels in array order; the newest entry time (µs), or -1 when a level is refused. */
  private applyLevels(sb: SymbolBook, isBid: boolean, levels: readonly V1Level[]): number {
    let ts = 0;
    for (const l of levels) {
      if (!this.core.level(sb, isBid, l[0], l[1])) return -1;
      ts = Math.max(ts, secondsTextToMicros(l[2]));
    }
    return ts;
  }

  private onTrades(pair: string, entries: unknown, raw: string, localTs: Micros): void {
    if (!isV1TradeEntries(entries)) {
      this.core.reject('malformed', `${pair}: trade entries of unexpected shape`, raw);
      return;
    }
    for (let i = 0; i < entries.length; i++) {
      const t: V1TradeEntry = entries[i]!;
      const side: Side | 'unknown' = t[3] === 'b' ? 'buy' : t[3] === 's' ? 'sell' : 'unknown';
      // v1 trades carry no id: time (µs resolution) + position in the message is deterministic.
      this.core.trade(pair, `${t[2]}-${i}`, t[0], t[1], side, secondsTextToMicros(t[2]), localTs, raw);
    }
  }
}
