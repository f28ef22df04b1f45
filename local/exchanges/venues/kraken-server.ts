/**
 * Simulated Kraken spot websocket v1 (`wss://ws.kraken.com`) with its REST AssetPairs.
 *
 * On connect: `systemStatus`. `{"event":"subscribe","pair":[…],"subscription":{"name":"book","depth":N}}`
 * (N ∈ 10, 25, 100, 500, 1000; default 10) → per pair a `subscriptionStatus` with a channelID, then
 * the snapshot `[id,{"as":[…],"bs":[…]},"book-N",pair]` of the true top N; `"name":"trade"` → trades.
 * Updates `[id,{"a":[…]},{"b":[…],"c":"crc"},"book-N",pair]`: only what changes inside the client's
 * window; levels that enter it when better ones go are re-sent with the `"r"` flag; levels pushed
 * out by better ones get no delete (the client truncates to N, as on Kraken). `c` is the CRC-32 of
 * the true top 10 in wire strings (core/book/checksum). `unsubscribe`, `{"event":"ping"}` → `pong`,
 * `{"event":"heartbeat"}` after a quiet second.
 *
 * `/v2` is the WS v2 private stream (`wss://ws-auth.kraken.com/v2`: channel `executions`), served by
 * the private API (local/exchanges/private/kraken).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { krakenV1Checksum } from '../../../core/book/checksum/kraken-checksum.ts';
import type { Micros, PriceLevel } from '../../../core/market/events.ts';
import { isObject, type JsonObject, parseJson } from '../../../core/venues/wire-guards.ts';
import { KrakenPrivateApi } from '../private/kraken/kraken-private-api.ts';
import { type ChecksumFaults, Frame } from '../server/faults.ts';
import { sendJson } from '../server/http-util.ts';
import { servePrivateRest } from '../server/private-rest.ts';
import type { SimConnection } from '../server/sim-connection.ts';
import { getOrCreate, subscribersOf } from '../server/subscribers.ts';
import { VenueServer, type VenueServerOptions, type VenueUrls } from '../server/venue-server.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import { DepthView } from '../truth/depth-view.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import { secondsText, topLevels } from '../wire/format.ts';

export interface KrakenServerOptions extends VenueServerOptions {
  /** A subscribed connection that got nothing for this long gets a heartbeat. Default 1000 ms. */
  readonly heartbeatMs?: number;
}

const DEPTHS = [10, 25, 100, 500, 1000];

interface Subscription {
  readonly pair: string;
  readonly name: string; // 'book' | 'trade'
  readonly channelName: string; // 'book-10' | 'trade'
  readonly channelId: number;
  readonly depth: number;
}

interface KrakenConn {
  /** `${name}|${pair}` → subscription. */
  readonly subs: Map<string, Subscription>;
  /** A `/v2` private-stream connection, served by the private API. */
  readonly privateStream: boolean;
}

type Conn = SimConnection<KrakenConn>;

interface BookTopic {
  readonly view: DepthView;
  readonly channelId: number;
  readonly channelName: string;
  readonly subscribers: Set<Conn>;
}

export class KrakenServer extends VenueServer<KrakenConn> {
  private readonly heartbeatMs: number;
  /** pair → depth → topic. */
  private readonly books = new Map<string, Map<number, BookTopic>>();
  private readonly tradeSubs = new Map<string, Set<Conn>>();
  /** Stable channel ids per `${channelName}|${pair}`, as Kraken's are. */
  private readonly channelIds = new Map<string, number>();
  /** Checksum of each pair's top 10 after the last change (to tell verifiable frames apart). */
  private readonly lastCrc = new Map<string, number>();
  private nextConnectionId = 1_000_000;
  /** The signed private REST (local/exchanges/private/kraken). */
  readonly privateApi: KrakenPrivateApi;

  constructor(market: VenueMarket, options: KrakenServerOptions) {
    super('kraken', market, options);
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.privateApi = new KrakenPrivateApi(market, { clock: options.clock });
  }

  override async close(): Promise<void> {
    this.privateApi.close();
    await super.close();
  }

  get faults(): ChecksumFaults {
    return this.injector;
  }

  protected makeUrls(wsBase: string, httpBase: string): VenueUrls {
    return { ws: wsBase, rest: httpBase };
  }

  protected override started(): void {
    this.every(this.heartbeatMs, () => {
      const quietSince = this.clock() - this.heartbeatMs * 1000;
      for (const c of this.conns) {
        if (c.state.subs.size > 0 && c.lastSentAt <= quietSince) this.reply(c, '{"event":"heartbeat"}');
      }
    });
  }

  protected accept(url: URL): KrakenConn {
    return { subs: new Map(), privateStream: this.privateApi.acceptsStream(url) };
  }

  protected onOpen(conn: Conn): void {
    if (conn.state.privateStream) {
      this.privateApi.openStream(conn.ws);
      return;
    }
    this.reply(
      conn,
      `{"connectionID":${this.nextConnectionId++},"event":"systemStatus","status":"online","version":"1.9.5"}`,
    );
  }

