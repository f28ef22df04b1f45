/**
 * Simulated KuCoin spot public market data (`api.kucoin.com` + its websocket).
 *
 * REST: `POST /api/v1/bullet-public` → `{code:"200000",data:{token,instanceServers:[{endpoint,
 * pingInterval,pingTimeout,…}]}}` with `endpoint` pointing at this server's `/endpoint`;
 * `GET /api/v3/market/orderbook/level2?symbol=` (full book) and `/api/v1/market/orderbook/level2_20|_100`
 * → `{code:"200000",data:{sequence,time,bids,asks}}` of the TRUE book with the sequence of that state;
 * `/api/v1/symbols`, `/api/v1/timestamp`.
 *
 * Websocket `/endpoint?token=…&connectId=…` (unknown tokens are refused): `welcome`; `{"type":"subscribe",
 * "topic":"/market/level2:A,B" | "/market/match:A,B","id","response":true}` → `ack`; `{"type":"ping"}`
 * → `pong`. `trade.l2update`: one sequence per level change, `sequenceStart..sequenceEnd` chaining
 * exactly onto the previous message and onto the REST snapshot's `sequence`; each change carries its
 * own sequence. `trade.l3match`: `side` is the taker's, `time` in ns.
 *
 * A connection made with a bullet-private token is the account's private push, served by the
 * private API (local/exchanges/private/kucoin: `/spotMarket/tradeOrdersV2`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Micros } from '../../../core/market/events.ts';
import { isObject, parseJson } from '../../../core/venues/wire-guards.ts';
import { KucoinPrivateApi } from '../private/kucoin/kucoin-private-api.ts';
import { Frame, type VenueFaults } from '../server/faults.ts';
import { sendJson } from '../server/http-util.ts';
import { servePrivateRest } from '../server/private-rest.ts';
import type { SimConnection } from '../server/sim-connection.ts';
import { subscribersOf } from '../server/subscribers.ts';
import { VenueServer, type VenueServerOptions, type VenueUrls } from '../server/venue-server.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import { levelPairs, toMillis, topLevels } from '../wire/format.ts';

export interface KucoinServerOptions extends VenueServerOptions {
  /** Advertised in the bullet response. Default 18 000 / 10 000 ms (KuCoin's values). */
  readonly pingIntervalMs?: number;
  readonly pingTimeoutMs?: number;
}

type Channel = 'level2' | 'match';

interface KucoinConn {
  readonly connectId: string;
  /** Made with a bullet-private token: served by the private API. */
  readonly privateStream: boolean;
  /** `${channel}:${symbol}`. */
  readonly subs: Set<string>;
}

type Conn = SimConnection<KucoinConn>;

const TOPIC = /^\/market\/(level2|match):(.+)$/;
const MAX_SYMBOLS_PER_TOPIC = 100;
const MAX_TOKENS = 1000;

export class KucoinServer extends VenueServer<KucoinConn> {
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly tokens = new Set<string>();
  private readonly bookSubs = new Map<string, Set<Conn>>();
  private readonly matchSubs = new Map<string, Set<Conn>>();
  private tokensIssued = 0;
  private connects = 0;
  private orderIds = 0;

  /** The signed private REST (local/exchanges/private/kucoin). */
  readonly privateApi: KucoinPrivateApi;

  constructor(market: VenueMarket, options: KucoinServerOptions) {
    super('kucoin', market, options);
    this.pingIntervalMs = options.pingIntervalMs ?? 18_000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 10_000;
    this.privateApi = new KucoinPrivateApi(market, {
      clock: options.clock,
      streamEndpoint: () => this.urls.ws,
      pingIntervalMs: this.pingIntervalMs,
    });
  }

  get faults(): VenueFaults {
    return this.injector;
  }

  /** `ws` is the endpoint a bullet-public response hands out (a token is still needed). */
  protected makeUrls(wsBase: string, httpBase: string): VenueUrls {
    return { ws: `${wsBase}/endpoint`, rest: httpBase };
  }

