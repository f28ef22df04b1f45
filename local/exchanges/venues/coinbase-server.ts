/**
 * Simulated Coinbase Exchange websocket feed (`wss://ws-feed.exchange.coinbase.com`) and REST
 * (`api.exchange.coinbase.com`: `/products`, `/products/<id>/book?level=1|2`).
 *
 * `{"type":"subscribe","product_ids":[…],"channels":["level2_batch","matches","heartbeat"]}` (channels
 * may also be `{"name","product_ids"}` objects; `level2` is served like `level2_batch`) → a
 * `subscriptions` message listing everything the connection follows, then per product a level2
 * `snapshot` of the TRUE book and, on `matches`, the `last_match`. Then `l2update`
 * (`changes: [["buy"|"sell", price, size]]`, absolute sizes, "0" removes), `match` (`side` is the
 * MAKER's side: an aggressive buy prints `side: "sell"`), and `heartbeat` per product every second.
 * level2 carries no sequence numbers (as on Coinbase): a dropped update is invisible to a client.
 * Subscribing again to a product already followed sends a fresh snapshot (how a client resyncs).
 *
 * `/ws/user` is Advanced Trade's `user` channel (order updates of the account whose JWT
 * subscribes), served by the private API (local/exchanges/private/coinbase).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Micros } from '../../../core/market/events.ts';
import { isObject, parseJson } from '../../../core/venues/wire-guards.ts';
import { CoinbasePrivateApi } from '../private/coinbase/coinbase-private-api.ts';
import { Frame, type VenueFaults } from '../server/faults.ts';
import { sendJson } from '../server/http-util.ts';
import { servePrivateRest } from '../server/private-rest.ts';
import type { SimConnection } from '../server/sim-connection.ts';
import { getOrCreate, subscribersOf } from '../server/subscribers.ts';
import { VenueServer, type VenueServerOptions, type VenueUrls } from '../server/venue-server.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import { isoMicros, levelPairs, topLevels } from '../wire/format.ts';

export interface CoinbaseServerOptions extends VenueServerOptions {
  /** Heartbeat period per subscribed product. Default 1000 ms. */
  readonly heartbeatMs?: number;
}

type Channel = 'level2' | 'level2_batch' | 'matches' | 'heartbeat';
const CHANNELS: readonly Channel[] = ['level2', 'level2_batch', 'matches', 'heartbeat'];

interface CoinbaseConn {
  /** channel → products. */
  readonly channels: Map<Channel, Set<string>>;
  /** A `/ws/user` connection, served by the private API. */
  readonly privateStream: boolean;
}

type Conn = SimConnection<CoinbaseConn>;

export class CoinbaseServer extends VenueServer<CoinbaseConn> {
  private readonly heartbeatMs: number;
  /** product → connections following its book (level2 or level2_batch). */
  private readonly bookSubs = new Map<string, Set<Conn>>();
  private readonly matchSubs = new Map<string, Set<Conn>>();
  private orderIds = 0;

  /** The signed private REST (local/exchanges/private/coinbase). */
  readonly privateApi: CoinbasePrivateApi;

  constructor(market: VenueMarket, options: CoinbaseServerOptions) {
    super('coinbase', market, options);
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.privateApi = new CoinbasePrivateApi(market, { clock: options.clock });
  }

  get faults(): VenueFaults {
    return this.injector;
  }

  protected makeUrls(wsBase: string, httpBase: string): VenueUrls {
    return { ws: wsBase, rest: httpBase };
  }

  protected override started(): void {
    this.every(this.heartbeatMs, () => {
      const time = isoMicros(this.clock());
      for (const c of this.conns) {
        const products = c.state.channels.get('heartbeat');
        if (!products) continue;
        for (const p of products) {
          const t = this.market.get(p);
          if (!t) continue;
          this.reply(
            c,
            `{"type":"heartbeat","last_trade_id":${t.lastTrade?.tradeId ?? 0},"product_id":"${p}","sequence":${t.sequence},"time":"${time}"}`,
          );
        }
      }
    });
  }

  protected accept(url: URL): CoinbaseConn {
    return { channels: new Map(), privateStream: this.privateApi.acceptsStream(url) };
  }