  protected onClose(conn: Conn): void {
    if (conn.state.privateStream) this.privateApi.closeStream(conn.ws);
    for (const s of [...conn.state.subs.values()]) this.drop(conn, s);
  }

  protected onText(conn: Conn, text: string): void {
    if (conn.state.privateStream) {
      this.privateApi.streamText(conn.ws, text);
      return;
    }
    const msg = parseJson(text);
    if (!isObject(msg)) {
      this.reply(conn, '{"errorMessage":"Malformed request","event":"error","status":"error"}');
      return;
    }
    const reqid = typeof msg.reqid === 'number' ? `,"reqid":${msg.reqid}` : '';
    switch (msg.event) {
      case 'ping':
        this.reply(conn, `{"event":"pong"${reqid}}`);
        return;
      case 'subscribe':
      case 'unsubscribe':
        this.onSubscription(conn, msg, msg.event, reqid);
        return;
      default:
        this.reply(conn, `{"errorMessage":"Unsupported event","event":"error"${reqid},"status":"error"}`);
    }
  }

  private onSubscription(
    conn: Conn,
    msg: JsonObject,
    event: 'subscribe' | 'unsubscribe',
    reqid: string,
  ): void {
    const sub = isObject(msg.subscription) ? msg.subscription : undefined;
    const name = sub?.name;
    const pairs =
      Array.isArray(msg.pair) && msg.pair.every((p) => typeof p === 'string')
        ? (msg.pair as string[])
        : undefined;
    const depth = sub?.depth === undefined ? 10 : sub.depth;
    const echo =
      name === 'book'
        ? `{"depth":${JSON.stringify(depth)},"name":"book"}`
        : `{"name":${JSON.stringify(name ?? null)}}`;
    const error = (pair: string | undefined, why: string): void => {
      const p = pair === undefined ? '' : `,"pair":${JSON.stringify(pair)}`;
      this.reply(
        conn,
        `{"errorMessage":${JSON.stringify(why)},"event":"subscriptionStatus"${p}${reqid},"status":"error","subscription":${echo}}`,
      );
    };
    if (name !== 'book' && name !== 'trade') {
      error(
        undefined,
        name === undefined ? 'Subscription name missing' : 'Subscription name not supported by the simulator',
      );
      return;
    }
    if (!pairs || pairs.length === 0) {
      error(undefined, 'Pair(s) not found');
      return;
    }
    if (name === 'book' && (typeof depth !== 'number' || !DEPTHS.includes(depth))) {
      error(undefined, 'Subscription depth not supported');
      return;
    }
    const d = name === 'book' ? (depth as number) : 0;
    for (const pair of pairs) {
      const truth = this.market.get(pair);
      if (!truth) {
        error(pair, `Currency pair not supported ${pair}`);
        continue;
      }
      const key = `${name}|${pair}`;
      const existing = conn.state.subs.get(key);
      if (event === 'unsubscribe') {
        if (!existing) {
          error(pair, 'Subscription Not Found');
          continue;
        }
        this.drop(conn, existing);
        this.reply(conn, this.status(existing, 'unsubscribed', reqid));
        continue;
      }
      if (existing) {
        error(pair, 'Already subscribed');
        continue;
      }
      if (name === 'book' && this.injector.takeRefusal() !== undefined) {
        error(pair, 'Subscription refused: service unavailable (simulated)');
        continue;
      }
      const channelName = name === 'book' ? `book-${d}` : 'trade';
      const s: Subscription = {
        pair,
        name,
        channelName,
        channelId: this.channelId(channelName, pair),
        depth: d,
      };
      conn.state.subs.set(key, s);
      this.reply(conn, this.status(s, 'subscribed', reqid));
      if (name === 'trade') {
        subscribersOf(this.tradeSubs, pair).add(conn);
      } else {
        const topic = this.bookTopic(truth, d, s);
        topic.subscribers.add(conn);
        this.reply(conn, this.snapshot(truth, topic));
      }
    }
  }

  private status(s: Subscription, status: string, reqid: string): string {
    const subscription = s.name === 'book' ? `{"depth":${s.depth},"name":"book"}` : '{"name":"trade"}';
    return `{"channelID":${s.channelId},"channelName":"${s.channelName}","event":"subscriptionStatus","pair":"${s.pair}"${reqid},"status":"${status}","subscription":${subscription}}`;
  }

  private channelId(channelName: string, pair: string): number {
    const key = `${channelName}|${pair}`;
    let id = this.channelIds.get(key);
    if (id === undefined) {
      id = 100 + this.channelIds.size * 7;
      this.channelIds.set(key, id);
    }
    return id;
  }

