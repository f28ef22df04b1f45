/**
 * Simulated Binance spot (`stream.binance.com` + `api.binance.com`) and USD-M futures
 * (`fstream.binance.com` + `fapi.binance.com`).
 *
 * Websocket: `/ws`, `/ws/<stream>[/<stream>…]` (raw payloads) and `/stream?streams=a/b` (combined
 * `{"stream","data"}` envelopes); live `{"method":"SUBSCRIBE"|"UNSUBSCRIBE"|"LIST_SUBSCRIPTIONS",
 * "params":[…],"id":…}`; `timeUnit=MICROSECOND` in the query writes E/T in µs. Streams served:
 * the diff-depth streams the market offers (config/venues.ts BINANCE_DEPTH_STREAMS: spot `depth`,
 * `depth@100ms`; USD-M also `depth@500ms`, `depth@0ms`; depthUpdate U/u, futures also pu) and
 * `<sym>@trade` / `<sym>@aggTrade`; other stream names (`depth@1ms`, a spot-only name on USD-M) are
 * accepted and stay silent, as on Binance. Server ping frames every 20 s (configurable); a
 * client that does not pong for a minute is cut; connections are closed after 24 h (configurable) as
 * Binance does.
 *
 * Update ids: one id per level change, so a delta of n levels is `U = L+1 … u = L+n` and futures
 * `pu` is the previous `u`; ids and trade ids continue across simulator sessions
 * (truth/session-ids.ts). REST `GET /api/v3/depth` / `/fapi/v1/depth` answers the TRUE book at that
 * moment with `lastUpdateId` = the id of that state: the diffs that follow bridge it exactly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BINANCE_DEPTH_STREAMS } from '../../../config/venues.ts';
import type { Micros } from '../../../core/market/events.ts';
import { isObject, parseJson } from '../../../core/venues/wire-guards.ts';
import { BinanceHistoryApi } from '../history/binance-history-api.ts';
import { TradeHistory } from '../history/trade-history.ts';
import { BinancePrivateApi, type BinancePrivateOptions } from '../private/binance-private-api.ts';
import { Frame, type VenueFaults } from '../server/faults.ts';
import { intParam, sendJson } from '../server/http-util.ts';
import type { SimConnection } from '../server/sim-connection.ts';
import { subscribersOf } from '../server/subscribers.ts';
import { VenueServer, type VenueServerOptions, type VenueUrls } from '../server/venue-server.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import { levelPairs, toMillis, topLevels } from '../wire/format.ts';

export interface BinanceServerOptions extends VenueServerOptions {
  readonly futures: boolean;
  /** Server ping frames. Default 20 000 ms (spot; futures pings every 3 min, kept at 20 s here). */
  readonly pingIntervalMs?: number;
  /** Cut a client that has not answered a ping for this long. Default 60 000 ms. */
  readonly pongTimeoutMs?: number;
  /** Close connections older than this (Binance: 24 h). */
  readonly connectionLifetimeMs?: number;
  /** The signed private API (local/exchanges/private): accounts, limits. */
  readonly privateApi?: Omit<BinancePrivateOptions, 'futures' | 'clock'>;
}

interface BinanceConn {
  readonly combined: boolean;
  readonly micros: boolean;
  readonly openedAt: Micros;
  /** Every subscribed stream name (as the client wrote it). */
  readonly streams: Set<string>;
  /** Venue symbol → depth stream name. */
  readonly depth: Map<string, string>;
  /** Venue symbol → trade stream name and whether it is aggTrade. */
  readonly trades: Map<string, { name: string; agg: boolean }>;
  /** A user-data stream connection, served by the private API. */
  readonly privateStream: boolean;
}

type Conn = SimConnection<BinanceConn>;

const STREAM = /^([a-z0-9_]+)@([a-zA-Z0-9_@]+)$/;

export class BinanceServer extends VenueServer<BinanceConn> {
  readonly futures: boolean;
  /** The diff-depth stream kinds this market serves. */
  private readonly depthKinds: ReadonlySet<string>;
  private readonly depthSubs = new Map<string, Set<Conn>>();
  private readonly tradeSubs = new Map<string, Set<Conn>>();
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly lifetimeMs: number;
  /** REST weight used in the current minute (reported in X-MBX-USED-WEIGHT-1M). */
  private weightMinute = 0;
  private weightUsed = 0;
  /** Order entry, account queries and user-data streams. */
  readonly privateApi: BinancePrivateApi;
  /** Klines and aggregate trades from the trades printed (local/exchanges/history). */
  private readonly history = new TradeHistory();
  private readonly historyApi: BinanceHistoryApi;

