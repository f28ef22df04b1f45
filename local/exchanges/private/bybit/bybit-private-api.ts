/**
 * Bybit v5's signed private API on the Bybit simulator's own port — REST under `/v5/*` and the
 * private WebSocket `/v5/private` — for the `linear` and `spot` categories. Accounts and keys come
 * from config/local-accounts.json (`bybit`); orders match against the replayed true book through
 * the shared OrderMatcher (core/sim models), one per category (Bybit's linear and spot books are
 * separate). Every answer is HTTP 200 `{retCode, retMsg, result, retExtInfo, time}` as on Bybit.
 *
 * REST (signed, checked by fargate/execution/bybit/verify-request.ts: 10003 unknown key, 10002
 * timestamp outside recv_window, 10004 bad signature): `POST /v5/order/create | amend | cancel |
 * cancel-all | disconnected-cancel-all`, `GET /v5/order/realtime`, `/v5/execution/list`,
 * `/v5/position/list`, `/v5/account/wallet-balance` (UNIFIED), `/v5/account/query-dcp-info`.
 * Unsigned: `GET /v5/market/time`. Every signed answer carries `X-Bapi-Limit*`; past a path's
 * per-second limit: 10006 (bybit-request-limits.ts). Refusals (bybit-refusals.ts): 10001 bad
 * parameter, 110007 / 170131 insufficient balance, qty/price filters (110017, 110094, 170134,
 * 170136, 170137, 170140), 110001 / 170213 unknown order, 110072 / 170141 duplicate orderLinkId,
 * 110017 reduce-only. A PostOnly order that would take is accepted and then cancelled with
 * `EC_PostOnlyWillTakeLiquidity`, as on Bybit; an IOC/market remainder is cancelled with
 * `EC_NoImmediateQtyToFill`.
 *
 * Private stream: `auth` (`[apiKey, expires, hex HMAC("GET/realtime" + expires)]`), `subscribe` /
 * `unsubscribe` (`order`, `execution`, their `.linear` / `.spot` forms, `position`, `wallet`,
 * `dcp.future`, `dcp.spot`), `ping` → `pong`. Pushes `{"id","topic","creationTime","data":[…]}`.
 * Disconnect-cancel: bybit-dcp.ts. The auth refusal texts are unverified against Bybit.
 *
 * Faults (PrivateFaults, counted when they fire): reject the next create, delay the next create's
 * answer, drop the next fill's stream messages (REST still shows it), send the next execution
 * message twice, cut every private stream.
 *
 * Not simulated: hedge mode, conditional / TP-SL orders, batch endpoints, the trade WebSocket,
 * leverage settings (a fixed leverage for the margin check), spot fees in the base coin.
 * `GET /sim/state` (local only): `{accounts:{<apiKey>:{openOrders,fills,balances,positions}}}`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { loadFeeTable } from '../../../../config/fees.ts';
import type { Micros } from '../../../../core/market/events.ts';
import { formatDecimalTrimmed } from '../../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import type { FeeTable } from '../../../../core/sim/fees/fee-table.ts';
import type { RejectReason } from '../../../../core/strategy/reject-reason.ts';
import type { ExecutionReports } from '../../../../core/trading/execution-venue.ts';
import { isObject, type JsonObject, parseJson } from '../../../../core/venues/wire-guards.ts';
import { bybitWsAuthSignature } from '../../../../fargate/execution/bybit/sign.ts';
import { verifyBybitRequest } from '../../../../fargate/execution/bybit/verify-request.ts';
import type { Clock } from '../../clock.ts';
import { sendJson } from '../../server/http-util.ts';
import type { BookDelta } from '../../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../../truth/truth-book.ts';
import type { VenueMarket } from '../../truth/venue-market.ts';
import { type LocalAccount, loadLocalAccounts } from '../local-accounts.ts';
import { OrderMatcher } from '../order-matcher.ts';
import { PrivateFaults } from '../private-faults.ts';
import { BALANCE_SCALE, formatAmount, quoteUnits, SimLedger, type SimOrder } from '../sim-ledger.ts';
import { BybitDcp, DCP_TOPICS, type DcpProduct } from './bybit-dcp.ts';
import {
  type BybitCategory,
  BybitRefusal,
  duplicateLinkId,
  filterRefusal,
  insufficientBalance,
  paramError,
  REDUCE_ONLY_REFUSED,
  unknownOrder,
} from './bybit-refusals.ts';
import { BybitRequestLimits } from './bybit-request-limits.ts';
import { type BybitOrderMeta, executionRecord, orderRecord } from './bybit-wire.ts';

export interface BybitPrivateOptions {
  readonly clock: Clock;
  /** Default: bybit's entry of config/local-accounts.json. */
  readonly accounts?: readonly LocalAccount[];
  readonly fees?: FeeTable;
  /** Linear leverage for the margin check (default 10). */
  readonly leverage?: number;
}