  protected accept(url: URL): KucoinConn | undefined {
    const privateStream = this.privateApi.acceptsStream(url);
    if (
      url.pathname !== '/endpoint' ||
      (!privateStream && !this.tokens.has(url.searchParams.get('token') ?? ''))
    )
      return undefined;
    const connectId = url.searchParams.get('connectId') ?? `sim-${++this.connects}`;
    return { connectId, subs: new Set(), privateStream };
  }

  protected onOpen(conn: Conn, url: URL): void {
    if (conn.state.privateStream) this.privateApi.openStream(conn.ws, url);
    this.reply(conn, `{"id":${JSON.stringify(conn.state.connectId)},"type":"welcome"}`);
  }

  protected onClose(conn: Conn): void {
    if (conn.state.privateStream) this.privateApi.closeStream(conn.ws);
    for (const key of conn.state.subs) {
      const [channel, symbol] = splitKey(key);
      this.index(channel).get(symbol)?.delete(conn);
    }
    conn.state.subs.clear();
  }

  private index(channel: Channel): Map<string, Set<Conn>> {
    return channel === 'level2' ? this.bookSubs : this.matchSubs;
  }

  protected onText(conn: Conn, text: string): void {
    if (conn.state.privateStream) {
      this.privateApi.streamText(conn.ws, text);
      return;
    }
    const msg = parseJson(text);
    if (!isObject(msg)) {
      this.reply(conn, '{"type":"error","code":400,"data":"malformed message"}');
      return;
    }
    const id = JSON.stringify(typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : '');
    switch (msg.type) {
      case 'ping':
        this.reply(conn, `{"id":${id},"type":"pong"}`);
        return;
      case 'subscribe':
      case 'unsubscribe': {
        const m = typeof msg.topic === 'string' ? TOPIC.exec(msg.topic) : null;
        if (!m) {
          this.reply(
            conn,
            `{"id":${id},"type":"error","code":404,"data":${JSON.stringify(`topic ${String(msg.topic)} is not found`)}}`,
          );
          return;
        }
        const channel = m[1] as Channel;
        const symbols = m[2]!.split(',');
        const unknown = symbols.find((s) => !this.market.get(s));
        if (symbols.length > MAX_SYMBOLS_PER_TOPIC || unknown !== undefined) {
          const why =
            unknown !== undefined
              ? `symbol ${unknown} not exists`
              : 'exceed max subscription count limitation of 100 per topic';
          this.reply(conn, `{"id":${id},"type":"error","code":400,"data":${JSON.stringify(why)}}`);
          return;
        }
        for (const s of symbols) {
          const key = `${channel}:${s}`;
          if (msg.type === 'subscribe') {
            conn.state.subs.add(key);
            subscribersOf(this.index(channel), s).add(conn);
          } else {
            conn.state.subs.delete(key);
            this.index(channel).get(s)?.delete(conn);
          }
        }
        if (msg.response !== false) this.reply(conn, `{"id":${id},"type":"ack"}`);
        return;
      }
      default:
        this.reply(conn, `{"id":${id},"type":"error","code":400,"data":"unsupported message type"}`);
    }
  }