  private bookTopic(truth: TruthBook, depth: number, s: Subscription): BookTopic {
    const byDepth = getOrCreate(this.books, truth.venueSymbol, () => new Map<number, BookTopic>());
    let topic = byDepth.get(depth);
    if (!topic) {
      topic = {
        view: new DepthView(truth.book, depth, false),
        channelId: s.channelId,
        channelName: s.channelName,
        subscribers: new Set(),
      };
      byDepth.set(depth, topic);
      this.lastCrc.set(truth.venueSymbol, krakenV1Checksum.compute(truth.book, truth.instrument));
    }
    return topic;
  }

  private drop(conn: Conn, s: Subscription): void {
    conn.state.subs.delete(`${s.name}|${s.pair}`);
    if (s.name === 'trade') {
      this.tradeSubs.get(s.pair)?.delete(conn);
      return;
    }
    const byDepth = this.books.get(s.pair);
    const topic = byDepth?.get(s.depth);
    if (!byDepth || !topic) return;
    topic.subscribers.delete(conn);
    // A topic nobody reads would have to keep following the truth: forget it (rebuilt on demand).
    if (topic.subscribers.size === 0) byDepth.delete(s.depth);
    if (byDepth.size === 0) {
      this.books.delete(s.pair);
      this.lastCrc.delete(s.pair);
    }
  }

  private snapshot(truth: TruthBook, topic: BookTopic): string {
    const ts = secondsText(this.clock());
    const d = topic.view.depth;
    const as = levels(truth, topLevels(truth, false, d), ts, undefined);
    const bs = levels(truth, topLevels(truth, true, d), ts, undefined);
    return `[${topic.channelId},{"as":${as},"bs":${bs}},"${topic.channelName}","${truth.venueSymbol}"]`;
  }

  // ------------------------------------------------------------------ market → wire

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.privateApi.exchange.onBook(truth, delta, ts);
    const pair = truth.venueSymbol;
    const byDepth = this.books.get(pair);
    if (!byDepth) return;
    const crc = krakenV1Checksum.compute(truth.book, truth.instrument);
    const verifiable = crc !== this.lastCrc.get(pair);
    this.lastCrc.set(pair, crc);
    const time = secondsText(ts);
    for (const topic of byDepth.values()) {
      const vd = topic.view.update(truth.book, delta);
      if (vd.bids.length + vd.asks.length === 0 || topic.subscribers.size === 0) continue;
      const frame = verifiable ? Frame.Book : Frame.BookUnverifiable;
      let c = crc;
      if (verifiable && this.injector.takeChecksumCorruption(pair)) c = (crc ^ 0x5a5a5a5a) >>> 0;
      const a = vd.asks.length > 0 ? `"a":${levels(truth, vd.asks, time, vd.entered)}` : '';
      const b = vd.bids.length > 0 ? `"b":${levels(truth, vd.bids, time, vd.entered)}` : '';
      const payload = a && b ? `{${a}},{${b},"c":"${c}"}` : a ? `{${a},"c":"${c}"}` : `{${b},"c":"${c}"}`;
      const text = `[${topic.channelId},${payload},"${topic.channelName}","${pair}"]`;
      for (const conn of topic.subscribers) this.deliver(conn, text, frame, pair);
    }
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.privateApi.exchange.onTrade(truth, trade);
    const subscribers = this.tradeSubs.get(truth.venueSymbol);
    if (!subscribers || subscribers.size === 0) return;
    const pair = truth.venueSymbol;
    const id = this.channelId('trade', pair);
    const side = trade.side === 'buy' ? 'b' : 's';
    const text = `[${id},[["${truth.price(trade.price)}","${truth.size(trade.size)}","${secondsText(trade.ts)}","${side}","m",""]],"trade","${pair}"]`;
    for (const conn of subscribers) this.deliver(conn, text, Frame.Trade, pair);
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
    if (method === 'GET' && url.pathname === '/0/public/AssetPairs') {
      const result: Record<string, unknown> = {};
      for (const t of this.market.symbols()) {
        const i = t.instrument;
        const altname = i.venueSymbol.replace('/', '');
        result[altname] = {
          altname,
          wsname: i.venueSymbol,
          base: i.base,
          quote: i.quote,
          pair_decimals: i.priceScale,
          lot_decimals: i.sizeScale,
          tick_size: t.price(i.tickSize),
          ordermin: t.size(i.minSize),
        };
      }
      sendJson(res, 200, JSON.stringify({ error: [], result }));
      return;
    }
    sendJson(res, 404, '{"error":["EGeneral:Unknown method"]}');
  }
}

/** `[["price","volume","time"(,"r")],…]`. */
function levels(
  truth: TruthBook,
  list: readonly PriceLevel[],
  time: string,
  entered: Set<number> | undefined,
): string {
  let s = '[';
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    if (i > 0) s += ',';
    const r = entered?.has(l[0]) ? ',"r"' : '';
    s += `["${truth.price(l[0])}","${truth.size(l[1])}","${time}"${r}]`;
  }
  return `${s}]`;
}