export interface BybitPrivateCounters {
  signedRequests: number;
  authFailures: number;
  ordersPlaced: number;
  fillsMade: number;
  streamAuths: number;
  streamAuthFailures: number;
}

interface StreamConn {
  readonly connId: string;
  apiKey: string | undefined;
  readonly topics: Set<string>;
}

type Body = Readonly<Record<string, unknown>>;

const SIGNED_PATHS = new Set([
  '/v5/order/create',
  '/v5/order/amend',
  '/v5/order/cancel',
  '/v5/order/cancel-all',
  '/v5/order/disconnected-cancel-all',
  '/v5/order/realtime',
  '/v5/execution/list',
  '/v5/position/list',
  '/v5/account/wallet-balance',
  '/v5/account/query-dcp-info',
]);
const TOPICS = new Set([
  'order',
  'order.linear',
  'order.spot',
  'execution',
  'execution.linear',
  'execution.spot',
  'position',
  'position.linear',
  'wallet',
  'dcp.future',
  'dcp.spot',
]);
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;
const LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;
const TIME_IN_FORCE = new Set(['GTC', 'IOC', 'FOK', 'PostOnly']);

export class BybitPrivateApi implements ExecutionReports {
  readonly faults: PrivateFaults;
  readonly limits = new BybitRequestLimits();
  readonly dcp: BybitDcp;
  readonly counters: BybitPrivateCounters = {
    signedRequests: 0,
    authFailures: 0,
    ordersPlaced: 0,
    fillsMade: 0,
    streamAuths: 0,
    streamAuthFailures: 0,
  };
  private readonly clock: Clock;
  private readonly leverage: number;
  private readonly ledgers = new Map<string, SimLedger>();
  private readonly orders = new Map<number, SimOrder>();
  private readonly meta = new Map<number, BybitOrderMeta>();
  private readonly cancelRequested = new Set<number>();
  private readonly matchers: Record<BybitCategory, OrderMatcher>;
  private readonly streams = new Map<WebSocket, StreamConn>();
  private nextOrderId = 1;
  private nextTradeId = 1;
  private nextConn = 0;
  private nextPush = 0;
  /** What the matcher last said about the amend being handled. */
  private lastRequestReject: RejectReason | undefined;

  constructor(
    private readonly market: VenueMarket,
    options: BybitPrivateOptions,
  ) {
    this.clock = options.clock;
    this.leverage = options.leverage ?? 10;
    for (const a of options.accounts ?? [loadLocalAccounts().bybit])
      this.ledgers.set(a.apiKey, new SimLedger(a));
    const fees = options.fees ?? loadFeeTable();
    this.matchers = {
      linear: new OrderMatcher(this, fees, 'bybit', this.clock),
      spot: new OrderMatcher(this, fees, 'bybit', this.clock),
    };
    this.faults = new PrivateFaults(() => {
      const n = this.streams.size;
      for (const ws of this.streams.keys()) ws.terminate();
      return n;
    });
    this.dcp = new BybitDcp((apiKey, product) => this.cancelByDcp(apiKey, product));
  }

  // ------------------------------------------------------------------ routing

  handles(path: string): boolean {
    return path === '/sim/state' || path === '/v5/market/time' || SIGNED_PATHS.has(path);
  }

  acceptsStream(url: URL): boolean {
    return url.pathname === '/v5/private';
  }