  // ------------------------------------------------------------------ market → wire

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.privateApi.exchange.onBook(truth, delta, ts);
    const subscribers = this.bookSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    const n = delta.bids.length + delta.asks.length;
    const end = truth.sequence;
    const start = end - n + 1;
    let seq = start;
    let bids = '';
    for (const [p, s] of delta.bids)
      bids += `${bids ? ',' : ''}["${truth.price(p)}","${truth.size(s)}","${seq++}"]`;
    let asks = '';
    for (const [p, s] of delta.asks)
      asks += `${asks ? ',' : ''}["${truth.price(p)}","${truth.size(s)}","${seq++}"]`;
    const sym = truth.venueSymbol;
    const text = `{"type":"message","topic":"/market/level2:${sym}","subject":"trade.l2update","data":{"changes":{"asks":[${asks}],"bids":[${bids}]},"sequenceEnd":${end},"sequenceStart":${start},"symbol":"${sym}","time":${toMillis(ts)}}}`;
    for (const c of subscribers) this.deliver(c, text, Frame.Book, sym);
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.privateApi.exchange.onTrade(truth, trade);
    const subscribers = this.matchSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    const sym = truth.venueSymbol;
    const maker = (++this.orderIds).toString(16).padStart(24, '0');
    const taker = (++this.orderIds).toString(16).padStart(24, '0');
    const text = `{"type":"message","topic":"/market/match:${sym}","subject":"trade.l3match","data":{"makerOrderId":"${maker}","price":"${truth.price(trade.price)}","sequence":"${truth.sequence}","side":"${trade.side}","size":"${truth.size(trade.size)}","symbol":"${sym}","takerOrderId":"${taker}","time":"${trade.ts}000","tradeId":"${trade.tradeId}","type":"match"}}`;
    for (const c of subscribers) this.deliver(c, text, Frame.Trade, sym);
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
    if (method === 'POST' && path === '/api/v1/bullet-public') {
      const token = `sim-token-${++this.tokensIssued}-${this.clock()}`;
      this.tokens.add(token);
      // Bounded: the oldest tokens expire (KuCoin's expire after 24 h).
      if (this.tokens.size > MAX_TOKENS) this.tokens.delete(this.tokens.values().next().value!);
      const body = {
        code: '200000',
        data: {
          token,
          instanceServers: [
            {
              endpoint: this.urls.ws,
              encrypt: false,
              protocol: 'websocket',
              pingInterval: this.pingIntervalMs,
              pingTimeout: this.pingTimeoutMs,
            },
          ],
        },
      };
      sendJson(res, 200, JSON.stringify(body));
      return;
    }
    if (method !== 'GET') {
      sendJson(res, 404, '{"code":"404000","msg":"Not Found"}');
      return;
    }
    if (
      path === '/api/v3/market/orderbook/level2' ||
      path === '/api/v1/market/orderbook/level2_20' ||
      path === '/api/v1/market/orderbook/level2_100'
    ) {
      const depth = path.endsWith('_20') ? 20 : path.endsWith('_100') ? 100 : Number.POSITIVE_INFINITY;
      this.orderbook(url, depth, res);
      return;
    }
    if (path === '/api/v1/timestamp') {
      sendJson(res, 200, `{"code":"200000","data":${toMillis(this.clock())}}`);
      return;
    }
    if (path === '/api/v1/symbols') {
      const data = [...this.market.symbols()].map((t) => {
        const i = t.instrument;
        return {
          symbol: i.venueSymbol,
          name: i.venueSymbol,
          baseCurrency: i.base,
          quoteCurrency: i.quote,
          priceIncrement: t.price(i.tickSize),
          baseIncrement: t.size(i.lotSize),
          baseMinSize: t.size(i.minSize),
          enableTrading: true,
        };
      });
      sendJson(res, 200, JSON.stringify({ code: '200000', data }));
      return;
    }
    sendJson(res, 404, '{"code":"404000","msg":"Not Found"}');
  }

  private orderbook(url: URL, depth: number, res: ServerResponse): void {
    const truth = this.market.get(url.searchParams.get('symbol') ?? '');
    if (!truth) {
      sendJson(res, 200, '{"code":"400100","msg":"This pair is not provided at present"}');
      return;
    }
    const refusal = this.injector.takeRefusal();
    if (refusal === 429) {
      sendJson(
        res,
        429,
        '{"code":"429000","msg":"Too many requests in a short period of time, please retry later."}',
      );
      return;
    }
    if (refusal === 503) {
      sendJson(res, 503, '{"code":"503000","msg":"Service unavailable, please retry later."}');
      return;
    }
    const bids = levelPairs(truth, topLevels(truth, true, depth));
    const asks = levelPairs(truth, topLevels(truth, false, depth));
    sendJson(
      res,
      200,
      `{"code":"200000","data":{"time":${toMillis(this.clock())},"sequence":"${truth.sequence}","bids":${bids},"asks":${asks}}}`,
    );
  }
}

function splitKey(key: string): [Channel, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i) as Channel, key.slice(i + 1)];
}
