/**
 * Simulated Bybit v5 public websocket (`wss://stream.bybit.com/v5/public/linear` or `/spot`).
 *
 * `{"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"],"req_id":…}` → the op
 * reply (`success`, `ret_msg`, `conn_id`, `req_id`), then for each book topic a `snapshot` of the true
 * top N with the topic's `u`, followed by `delta`s with consecutive `u` (per topic, shared by every
 * connection, as on Bybit) that keep the client's top N equal to the truth's: levels leaving the
 * window are deleted, levels entering it are sent. Depth 1 pushes snapshots only. `publicTrade`:
 * `S` is the taker side. `{"op":"ping"}` → `ret_msg: "pong"`. Subscribing to a topic already held is
 * refused as on Bybit (resync = unsubscribe + subscribe). `u` never restarts at 1 (Bybit's
 * service-restart signal); `seq` (cross sequence) is the symbol's update id.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Micros, PriceLevel } from '../../../core/market/events.ts';
import { isObject, parseJson } from '../../../core/venues/wire-guards.ts';
import { BybitHistoryApi } from '../history/bybit-history-api.ts';
import { TradeHistory } from '../history/trade-history.ts';
import { BybitPrivateApi, type BybitPrivateOptions } from '../private/bybit/bybit-private-api.ts';
import { Frame, type VenueFaults } from '../server/faults.ts';
import { sendJson } from '../server/http-util.ts';
import type { SimConnection } from '../server/sim-connection.ts';
import { getOrCreate, subscribersOf } from '../server/subscribers.ts';
import { VenueServer, type VenueServerOptions, type VenueUrls } from '../server/venue-server.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import { DepthView } from '../truth/depth-view.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import { levelPairs, toMillis } from '../wire/format.ts';

export interface BybitServerOptions extends VenueServerOptions {
  /** The signed private API and private stream (local/exchanges/private/bybit): accounts, leverage. */
  readonly privateApi?: Omit<BybitPrivateOptions, 'clock'>;
}

const DEPTHS = [1, 25, 50, 100, 200, 500, 1000];
const TOPIC = /^(orderbook)\.(\d+)\.([A-Z0-9]+)$|^(publicTrade)\.([A-Z0-9]+)$/;

interface BybitConn {
  readonly connId: string;
  readonly topics: Set<string>;
  /** A `/v5/private` connection, served by the private API. */
  readonly privateStream: boolean;
}

type Conn = SimConnection<BybitConn>;

interface BookTopic {
  readonly name: string;
  readonly view: DepthView;
  /** Last update id sent on this topic. */
  u: number;
  readonly subscribers: Set<Conn>;
}

export class BybitServer extends VenueServer<BybitConn> {
  /** symbol → depth → topic. */
  private readonly books = new Map<string, Map<number, BookTopic>>();
  private readonly tradeSubs = new Map<string, Set<Conn>>();
  private connIds = 0;
  /** Klines and recent trades from the trades printed (local/exchanges/history). */
  private readonly history = new TradeHistory();
  private readonly historyApi = new BybitHistoryApi(
    this.history,
    () => this.clock(),
    () => this.market.symbols(),
  );

  /** Order entry, account queries and the private stream. */
  readonly privateApi: BybitPrivateApi;

  constructor(market: VenueMarket, options: BybitServerOptions) {
    super('bybit', market, options);
    this.privateApi = new BybitPrivateApi(market, { clock: options.clock, ...options.privateApi });
  }

  override async close(): Promise<void> {
    this.privateApi.close();
    await super.close();
  }

  protected override onRest(
    method: string,
    url: URL,
    body: string,
    res: ServerResponse,
    headers?: IncomingMessage['headers'],
  ): void {
    if (this.privateApi.handles(url.pathname)) {
      const header = (name: string): string | undefined => {
        const v = headers?.[name];
        return typeof v === 'string' ? v : undefined;
      };
      this.privateApi.rest(method, url, body, header, res);
      return;
    }
    const past = this.historyApi.answer(method, url);
    if (past) sendJson(res, past.status, past.body);
    else sendJson(res, 404, '{"retCode":10001,"retMsg":"not found","result":{},"retExtInfo":{},"time":0}');
  }

  get faults(): VenueFaults {
    return this.injector;
  }

  protected makeUrls(wsBase: string, httpBase: string): VenueUrls {
    return { ws: `${wsBase}/v5/public/linear`, rest: httpBase };
  }

  protected accept(url: URL): BybitConn | undefined {
    const privateStream = this.privateApi.acceptsStream(url);
    if (!privateStream && !/^\/v5\/public\/(linear|spot|inverse)$/.test(url.pathname)) return undefined;
    return { connId: `sim-${++this.connIds}`, topics: new Set(), privateStream };
  }

  protected onOpen(conn: Conn): void {
    if (conn.state.privateStream) this.privateApi.openStream(conn.ws);
  }

  protected onClose(conn: Conn): void {
    if (conn.state.privateStream) {
      this.privateApi.closeStream(conn.ws);
      return;
    }
    for (const t of [...conn.state.topics]) this.unsubscribe(conn, t);
  }