  rest(
    method: string,
    url: URL,
    body: string,
    header: (name: string) => string | undefined,
    res: ServerResponse,
  ): void {
    const nowMs = this.serverMs();
    if (url.pathname === '/sim/state') {
      sendJson(res, 200, JSON.stringify(this.state()));
      return;
    }
    if (url.pathname === '/v5/market/time') {
      const result = { timeSecond: String(Math.floor(nowMs / 1000)), timeNano: `${nowMs}000000` };
      sendJson(res, 200, envelope(0, 'OK', result, nowMs));
      return;
    }
    let headers: Record<string, string> = {};
    try {
      this.counters.signedRequests++;
      const verdict = verifyBybitRequest(
        {
          apiKey: header('x-bapi-api-key'),
          timestamp: header('x-bapi-timestamp'),
          recvWindow: header('x-bapi-recv-window'),
          sign: header('x-bapi-sign'),
          payload: method === 'GET' ? url.search.slice(1) : body,
        },
        (key) => this.ledgers.get(key)?.account.apiSecret,
        nowMs,
      );
      if (!verdict.ok) {
        this.counters.authFailures++;
        throw new BybitRefusal(verdict.retCode, verdict.retMsg);
      }
      const ledger = this.ledgers.get(verdict.apiKey)!;
      headers = this.limits.spend(verdict.apiKey, url.pathname, nowMs);
      const params = method === 'GET' ? Object.fromEntries(url.searchParams) : parseBody(body);
      const route = `${method} ${url.pathname}`;
      const result = this.dispatch(route, params, ledger);
      const text = envelope(0, 'OK', result, this.serverMs());
      const delayMs = route === 'POST /v5/order/create' ? this.faults.takeAckDelay() : 0;
      if (delayMs > 0) setTimeout(() => sendJson(res, 200, text, headers), delayMs).unref();
      else sendJson(res, 200, text, headers);
    } catch (error) {
      if (!(error instanceof BybitRefusal)) throw error;
      sendJson(res, 200, envelope(error.retCode, error.retMsg, {}, this.serverMs()), {
        ...headers,
        ...error.headers,
      });
    }
  }

  // ------------------------------------------------------------------ private stream

  openStream(ws: WebSocket): void {
    this.streams.set(ws, { connId: `sim-private-${++this.nextConn}`, apiKey: undefined, topics: new Set() });
  }

  closeStream(ws: WebSocket): void {
    const conn = this.streams.get(ws);
    this.streams.delete(ws);
    if (!conn?.apiKey) return;
    for (const t of conn.topics) {
      const product = DCP_TOPICS[t];
      if (product) this.dcp.unguard(conn.apiKey, product, conn.connId, true);
    }
  }

  streamText(ws: WebSocket, text: string): void {
    const conn = this.streams.get(ws);
    const msg = parseJson(text);
    if (!conn) return;
    if (!isObject(msg) || typeof msg.op !== 'string') {
      ws.send(JSON.stringify({ success: false, ret_msg: 'Params Error', conn_id: conn.connId, op: '' }));
      return;
    }
    const reqId = typeof msg.req_id === 'string' ? msg.req_id : undefined;
    const reply = (op: string, success: boolean, retMsg: string): void =>
      ws.send(
        JSON.stringify({
          success,
          ret_msg: retMsg,
          op,
          conn_id: conn.connId,
          ...(reqId ? { req_id: reqId } : {}),
        }),
      );
    const args = Array.isArray(msg.args) ? msg.args : [];
    switch (msg.op) {
      case 'ping':
        ws.send(
          JSON.stringify({
            ...(reqId ? { req_id: reqId } : {}),
            op: 'pong',
            args: [String(this.serverMs())],
            conn_id: conn.connId,
          }),
        );
        return;
      case 'auth': {
        const refused = this.authRefusal(conn, args);
        if (refused) {
          this.counters.streamAuthFailures++;
          reply('auth', false, refused);
          return;
        }
        this.counters.streamAuths++;
        reply('auth', true, '');
        return;
      }
      case 'subscribe':
      case 'unsubscribe': {
        if (!conn.apiKey) {
          reply(msg.op, false, 'Request not authorized');
          return;
        }
        const topics = args.filter((a): a is string => typeof a === 'string');
        const bad = topics.find((t) => !TOPICS.has(t));
        if (bad !== undefined || topics.length === 0) {
          reply(msg.op, false, `error:handler not found,topic:${bad ?? ''}`);
          return;
        }
        for (const t of topics) {
          const product = DCP_TOPICS[t];
          if (msg.op === 'subscribe') {
            conn.topics.add(t);
            if (product) this.dcp.guard(conn.apiKey, product, conn.connId);
          } else if (conn.topics.delete(t) && product)
            this.dcp.unguard(conn.apiKey, product, conn.connId, false);
        }
        reply(msg.op, true, '');
        return;
      }
      default:
        reply(msg.op, false, `error:unknown op ${msg.op.slice(0, 20)}`);
    }
  }

  /** Why an auth request is refused, or undefined (and the connection is authenticated). */
  private authRefusal(conn: StreamConn, args: readonly unknown[]): string | undefined {
    if (conn.apiKey) return 'Repeat auth';
    const [apiKey, expires, signature] = args;
    const exp =
      typeof expires === 'number' ? expires : typeof expires === 'string' ? Number(expires) : Number.NaN;
    if (typeof apiKey !== 'string' || typeof signature !== 'string' || !Number.isSafeInteger(exp))
      return 'Params Error';
    const ledger = this.ledgers.get(apiKey);
    if (!ledger) return 'error:api key invalid';
    if (exp <= this.serverMs()) return 'error:request expired';
    const expected = Buffer.from(bybitWsAuthSignature(ledger.account.apiSecret, exp));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'error sign!';
    conn.apiKey = apiKey;
    return undefined;
  }