  protected onOpen(conn: Conn): void {
    if (conn.state.privateStream) this.privateApi.openStream(conn.ws);
  }

  protected onClose(conn: Conn): void {
    if (conn.state.privateStream) this.privateApi.closeStream(conn.ws);
    for (const [channel, products] of conn.state.channels) {
      for (const p of products) this.index(channel)?.get(p)?.delete(conn);
    }
  }

  private index(channel: Channel): Map<string, Set<Conn>> | undefined {
    return channel === 'matches' ? this.matchSubs : channel === 'heartbeat' ? undefined : this.bookSubs;
  }

  protected onText(conn: Conn, text: string): void {
    if (conn.state.privateStream) {
      this.privateApi.streamText(conn.ws, text);
      return;
    }
    const msg = parseJson(text);
    if (!isObject(msg) || (msg.type !== 'subscribe' && msg.type !== 'unsubscribe')) {
      this.reply(
        conn,
        '{"type":"error","message":"Failed to subscribe","reason":"type must be subscribe or unsubscribe"}',
      );
      return;
    }
    const subscribe = msg.type === 'subscribe';
    const top = stringList(msg.product_ids) ?? [];
    const wanted: Array<[Channel, string[]]> = [];
    const raw = Array.isArray(msg.channels) ? msg.channels : [];
    for (const ch of raw) {
      const name = typeof ch === 'string' ? ch : isObject(ch) ? ch.name : undefined;
      const products = isObject(ch) ? (stringList(ch.product_ids) ?? top) : top;
      if (typeof name !== 'string' || !CHANNELS.includes(name as Channel)) {
        this.error(
          conn,
          `${String(name)} is not a channel this simulator serves (level2, level2_batch, matches, heartbeat)`,
        );
        return;
      }
      wanted.push([name as Channel, products]);
    }
    if (wanted.length === 0) {
      this.error(conn, 'no channels given');
      return;
    }
    for (const [, products] of wanted) {
      const unknown = products.find((p) => !this.market.get(p));
      if (unknown !== undefined) {
        this.error(conn, `${unknown} is not a valid product`);
        return;
      }
    }
    const wantsBook = wanted.some(([c, ps]) => (c === 'level2' || c === 'level2_batch') && ps.length > 0);
    if (subscribe && wantsBook && this.injector.takeRefusal() !== undefined) {
      this.error(conn, 'service unavailable (simulated)');
      return;
    }
    const snapshots: string[] = [];
    const lastMatches: string[] = [];
    for (const [channel, products] of wanted) {
      const set = getOrCreate(conn.state.channels, channel, () => new Set<string>());
      const index = this.index(channel);
      for (const p of products) {
        if (subscribe) {
          set.add(p);
          if (index) subscribersOf(index, p).add(conn);
          if (channel === 'level2' || channel === 'level2_batch') snapshots.push(p);
          if (channel === 'matches') lastMatches.push(p);
        } else {
          set.delete(p);
          // Still following the book through the other level2 channel?
          const other =
            channel === 'level2' ? 'level2_batch' : channel === 'level2_batch' ? 'level2' : undefined;
          if (!(other && conn.state.channels.get(other)?.has(p))) index?.get(p)?.delete(conn);
        }
      }
      if (set.size === 0) conn.state.channels.delete(channel);
    }
    this.reply(conn, this.subscriptions(conn));
    const time = isoMicros(this.clock());
    for (const p of new Set(snapshots)) {
      const t = this.market.get(p)!;
      const all = Number.POSITIVE_INFINITY;
      this.reply(
        conn,
        `{"type":"snapshot","product_id":"${p}","bids":${levelPairs(t, topLevels(t, true, all))},"asks":${levelPairs(t, topLevels(t, false, all))},"time":"${time}"}`,
      );
    }
    for (const p of lastMatches) {
      const t = this.market.get(p)!;
      if (t.lastTrade) this.reply(conn, this.match(t, t.lastTrade, 'last_match'));
    }
  }

  private subscriptions(conn: Conn): string {
    const channels = [...conn.state.channels].map(([name, ps]) => ({ name, product_ids: [...ps] }));
    return JSON.stringify({ type: 'subscriptions', channels });
  }