  protected onText(conn: Conn, text: string): void {
    if (conn.state.privateStream) {
      this.privateApi.streamText(conn.ws, text);
      return;
    }
    const msg = parseJson(text);
    if (!isObject(msg) || typeof msg.op !== 'string') {
      this.reply(conn, this.op(conn, '', '', false, 'error:request not supported'));
      return;
    }
    const reqId = typeof msg.req_id === 'string' ? msg.req_id : '';
    const args =
      Array.isArray(msg.args) && msg.args.every((a) => typeof a === 'string') ? (msg.args as string[]) : [];
    switch (msg.op) {
      case 'ping':
        this.reply(conn, this.op(conn, 'ping', reqId, true, 'pong'));
        return;
      case 'subscribe': {
        for (const t of args) {
          const why =
            this.invalid(t) ?? (conn.state.topics.has(t) ? `error:already subscribed,topic:${t}` : undefined);
          if (why) {
            this.reply(conn, this.op(conn, 'subscribe', reqId, false, why));
            return;
          }
        }
        if (args.some((t) => t.startsWith('orderbook.')) && this.injector.takeRefusal() !== undefined) {
          this.reply(conn, this.op(conn, 'subscribe', reqId, false, 'error:service unavailable (simulated)'));
          return;
        }
        this.reply(conn, this.op(conn, 'subscribe', reqId, true, ''));
        for (const t of args) this.subscribe(conn, t);
        return;
      }
      case 'unsubscribe':
        for (const t of args) this.unsubscribe(conn, t);
        this.reply(conn, this.op(conn, 'unsubscribe', reqId, true, ''));
        return;
      default:
        this.reply(conn, this.op(conn, msg.op, reqId, false, `error:unknown op ${msg.op}`));
    }
  }

  private op(conn: Conn, op: string, reqId: string, success: boolean, retMsg: string): string {
    return JSON.stringify({ success, ret_msg: retMsg, conn_id: conn.state.connId, req_id: reqId, op });
  }

  /** Why a topic is refused, or undefined. */
  private invalid(topic: string): string | undefined {
    const m = TOPIC.exec(topic);
    if (!m) return `error:handler not found,topic:${topic}`;
    const symbol = m[3] ?? m[5]!;
    if (!this.market.get(symbol)) return `error:symbol not found,topic:${topic}`;
    if (m[2] !== undefined && !DEPTHS.includes(Number(m[2])))
      return `error:depth not supported,topic:${topic}`;
    return undefined;
  }

  private subscribe(conn: Conn, topic: string): void {
    const m = TOPIC.exec(topic)!;
    conn.state.topics.add(topic);
    if (m[5] !== undefined) {
      subscribersOf(this.tradeSubs, m[5]).add(conn);
      return;
    }
    const symbol = m[3]!;
    const depth = Number(m[2]);
    const truth = this.market.get(symbol)!;
    const byDepth = getOrCreate(this.books, symbol, () => new Map<number, BookTopic>());
    let t = byDepth.get(depth);
    if (!t) {
      // A new topic starts at the symbol's update id: never below a u this topic had before.
      t = {
        name: topic,
        view: new DepthView(truth.book, depth, true),
        u: truth.sequence,
        subscribers: new Set(),
      };
      byDepth.set(depth, t);
    }
    t.subscribers.add(conn);
    this.reply(
      conn,
      this.bookFrame(truth, t, 'snapshot', t.view.book.bids.top(), t.view.book.asks.top(), this.clock()),
    );
  }

  private unsubscribe(conn: Conn, topic: string): void {
    if (!conn.state.topics.delete(topic)) return;
    const m = TOPIC.exec(topic);
    if (!m) return;
    if (m[5] !== undefined) {
      this.tradeSubs.get(m[5])?.delete(conn);
      return;
    }
    const byDepth = this.books.get(m[3]!);
    const t = byDepth?.get(Number(m[2]));
    if (!byDepth || !t) return;
    t.subscribers.delete(conn);
    if (t.subscribers.size === 0) byDepth.delete(Number(m[2]));
    if (byDepth.size === 0) this.books.delete(m[3]!);
  }

  private bookFrame(
    truth: TruthBook,
    t: BookTopic,
    type: 'snapshot' | 'delta',
    bids: readonly PriceLevel[],
    asks: readonly PriceLevel[],
    ts: Micros,
  ): string {
    const ms = toMillis(ts);
    return `{"topic":"${t.name}","type":"${type}","ts":${ms},"data":{"s":"${truth.venueSymbol}","b":${levelPairs(truth, bids)},"a":${levelPairs(truth, asks)},"u":${t.u},"seq":${truth.sequence}},"cts":${ms}}`;
  }

  // ------------------------------------------------------------------ market → wire

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.privateApi.onBook(truth, delta, ts);
    const byDepth = this.books.get(truth.venueSymbol);
    if (!byDepth) return;
    for (const t of byDepth.values()) {
      const vd = t.view.update(truth.book, delta);
      if (vd.bids.length + vd.asks.length === 0) continue;
      t.u++;
      // Level-1 topics push only snapshots.
      const text =
        t.view.depth === 1
          ? this.bookFrame(truth, t, 'snapshot', t.view.book.bids.top(), t.view.book.asks.top(), ts)
          : this.bookFrame(truth, t, 'delta', vd.bids, vd.asks, ts);
      for (const c of t.subscribers) this.deliver(c, text, Frame.Book, truth.venueSymbol);
    }
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.history.onTrade(truth, trade);
    this.privateApi.onTrade(truth, trade);
    const subscribers = this.tradeSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    const s = truth.venueSymbol;
    const ms = toMillis(trade.ts);
    const side = trade.side === 'buy' ? 'Buy' : 'Sell';
    const text = `{"topic":"publicTrade.${s}","type":"snapshot","ts":${ms},"data":[{"T":${ms},"s":"${s}","S":"${side}","v":"${truth.size(trade.size)}","p":"${truth.price(trade.price)}","L":"ZeroPlusTick","i":"${trade.tradeId}","BT":false}]}`;
    for (const c of subscribers) this.deliver(c, text, Frame.Trade, s);
  }
}