  // ------------------------------------------------------------------ market

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.matchers.linear.onBook(truth, delta, ts);
    this.matchers.spot.onBook(truth, delta, ts);
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.matchers.linear.onTrade(truth, trade);
    this.matchers.spot.onTrade(truth, trade);
  }

  close(): void {
    this.dcp.close();
  }

  // ------------------------------------------------------------------ ExecutionReports (the matchers)

  accepted(orderId: number): void {
    const o = this.orders.get(orderId);
    if (o) this.pushOrder(o);
  }

  filled(
    orderId: number,
    _tradeId: string,
    price: number,
    size: number,
    fee: number,
    feeCurrency: string,
    maker: boolean,
    ts: Micros,
  ): void {
    const o = this.orders.get(orderId);
    const meta = this.meta.get(orderId);
    const ledger = o ? this.ledgers.get(o.apiKey) : undefined;
    const truth = o ? this.market.get(o.symbol) : undefined;
    if (!o || !meta || !ledger || !truth) return;
    const fill = ledger.bookFill(o, truth.instrument, meta.category === 'linear', {
      id: this.nextTradeId++,
      price,
      size,
      fee,
      feeCurrency,
      maker,
      timeMs: Math.floor(ts / 1000),
    });
    this.counters.fillsMade++;
    const copies = this.faults.takeFillCopies();
    if (copies === 0) return;
    const record = executionRecord(fill, o, meta, truth.instrument);
    for (let i = 0; i < copies; i++) this.push(o.apiKey, 'execution', meta.category, record);
    this.pushOrder(o);
  }

  canceled(orderId: number): void {
    const o = this.orders.get(orderId);
    const meta = this.meta.get(orderId);
    if (!o || !meta) return;
    if (this.cancelRequested.delete(orderId)) {
      o.status = 'CANCELED';
      meta.rejectReason = 'EC_PerCancelRequest';
      if (meta.cancelType === 'UNKNOWN') meta.cancelType = 'CancelByUser';
    } else {
      o.status = 'EXPIRED';
      meta.rejectReason = o.timeInForce === 'FOK' ? 'EC_CancelForNoFullFill' : 'EC_NoImmediateQtyToFill';
    }
    this.finish(o);
  }

  expired(orderId: number): void {
    const o = this.orders.get(orderId);
    const meta = this.meta.get(orderId);
    if (!o || !meta) return;
    o.status = 'EXPIRED';
    meta.rejectReason = 'EC_NoImmediateQtyToFill';
    this.finish(o);
  }

  /** From the matching engine: a post-only order that would take, a market order on an empty book. */
  rejected(orderId: number, reason: RejectReason): void {
    const o = this.orders.get(orderId);
    const meta = this.meta.get(orderId);
    if (!o || !meta) return;
    o.status = 'CANCELED';
    meta.rejectReason =
      reason === 'post_only_cross' ? 'EC_PostOnlyWillTakeLiquidity' : 'EC_NoImmediateQtyToFill';
    this.finish(o);
  }

  amended(orderId: number, price: number, size: number): void {
    const o = this.orders.get(orderId);
    if (!o) return;
    o.price = price;
    o.size = size;
    o.updateTime = this.serverMs();
    this.pushOrder(o);
  }

  requestRejected(_orderId: number, reason: RejectReason): void {
    this.lastRequestReject = reason;
  }

  // ------------------------------------------------------------------ handlers

  private dispatch(route: string, p: Body, ledger: SimLedger): unknown {
    switch (route) {
      case 'POST /v5/order/create':
        return this.create(ledger, p);
      case 'POST /v5/order/amend':
        return this.amend(ledger, p);
      case 'POST /v5/order/cancel': {
        const category = categoryOf(p);
        const o = this.find(ledger, p, category, 'cancel');
        if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw unknownOrder(category, 'cancel');
        this.cancelOrder(o);
        return { orderId: String(o.orderId), orderLinkId: o.clientOrderId };
      }
      case 'POST /v5/order/cancel-all': {
        const category = categoryOf(p);
        const symbol = typeof p.symbol === 'string' ? this.truth(p).venueSymbol : undefined;
        if (category === 'linear' && symbol === undefined && typeof p.settleCoin !== 'string')
          throw paramError('symbol or settleCoin is required');
        const list = this.openOf(ledger, category, symbol).map((o) => {
          this.cancelOrder(o);
          return { orderId: String(o.orderId), orderLinkId: o.clientOrderId };
        });
        return { list, success: '1' };
      }
      case 'GET /v5/order/realtime':
        return { category: categoryOf(p), list: this.realtime(ledger, p), nextPageCursor: '' };
      case 'GET /v5/execution/list':
        return { category: categoryOf(p), list: this.executions(ledger, p), nextPageCursor: '' };
      case 'GET /v5/position/list':
        return this.positionList(ledger, p);
      case 'GET /v5/account/wallet-balance':
        if (p.accountType !== 'UNIFIED') throw paramError('accountType only support UNIFIED');
        return { list: [this.wallet(ledger)] };
      case 'POST /v5/order/disconnected-cancel-all': {
        const product = p.product ?? 'OPTIONS';
        const window = p.timeWindow;
        if (product !== 'DERIVATIVES' && product !== 'SPOT') throw paramError('product not supported');
        if (typeof window !== 'number' || !Number.isInteger(window) || window < 3 || window > 300)
          throw paramError('timeWindow must be an integer within [3, 300]');
        this.dcp.setWindow(ledger.account.apiKey, product, window);
        return {};
      }
      case 'GET /v5/account/query-dcp-info':
        return {
          dcpInfos: (['DERIVATIVES', 'SPOT'] as const).map((product) => ({
            product,
            dcpStatus: 'ON',
            timeWindow: String(this.dcp.windowOf(ledger.account.apiKey, product)),
          })),
        };
      default:
        throw paramError(`unsupported ${route}`);
    }
  }

  private create(ledger: SimLedger, p: Body): { orderId: string; orderLinkId: string } {
    const category = categoryOf(p);
    const truth = this.truth(p);
    const inst = truth.instrument;
    const side = p.side;
    if (side !== 'Buy' && side !== 'Sell') throw paramError('Side invalid');
    const orderType = p.orderType;
    if (orderType !== 'Limit' && orderType !== 'Market') throw paramError('OrderType invalid');
    const limit = orderType === 'Limit';
    const tif = typeof p.timeInForce === 'string' ? p.timeInForce : limit ? 'GTC' : 'IOC';
    if (!TIME_IN_FORCE.has(tif) || (!limit && tif === 'PostOnly')) throw paramError('TimeInForce invalid');
    const price = limit ? this.units(p, 'price', inst.priceScale) : Number.NaN;
    const quoteQty = category === 'spot' && !limit && side === 'Buy' && p.marketUnit !== 'baseCoin';
    const size = quoteQty ? this.baseFromQuote(p, truth) : this.units(p, 'qty', inst.sizeScale);
    const linkId =
      typeof p.orderLinkId === 'string' && p.orderLinkId !== '' ? p.orderLinkId : `sim-${this.nextOrderId}`;
    if (!LINK_ID.test(linkId)) throw paramError('orderLinkId invalid');
    for (const o of ledger.orders.values()) if (o.clientOrderId === linkId) throw duplicateLinkId(category);
    const reduceOnly = category === 'linear' && (p.reduceOnly === true || p.reduceOnly === 'true');
    const armed = this.faults.takeReject();
    if (armed) throw new BybitRefusal(armed.code, armed.msg);
    const sideWire = side === 'Buy' ? 'BUY' : 'SELL';
    const refPrice = limit ? price : side === 'Buy' ? truth.book.bestAsk() : truth.book.bestBid();
    const o: SimOrder = {
      orderId: this.nextOrderId++,
      apiKey: ledger.account.apiKey,
      symbol: truth.venueSymbol,
      clientOrderId: linkId,
      side: sideWire,
      type: orderType,
      timeInForce: tif,
      reduceOnly,
      price,
      size,
      filled: 0,
      cumQuote: 0,
      status: 'NEW',
      time: this.serverMs(),
      updateTime: this.serverMs(),
      reservedAsset: '',
      reserved: 0,
    };
    if (category === 'linear') this.checkMargin(ledger, o, refPrice);
    else if (!ledger.reserveSpot(o, refPrice, truth.instrument, o.type !== 'Market'))
      throw insufficientBalance('spot');
    ledger.orders.set(o.orderId, o);
    this.orders.set(o.orderId, o);
    this.meta.set(o.orderId, { category, rejectReason: 'EC_NoError', cancelType: 'UNKNOWN' });
    const bad = this.matchers[category].submit(truth, {
      id: o.orderId,
      instrument: 0,
      side: side === 'Buy' ? 'buy' : 'sell',
      type: limit ? 'limit' : 'market',
      price,
      size,
      postOnly: tif === 'PostOnly',
      ioc: tif === 'IOC' || tif === 'FOK',
    });
    if (bad !== undefined) {
      ledger.release(o, o.reserved);
      ledger.orders.delete(o.orderId);
      this.orders.delete(o.orderId);
      this.meta.delete(o.orderId);
      throw filterRefusal(category, bad);
    }
    this.counters.ordersPlaced++;
    return { orderId: String(o.orderId), orderLinkId: o.clientOrderId };
  }

  private amend(ledger: SimLedger, p: Body): { orderId: string; orderLinkId: string } {
    const category = categoryOf(p);
    const o = this.find(ledger, p, category, 'replace');
    if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw unknownOrder(category, 'replace');
    if (o.type !== 'Limit') throw paramError('only Limit orders can be amended');
    const inst = this.market.get(o.symbol)!.instrument;
    const size = p.qty === undefined ? o.size : this.units(p, 'qty', inst.sizeScale);
    const price = p.price === undefined ? o.price : this.units(p, 'price', inst.priceScale);
    if (size === o.size && price === o.price)
      throw paramError('The order remains unchanged as the parameters entered match the existing ones');
    this.lastRequestReject = undefined;
    const bad = this.matchers[category].amend(
      this.market.get(o.symbol)!,
      { id: o.orderId, instrument: 0, side: o.side === 'BUY' ? 'buy' : 'sell', price, size },
      o.size,
    );
    const reason = bad ?? this.lastRequestReject;
    if (reason !== undefined) throw filterRefusal(category, reason);
    return { orderId: String(o.orderId), orderLinkId: o.clientOrderId };
  }

  private cancelOrder(o: SimOrder): void {
    const meta = this.meta.get(o.orderId)!;
    this.cancelRequested.add(o.orderId);
    this.matchers[meta.category].cancel(this.market.get(o.symbol)!, o.orderId);
  }

  private cancelByDcp(apiKey: string, product: DcpProduct): void {
    const ledger = this.ledgers.get(apiKey);
    if (!ledger) return;
    for (const o of this.openOf(ledger, product === 'SPOT' ? 'spot' : 'linear')) {
      this.meta.get(o.orderId)!.cancelType = 'CancelByDCP';
      this.cancelOrder(o);
    }
  }

  private find(ledger: SimLedger, p: Body, category: BybitCategory, action: 'cancel' | 'replace'): SimOrder {
    const symbol = this.truth(p).venueSymbol;
    const byId = typeof p.orderId === 'string' ? p.orderId : undefined;
    const byLink = typeof p.orderLinkId === 'string' ? p.orderLinkId : undefined;
    if (byId === undefined && byLink === undefined) throw paramError('orderId or orderLinkId is required');
    for (const o of ledger.orders.values()) {
      if (o.symbol !== symbol || this.meta.get(o.orderId)?.category !== category) continue;
      if (byId !== undefined ? String(o.orderId) === byId : o.clientOrderId === byLink) return o;
    }
    throw unknownOrder(category, action);
  }

  private openOf(ledger: SimLedger, category: BybitCategory, symbol?: string): SimOrder[] {
    return ledger.openOrders(symbol).filter((o) => this.meta.get(o.orderId)?.category === category);
  }

  /** Open orders, or one order of any status when an id is given (Bybit's recent closed orders). */
  private realtime(ledger: SimLedger, p: Body): unknown[] {
    const category = categoryOf(p);
    const symbol = typeof p.symbol === 'string' ? this.truth(p).venueSymbol : undefined;
    const byId = typeof p.orderId === 'string' ? p.orderId : undefined;
    const byLink = typeof p.orderLinkId === 'string' ? p.orderLinkId : undefined;
    const picked =
      byId === undefined && byLink === undefined
        ? this.openOf(ledger, category, symbol)
        : [...ledger.orders.values()].filter(
            (o) =>
              this.meta.get(o.orderId)?.category === category &&
              (symbol === undefined || o.symbol === symbol) &&
              (byId !== undefined ? String(o.orderId) === byId : o.clientOrderId === byLink),
          );
    return picked.map((o) => this.orderJson(o));
  }

  private executions(ledger: SimLedger, p: Body): unknown[] {
    const category = categoryOf(p);
    const symbol = typeof p.symbol === 'string' ? this.truth(p).venueSymbol : undefined;
    const byId = typeof p.orderId === 'string' ? p.orderId : undefined;
    const byLink = typeof p.orderLinkId === 'string' ? p.orderLinkId : undefined;
    const start = typeof p.startTime === 'string' && /^\d{1,15}$/.test(p.startTime) ? Number(p.startTime) : 0;
    const out: unknown[] = [];
    for (const f of ledger.fills) {
      const o = this.orders.get(f.orderId);
      const meta = this.meta.get(f.orderId);
      if (!o || meta?.category !== category || f.time < start) continue;
      if (symbol !== undefined && f.symbol !== symbol) continue;
      if (byId !== undefined && String(f.orderId) !== byId) continue;
      if (byLink !== undefined && o.clientOrderId !== byLink) continue;
      out.push(executionRecord(f, o, meta, this.market.get(f.symbol)!.instrument));
    }
    return out;
  }

  private positionList(ledger: SimLedger, p: Body): unknown {
    if (categoryOf(p) !== 'linear') throw paramError('category only support linear');
    const symbol = typeof p.symbol === 'string' ? this.truth(p).venueSymbol : undefined;
    if (symbol === undefined && typeof p.settleCoin !== 'string')
      throw paramError('symbol or settleCoin is required');
    const list: unknown[] = [];
    const symbols = symbol !== undefined ? [symbol] : [...ledger.positions.keys()];
    for (const s of symbols) {
      const pos = ledger.positions.get(s) ?? { size: 0, entry: 0 };
      const inst = this.market.get(s)!.instrument;
      list.push({
        positionIdx: 0,
        symbol: s,
        side: pos.size > 0 ? 'Buy' : pos.size < 0 ? 'Sell' : '',
        size: formatDecimalTrimmed(Math.abs(pos.size), inst.sizeScale),
        avgPrice: formatDecimalTrimmed(Math.round(pos.entry), inst.priceScale),
        leverage: String(this.leverage),
        positionStatus: 'Normal',
        updatedTime: String(this.serverMs()),
      });
    }
    return { category: 'linear', list, nextPageCursor: '' };
  }

  /** One UNIFIED account: `locked` holds spot orders' reserves, `totalOrderIM` linear orders' margin. */
  private wallet(ledger: SimLedger): unknown {
    const orderIm = new Map<string, number>();
    for (const o of this.openOf(ledger, 'linear')) {
      const inst = this.market.get(o.symbol)!.instrument;
      const im = quoteUnits(o.price, inst.priceScale, o.size - o.filled, inst.sizeScale) / this.leverage;
      orderIm.set(inst.quote, (orderIm.get(inst.quote) ?? 0) + im);
    }
    const coin = [...ledger.balances].map(([asset, b]) => ({
      coin: asset,
      walletBalance: formatAmount(b.free + b.locked),
      equity: formatAmount(b.free + b.locked),
      locked: formatAmount(b.locked),
      totalOrderIM: formatAmount(orderIm.get(asset) ?? 0),
      totalPositionIM: '0',
      unrealisedPnl: '0',
    }));
    return { accountType: 'UNIFIED', coin };
  }

  private state(): unknown {
    const accounts: Record<string, unknown> = {};
    for (const [key, l] of this.ledgers) {
      const balances: Record<string, { free: string; locked: string }> = {};
      for (const [asset, b] of l.balances)
        balances[asset] = { free: formatAmount(b.free), locked: formatAmount(b.locked) };
      const positions: unknown[] = [];
      for (const [symbol, pos] of l.positions) {
        if (pos.size === 0) continue;
        const inst = this.market.get(symbol)!.instrument;
        positions.push({
          symbol,
          side: pos.size > 0 ? 'Buy' : 'Sell',
          size: formatDecimalTrimmed(Math.abs(pos.size), inst.sizeScale),
        });
      }
      accounts[key] = {
        openOrders: l.openOrders().map((o) => this.orderJson(o)),
        fills: l.fills.map((f) => {
          const o = this.orders.get(f.orderId)!;
          return executionRecord(f, o, this.meta.get(f.orderId)!, this.market.get(f.symbol)!.instrument);
        }),
        balances,
        positions,
      };
    }
    return { accounts };
  }

  // ------------------------------------------------------------------ balances and margin

  private checkMargin(ledger: SimLedger, o: SimOrder, refPrice: number): void {
    const inst = this.market.get(o.symbol)!.instrument;
    const signed = o.side === 'BUY' ? o.size : -o.size;
    const pos = ledger.positions.get(o.symbol)?.size ?? 0;
    if (o.reduceOnly) {
      if (pos === 0 || Math.sign(pos) === Math.sign(signed) || Math.abs(signed) > Math.abs(pos))
        throw REDUCE_ONLY_REFUSED;
      return;
    }
    if (!Number.isFinite(refPrice)) throw insufficientBalance('linear');
    const need = quoteUnits(refPrice, inst.priceScale, o.size, inst.sizeScale) / this.leverage;
    let used = 0;
    for (const open of this.openOf(ledger, 'linear')) {
      const i = this.market.get(open.symbol)!.instrument;
      used += quoteUnits(open.price, i.priceScale, open.size - open.filled, i.sizeScale) / this.leverage;
    }
    if (ledger.balance(inst.quote).free - used < need) throw insufficientBalance('linear');
  }

  private finish(o: SimOrder): void {
    this.ledgers.get(o.apiKey)?.release(o, o.reserved);
    o.updateTime = this.serverMs();
    this.pushOrder(o);
  }

  // ------------------------------------------------------------------ parameters and wire

  private truth(p: Body): TruthBook {
    const s = p.symbol;
    if (typeof s !== 'string' || s === '') throw paramError('symbol invalid');
    const truth = this.market.get(s.toUpperCase());
    if (!truth) throw paramError('symbol invalid');
    return truth;
  }

  /** A positive decimal parameter in integer units; too many decimals is a filter failure. */
  private units(p: Body, name: 'qty' | 'price', scale: number): number {
    const text = p[name];
    if (typeof text !== 'string' || !DECIMAL.test(text)) throw paramError(`${name} invalid`);
    const units = parseDecimal(text, scale);
    const category = categoryOf(p);
    if (Number.isNaN(units)) throw filterRefusal(category, name === 'qty' ? 'lot' : 'tick');
    if (!Number.isSafeInteger(units) || units <= 0) throw paramError(`${name} invalid`);
    return units;
  }

  /** Spot market buy with `qty` in quote coin: the base size it buys at the best ask, whole lots. */
  private baseFromQuote(p: Body, truth: TruthBook): number {
    const text = p.qty;
    if (typeof text !== 'string' || !DECIMAL.test(text)) throw paramError('qty invalid');
    const quote = parseDecimal(text, BALANCE_SCALE);
    const ask = truth.book.bestAsk();
    const { priceScale, sizeScale, lotSize } = truth.instrument;
    if (!Number.isFinite(quote) || !Number.isFinite(ask) || ask <= 0) throw insufficientBalance('spot');
    const raw = Math.floor((quote * 10 ** (priceScale + sizeScale - BALANCE_SCALE)) / ask);
    const size = raw - (raw % lotSize);
    if (size <= 0) throw filterRefusal('spot', 'min_size');
    return size;
  }

  private orderJson(o: SimOrder): Record<string, unknown> {
    return orderRecord(o, this.meta.get(o.orderId)!, this.market.get(o.symbol)!.instrument);
  }

  private pushOrder(o: SimOrder): void {
    const meta = this.meta.get(o.orderId);
    if (meta) this.push(o.apiKey, 'order', meta.category, this.orderJson(o));
  }

  /** One push to the account's connections subscribed to `topic` or `topic.<category>`. */
  private push(apiKey: string, topic: 'order' | 'execution', category: BybitCategory, record: unknown): void {
    const texts = new Map<string, string>();
    for (const [ws, conn] of this.streams) {
      if (conn.apiKey !== apiKey) continue;
      const name = conn.topics.has(topic)
        ? topic
        : conn.topics.has(`${topic}.${category}`)
          ? `${topic}.${category}`
          : '';
      if (!name) continue;
      let text = texts.get(name);
      if (text === undefined) {
        text = JSON.stringify({
          id: `sim-${++this.nextPush}`,
          topic: name,
          creationTime: this.serverMs(),
          data: [record],
        });
        texts.set(name, text);
      }
      ws.send(text);
    }
  }

  private serverMs(): number {
    return Math.floor(this.clock() / 1000);
  }
}

function categoryOf(p: Body): BybitCategory {
  const c = p.category;
  if (c === 'linear' || c === 'spot') return c;
  throw paramError('category invalid');
}

function parseBody(body: string): Body {
  const parsed = parseJson(body);
  if (!isObject(parsed)) throw paramError('request body is not a JSON object');
  return parsed as JsonObject;
}

function envelope(retCode: number, retMsg: string, result: unknown, timeMs: number): string {
  return JSON.stringify({ retCode, retMsg, result, retExtInfo: {}, time: timeMs });
}