  constructor(market: VenueMarket, options: BinanceServerOptions) {
    super(options.futures ? 'binance-futures' : 'binance', market, options);
    this.futures = options.futures;
    this.depthKinds = new Set(BINANCE_DEPTH_STREAMS[options.futures ? 'binance-futures' : 'binance']);
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 60_000;
    this.lifetimeMs = options.connectionLifetimeMs ?? 24 * 3600 * 1000;
    this.historyApi = new BinanceHistoryApi(this.history, options.futures, () => this.clock());
    this.privateApi = new BinancePrivateApi(market, {
      futures: options.futures,
      clock: options.clock,
      ...options.privateApi,
    });
  }

  override async close(): Promise<void> {
    this.privateApi.close();
    await super.close();
  }

  get faults(): VenueFaults {
    return this.injector;
  }

  protected makeUrls(wsBase: string, httpBase: string): VenueUrls {
    return { ws: wsBase, rest: httpBase };
  }

  protected override started(): void {
    this.pingEvery(this.pingIntervalMs, this.pongTimeoutMs);
    this.every(Math.min(1000, this.lifetimeMs), () => {
      const now = this.clock();
      for (const c of this.conns) {
        if (now - c.state.openedAt >= this.lifetimeMs * 1000) c.ws.close(1000, 'connection lifetime reached');
      }
    });
  }

  protected accept(url: URL): BinanceConn | undefined {
    const path = url.pathname;
    const privateStream = this.privateApi.acceptsStream(url);
    if (!privateStream && path !== '/ws' && path !== '/stream' && !path.startsWith('/ws/')) return undefined;
    return {
      privateStream,
      combined: path === '/stream',
      micros: (url.searchParams.get('timeUnit') ?? '').toUpperCase() === 'MICROSECOND',
      openedAt: this.clock(),
      streams: new Set(),
      depth: new Map(),
      trades: new Map(),
    };
  }

  protected onOpen(conn: Conn, url: URL): void {
    if (conn.state.privateStream) {
      this.privateApi.openStream(conn.ws, url);
      return;
    }
    const names =
      url.pathname === '/stream'
        ? (url.searchParams.get('streams') ?? '').split('/')
        : url.pathname.slice('/ws/'.length).split('/');
    for (const n of names) if (n) this.subscribe(conn, n);
  }

  protected onClose(conn: Conn): void {
    if (conn.state.privateStream) {
      this.privateApi.closeStream(conn.ws);
      return;
    }
    for (const name of [...conn.state.streams]) this.unsubscribe(conn, name);
  }

  protected onText(conn: Conn, text: string): void {
    if (conn.state.privateStream) {
      this.privateApi.streamText(conn.ws, text);
      return;
    }
    const msg = parseJson(text);
    if (!isObject(msg)) {
      this.reply(conn, '{"error":{"code":3,"msg":"Invalid JSON: expected an object"}}');
      return;
    }
    const id = JSON.stringify(msg.id ?? null);
    const params = msg.params;
    const names = Array.isArray(params) && params.every((p) => typeof p === 'string') ? params : undefined;
    switch (msg.method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const bad = names?.find((n) => !STREAM.test(n));
        if (!names || bad !== undefined) {
          this.reply(
            conn,
            `{"error":{"code":2,"msg":"Invalid request: invalid stream name ${JSON.stringify(bad ?? '')}"},"id":${id}}`,
          );
          return;
        }
        for (const n of names) {
          if (msg.method === 'SUBSCRIBE') this.subscribe(conn, n);
          else this.unsubscribe(conn, n);
        }
        this.reply(conn, `{"result":null,"id":${id}}`);
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        this.reply(conn, `{"result":${JSON.stringify([...conn.state.streams])},"id":${id}}`);
        return;
      case 'SET_PROPERTY':
        this.reply(conn, `{"result":null,"id":${id}}`);
        return;
      case 'GET_PROPERTY':
        this.reply(conn, `{"result":${conn.state.combined},"id":${id}}`);
        return;
      default:
        this.reply(conn, `{"error":{"code":2,"msg":"Invalid request: unknown method"},"id":${id}}`);
    }
  }