  private error(conn: Conn, reason: string): void {
    this.reply(conn, `{"type":"error","message":"Failed to subscribe","reason":${JSON.stringify(reason)}}`);
  }

  // ------------------------------------------------------------------ market → wire

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.privateApi.exchange.onBook(truth, delta, ts);
    const subscribers = this.bookSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    let changes = '';
    for (const [p, s] of delta.bids)
      changes += `${changes ? ',' : ''}["buy","${truth.price(p)}","${truth.size(s)}"]`;
    for (const [p, s] of delta.asks)
      changes += `${changes ? ',' : ''}["sell","${truth.price(p)}","${truth.size(s)}"]`;
    const text = `{"type":"l2update","product_id":"${truth.venueSymbol}","changes":[${changes}],"time":"${isoMicros(ts)}"}`;
    for (const c of subscribers) this.deliver(c, text, Frame.Book, truth.venueSymbol);
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.privateApi.exchange.onTrade(truth, trade);
    const subscribers = this.matchSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    const text = this.match(truth, trade, 'match');
    for (const c of subscribers) this.deliver(c, text, Frame.Trade, truth.venueSymbol);
  }

  private match(truth: TruthBook, trade: TruthTrade, type: 'match' | 'last_match'): string {
    const maker = trade.side === 'buy' ? 'sell' : 'buy';
    const makerId = orderId(++this.orderIds);
    const takerId = orderId(++this.orderIds);
    return `{"type":"${type}","trade_id":${trade.tradeId},"maker_order_id":"${makerId}","taker_order_id":"${takerId}","side":"${maker}","size":"${truth.size(trade.size)}","price":"${truth.price(trade.price)}","product_id":"${truth.venueSymbol}","sequence":${truth.sequence},"time":"${isoMicros(trade.ts)}"}`;
  }

  // ------------------------------------------------------------------ REST

  protected override onRest(
    method: string,
    url: URL,
    body: string,
    res: ServerResponse,
    headers?: IncomingMessage['headers'],
  ): void {
    if (servePrivateRest(this.privateApi, method, url, body, res, headers)) return;
    const path = url.pathname;
    if (method === 'GET' && path === '/products') {
      const list = [...this.market.symbols()].map((t) => {
        const i = t.instrument;
        return {
          id: i.venueSymbol,
          base_currency: i.base,
          quote_currency: i.quote,
          quote_increment: t.price(i.tickSize),
          base_increment: t.size(i.lotSize),
          base_min_size: t.size(i.minSize),
          min_market_funds: String(i.minNotional),
          display_name: `${i.base}/${i.quote}`,
          status: 'online',
          trading_disabled: false,
        };
      });
      sendJson(res, 200, JSON.stringify(list));
      return;
    }
    const m = /^\/products\/([^/]+)\/book$/.exec(path);
    if (method === 'GET' && m) {
      const t = this.market.get(decodeURIComponent(m[1]!));
      if (!t) {
        sendJson(res, 404, '{"message":"NotFound"}');
        return;
      }
      const level = url.searchParams.get('level') ?? '1';
      if (level !== '1' && level !== '2') {
        sendJson(res, 400, '{"message":"level 3 is not simulated; use level 1 or 2"}');
        return;
      }
      const refusal = this.injector.takeRefusal();
      if (refusal !== undefined) {
        sendJson(
          res,
          refusal,
          refusal === 429 ? '{"message":"Public rate limit exceeded"}' : '{"message":"service unavailable"}',
        );
        return;
      }
      const depth = level === '1' ? 1 : 50;
      const withCount = (levels: string): string => levels.replace(/"\]/g, '",1]');
      const body = `{"bids":${withCount(levelPairs(t, topLevels(t, true, depth)))},"asks":${withCount(levelPairs(t, topLevels(t, false, depth)))},"sequence":${t.sequence},"auction_mode":false,"auction":null,"time":"${isoMicros(this.clock())}"}`;
      sendJson(res, 200, body);
      return;
    }
    sendJson(res, 404, '{"message":"NotFound"}');
  }
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** A deterministic UUID-shaped order id. */
function orderId(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}
