/**
 * Coinbase Advanced Trade websocket feed (`wss://advanced-trade-ws.coinbase.com`): `level2`
 * (`l2_data` messages) books, `market_trades` trades; `heartbeats`, `subscriptions` and the other
 * informational channels are accepted silently.
 *
 * Sequence rule: `sequence_num` is treated as connection-wide (Coinbase's pages do not say whether
 * it counts per connection or per channel; per connection is the stricter reading, and what
 * third-party recorders do): every message must carry the previous one's number + 1. Anything else
 * breaks the chain — higher: a message was lost; lower or equal: one connection never repeats a
 * number, so this one or the previous is wrong (also counted 'bad_sequence') — and since we cannot
 * tell which product's book it touched, EVERY book of the feed turns stale and asks for a
 * re-subscribe (Advanced Trade has no REST snapshot that aligns with the stream: a new subscription
 * re-sends the snapshot in-band). The numbering then continues from the message that broke it.
 */

import type { Micros } from '../../market/events.ts';
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { describeValue } from '../describe-frame.ts';
import { FeedCore, resubscribeRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import { sequenceId } from '../sequence-id.ts';
import { stringAfter } from '../string-after.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { isObject, type JsonObject, JsonRefusal, parseJson, parseJsonStrict } from '../wire-guards.ts';
import {
  type AdvancedEnvelope,
  isAdvancedEnvelope,
  isL2DataEvent,
  isL2DataLevel,
  isMarketTrade,
  isMarketTradesEvent,
  type L2DataEvent,
} from './advanced-wire.ts';
import { isoToMicros } from './iso-time.ts';

export interface CoinbaseAdvancedTradeFeedOptions {
  instruments: InstrumentRegistry;
  listener?: FeedListener;
}

/** Channels that carry nothing for books or trades. */
const SILENT_CHANNELS: ReadonlySet<string> = new Set([
  'heartbeats',
  'subscriptions',
  'ticker',
  'ticker_batch',
  'candles',
  'status',
]);

export class CoinbaseAdvancedTradeFeed implements VenueFeed {
  readonly exchange = 'coinbase' as const;
  private readonly core: FeedCore;
  /** Last `sequence_num` of this connection; NaN before the first message. */
  private lastSequence = Number.NaN;
  /** Messages whose sequence_num was not above the last one (each also a 'bad_sequence' rejection and a gap). */
  duplicates = 0;
  venueErrors = 0;

  constructor(options: CoinbaseAdvancedTradeFeedOptions) {
    this.core = new FeedCore({
      exchange: 'coinbase',
      instruments: options.instruments,
      listener: options.listener ?? {},
      requestFor: resubscribeRequests('coinbase'),
    });
  }

  get counters(): FeedCounters {
    return this.core.counters;
  }

  books(): Iterable<SymbolBook> {
    return this.core.books();
  }

  onMessage(raw: string, localTs: Micros): void {
    const core = this.core;
    core.counters.messages++;
    const msg = parseJsonStrict(raw);
    if (msg instanceof JsonRefusal) {
      core.refuseFrame(msg.reason, msg.detail, raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (!isObject(msg)) {
      if (msg === undefined) core.refuseFrame('malformed', 'not JSON', raw, this.bookNamedIn(raw), localTs);
      else core.reject('malformed', 'not an object', raw);
      return;
    }
    if (msg.type === 'error') {
      this.venueErrors++;
      core.reject('unknown_message', `venue error: ${describeValue(msg.message)}`, raw);
      return;
    }
    if (!isAdvancedEnvelope(msg)) {
      core.reject('malformed', 'message without channel/events', raw);
      return;
    }
    const seq = sequenceId(msg.sequence_num);
    if (seq === undefined) {
      // The numbering cannot be followed through this message: treat it as lost.
      core.reject('bad_sequence', `sequence_num ${describeValue(msg.sequence_num)} is not a sequence`, raw);
      this.gapAll('unreadable sequence_num', localTs);
      this.lastSequence = Number.NaN;
      return;
    }
    const last = this.lastSequence;
    if (!Number.isNaN(last) && seq !== last + 1) {
      if (seq <= last) {
        // One connection never repeats a number: this one, or the last, is wrong.
        this.duplicates++;
        core.reject('bad_sequence', `sequence_num ${seq} not after ${last}`, raw);
      }
      this.gapAll(`sequence_num ${seq}, expected ${last + 1}`, localTs);
    }
    // The numbering continues from this message either way (a snapshot in it is applied).
    this.lastSequence = seq;
    const channel = msg.channel;
    if (channel === 'l2_data') this.onL2Data(msg, seq, raw, localTs);
    else if (channel === 'market_trades') this.onMarketTrades(msg, raw, localTs);
    else if (!SILENT_CHANNELS.has(channel))
      core.reject('unknown_message', `unhandled channel ${channel}`, raw);
  }

  /** A message was lost and we cannot tell whose: every book rebuilds. */
  private gapAll(detail: string, localTs: Micros): void {
    const core = this.core;
    core.counters.gaps++;
    for (const sb of core.books()) {
      sb.counters.gaps++;
      if (sb.trust === 'trusted') core.markStale(sb, `gap: ${detail}`, localTs);
      else if (sb.trust === 'awaiting_snapshot') core.requestSnapshot(sb, `gap: ${detail}`, localTs);
    }
  }

  /** The book a frame refused whole was meant for, read leniently (a repeated key: the last wins). */
  private bookNamedIn(raw: string): SymbolBook | undefined {
    const msg = parseJson(raw);
    if (msg === undefined && raw.includes('"channel":"l2_data"')) {
      const product = stringAfter(raw, '"product_id":"');
      return product === undefined ? undefined : this.core.book(product);
    }
    if (!isObject(msg) || msg.channel !== 'l2_data' || !Array.isArray(msg.events)) return undefined;
    for (const ev of msg.events as unknown[])
      if (isObject(ev) && typeof ev.product_id === 'string') return this.core.book(ev.product_id);
    return undefined;
  }

  private onL2Data(msg: JsonObject & AdvancedEnvelope, seq: number, raw: string, localTs: Micros): void {
    const exchangeTs = isoToMicros(msg.timestamp);
    for (const ev of msg.events) {
      if (!isL2DataEvent(ev)) {
        this.core.reject('malformed', 'l2_data event with missing or mistyped fields', raw);
        continue;
      }
      if (ev.type === 'snapshot') this.onBookSnapshot(ev, seq, exchangeTs, raw, localTs);
      else this.onBookUpdate(ev, seq, exchangeTs, raw, localTs);
    }
  }

  private onBookSnapshot(
    ev: L2DataEvent,
    seq: number,
    exchangeTs: Micros,
    raw: string,
    localTs: Micros,
  ): void {
    const core = this.core;
    const prices: string[] = [];
    const sizes: string[] = [];
    for (const u of ev.updates) {
      if (isL2DataLevel(u)) {
        prices.push(u.price_level);
        sizes.push(u.new_quantity);
      }
    }
    const sb = core.ensureBook(ev.product_id, prices, sizes);
    if (!sb) {
      core.reject('unknown_symbol', `${ev.product_id}: no instrument`, raw);
      return;
    }
    sb.counters.messages++;
    core.begin(sb, true);
    if (!this.applyLevels(sb, ev)) {
      sb.book.clear();
      core.abort(sb, raw, localTs);
      // abort only re-requests for a book that was trusted; a first snapshot needs asking too.
      if (sb.trust === 'stale') core.requestSnapshot(sb, 'snapshot refused', localTs);
      return;
    }
    core.commitSnapshot(sb, seq, exchangeTs, localTs);
  }

  private onBookUpdate(ev: L2DataEvent, seq: number, exchangeTs: Micros, raw: string, localTs: Micros): void {
    const core = this.core;
    const sb = core.book(ev.product_id);
    if (!sb) return; // no snapshot yet: the subscription sends one first
    sb.counters.messages++;
    if (sb.trust !== 'trusted') return; // waiting for the re-subscribe's snapshot
    core.begin(sb, false);
    if (!this.applyLevels(sb, ev)) {
      core.abort(sb, raw, localTs);
      return;
    }
    core.commitUpdate(sb, seq, exchangeTs, localTs);
  }

  private applyLevels(sb: SymbolBook, ev: L2DataEvent): boolean {
    const core = this.core;
    for (const u of ev.updates) {
      if (!isL2DataLevel(u)) {
        core.lastReject = 'malformed';
        return false;
      }
      if (!core.level(sb, u.side === 'bid', u.price_level, u.new_quantity)) return false;
    }
    return true;
  }

  private onMarketTrades(msg: JsonObject & AdvancedEnvelope, raw: string, localTs: Micros): void {
    const core = this.core;
    for (const ev of msg.events) {
      if (!isMarketTradesEvent(ev)) {
        core.reject('malformed', 'market_trades event with missing or mistyped fields', raw);
        continue;
      }
      // The snapshot batch on subscribing is history from before we connected, newest first; the
      // updates are the live tape.
      if (ev.type === 'snapshot') continue;
      for (const t of ev.trades) {
        if (!isMarketTrade(t)) {
          core.reject('malformed', 'market trade with missing or mistyped fields', raw);
          continue;
        }
        core.trade(
          t.product_id,
          String(t.trade_id),
          t.price,
          t.size,
          t.side === 'BUY' ? 'buy' : 'sell',
          isoToMicros(t.time),
          localTs,
          raw,
        );
      }
    }
  }

  /** Advanced Trade books come in-band only; a REST body cannot be aligned with the stream. */
  onSnapshot(venueSymbol: string, body: string, _localTs: Micros): void {
    this.core.reject('unknown_message', `${venueSymbol}: REST snapshot on an Advanced Trade feed`, body);
  }

  onDisconnect(localTs: Micros): void {
    this.core.staleAll('disconnected', localTs);
    this.lastSequence = Number.NaN;
  }
}