  private subscribe(conn: Conn, name: string): void {
    const m = STREAM.exec(name);
    if (!m) return;
    const symbol = m[1]!.toUpperCase();
    const kind = m[2]!;
    conn.state.streams.add(name);
    if (this.depthKinds.has(kind)) {
      conn.state.depth.set(symbol, name);
      subscribersOf(this.depthSubs, symbol).add(conn);
    } else if (kind === 'trade' || kind === 'aggTrade') {
      conn.state.trades.set(symbol, { name, agg: kind === 'aggTrade' });
      subscribersOf(this.tradeSubs, symbol).add(conn);
    }
  }

  private unsubscribe(conn: Conn, name: string): void {
    if (!conn.state.streams.delete(name)) return;
    const m = STREAM.exec(name);
    if (!m) return;
    const symbol = m[1]!.toUpperCase();
    if (conn.state.depth.get(symbol) === name) {
      conn.state.depth.delete(symbol);
      this.depthSubs.get(symbol)?.delete(conn);
    }
    if (conn.state.trades.get(symbol)?.name === name) {
      conn.state.trades.delete(symbol);
      this.tradeSubs.get(symbol)?.delete(conn);
    }
  }

  // ------------------------------------------------------------------ market → wire

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.privateApi.onBook(truth, delta, ts);
    const subscribers = this.depthSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    const n = delta.bids.length + delta.asks.length;
    const u = truth.sequence;
    const U = u - n + 1;
    const levels = `"b":${levelPairs(truth, delta.bids)},"a":${levelPairs(truth, delta.asks)}}`;
    const ids = this.futures
      ? `"s":"${truth.venueSymbol}","U":${U},"u":${u},"pu":${U - 1},`
      : `"s":"${truth.venueSymbol}","U":${U},"u":${u},`;
    let ms: string | undefined;
    let us: string | undefined;
    for (const c of subscribers) {
      let data: string;
      if (c.state.micros) data = us ??= this.depthFrame(ts, ids, levels);
      else data = ms ??= this.depthFrame(toMillis(ts), ids, levels);
      const text = c.state.combined
        ? `{"stream":"${c.state.depth.get(truth.venueSymbol)}","data":${data}}`
        : data;
      this.deliver(c, text, Frame.Book, truth.venueSymbol);
    }
  }

  private depthFrame(time: number, ids: string, levels: string): string {
    return this.futures
      ? `{"e":"depthUpdate","E":${time},"T":${time},${ids}${levels}`
      : `{"e":"depthUpdate","E":${time},${ids}${levels}`;
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.history.onTrade(truth, trade);
    this.privateApi.onTrade(truth, trade);
    const subscribers = this.tradeSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    const s = truth.venueSymbol;
    const p = truth.price(trade.price);
    const q = truth.size(trade.size);
    const m = trade.side === 'sell'; // buyer is maker = the aggressor sold
    for (const c of subscribers) {
      const sub = c.state.trades.get(s);
      if (!sub) continue;
      const t = c.state.micros ? trade.ts : toMillis(trade.ts);
      const id = trade.tradeId;
      const tail = this.futures ? '' : ',"M":true';
      const data = sub.agg
        ? `{"e":"aggTrade","E":${t},"s":"${s}","a":${id},"p":"${p}","q":"${q}","f":${id},"l":${id},"T":${t},"m":${m}${tail}}`
        : this.futures
          ? `{"e":"trade","E":${t},"T":${t},"s":"${s}","t":${id},"p":"${p}","q":"${q}","X":"MARKET","m":${m}}`
          : `{"e":"trade","E":${t},"s":"${s}","t":${id},"p":"${p}","q":"${q}","T":${t},"m":${m},"M":true}`;
      this.deliver(c, c.state.combined ? `{"stream":"${sub.name}","data":${data}}` : data, Frame.Trade, s);
    }
  }

  // ------------------------------------------------------------------ REST

  protected override onRest(
    method: string,
    url: URL,
    body: string,
    res: ServerResponse,
    headers?: IncomingMessage['headers'],
  ): void {
    if (this.privateApi.handles(url.pathname)) {
      const key = headers?.['x-mbx-apikey'];
      this.privateApi.rest(method, url, body, typeof key === 'string' ? key : undefined, res);
      return;
    }
    const past = this.historyApi.answer(method, url);
    if (past) {
      this.json(res, past.weight, past.body, past.status);
      return;
    }
    const prefix = this.futures ? '/fapi/v1' : '/api/v3';
    const path = url.pathname;
    if (method !== 'GET' || !path.startsWith(prefix)) {
      sendJson(res, 404, '{"code":-1,"msg":"not found"}');
      return;
    }
    switch (path.slice(prefix.length)) {
      case '/depth':
        this.depth(url, res);
        return;
      case '/ping':
        this.json(res, 1, '{}');
        return;
      case '/time':
        this.json(res, 1, `{"serverTime":${toMillis(this.clock())}}`);
        return;
      case '/exchangeInfo':
        this.json(res, this.futures ? 1 : 20, this.exchangeInfo());
        return;
      default:
        sendJson(res, 404, '{"code":-1,"msg":"not found"}');
    }
  }

  private depth(url: URL, res: ServerResponse): void {
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    if (!symbol) {
      this.error(res, 400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
      return;
    }
    const truth = this.market.get(symbol);
    if (!truth) {
      this.error(res, 400, -1121, 'Invalid symbol.');
      return;
    }
    const limit = intParam(url, 'limit', this.futures ? 500 : 100);
    const valid = this.futures
      ? [5, 10, 20, 50, 100, 500, 1000].includes(limit)
      : limit >= 1 && limit <= 5000;
    if (!valid) {
      this.error(res, 400, -1100, "Illegal characters found in parameter 'limit'.");
      return;
    }
    const refusal = this.injector.takeRefusal();
    if (refusal === 429) {
      this.error(
        res,
        429,
        -1003,
        'Too many requests; please use the websocket for live updates to avoid polling the API.',
        {
          'retry-after': '1',
        },
      );
      return;
    }
    if (refusal === 503) {
      this.error(
        res,
        503,
        -1008,
        'Server is currently overloaded with other requests. Please try again in a few minutes.',
      );
      return;
    }
    const bids = levelPairs(truth, topLevels(truth, true, limit));
    const asks = levelPairs(truth, topLevels(truth, false, limit));
    const now = toMillis(this.clock());
    const body = this.futures
      ? `{"lastUpdateId":${truth.sequence},"E":${now},"T":${now},"bids":${bids},"asks":${asks}}`
      : `{"lastUpdateId":${truth.sequence},"bids":${bids},"asks":${asks}}`;
    this.json(res, weightOf(this.futures, limit), body);
  }

  private exchangeInfo(): string {
    const symbols: string[] = [];
    for (const t of this.market.symbols()) {
      const i = t.instrument;
      const tick = t.price(i.tickSize);
      const step = t.size(i.lotSize);
      symbols.push(
        JSON.stringify({
          symbol: i.venueSymbol,
          status: 'TRADING',
          baseAsset: i.base,
          quoteAsset: i.quote,
          ...(this.futures ? { contractType: 'PERPETUAL' } : {}),
          filters: [
            { filterType: 'PRICE_FILTER', tickSize: tick },
            { filterType: 'LOT_SIZE', stepSize: step },
          ],
        }),
      );
    }
    return `{"timezone":"UTC","serverTime":${toMillis(this.clock())},"symbols":[${symbols.join(',')}]}`;
  }

  private json(res: ServerResponse, weight: number, body: string, status = 200): void {
    const minute = Math.floor(this.clock() / 60_000_000);
    if (minute !== this.weightMinute) {
      this.weightMinute = minute;
      this.weightUsed = 0;
    }
    this.weightUsed += weight;
    sendJson(res, status, body, { 'x-mbx-used-weight-1m': String(this.weightUsed) });
  }

  private error(
    res: ServerResponse,
    status: number,
    code: number,
    msg: string,
    headers: Record<string, string> = {},
  ): void {
    sendJson(res, status, JSON.stringify({ code, msg }), headers);
  }
}

/** Binance REST weights of the depth endpoint. */
function weightOf(futures: boolean, limit: number): number {
  if (futures) return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}
