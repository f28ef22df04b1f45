/**
 * KuCoin's private spot REST (HF account) on the simulator's own port. Requests are authenticated by
 * fargate/execution/kucoin/verify-request.ts (HTTP 401 with 400001…400005, timestamp within 5 s of
 * the simulator's clock); answers are `{"code":"200000","data":…}` and carry the resource-pool
 * headers `gw-ratelimit-limit|remaining|reset` (one pool per key, a 30 s window from its first
 * request; exhausted → HTTP 429, code 429000). Orders match through the shared SpotExchange.
 *
 * Endpoints: `POST /api/v1/hf/orders/sync` (`clientOid`, `symbol`, `side`, `type` limit|market,
 * `price`, `size`, `timeInForce` GTC|IOC, `postOnly`), `DELETE /api/v1/hf/orders/sync/client-order/
 * {clientOid}?symbol=`, `DELETE /api/v1/hf/orders/{orderId}?symbol=`, `DELETE /api/v1/hf/orders?symbol=`
 * (cancel all of a symbol), `GET /api/v1/hf/orders/active?symbol=`, `GET /api/v1/hf/orders/client-order/
 * {clientOid}?symbol=`, `GET /api/v1/hf/fills?symbol=&startAt=`, `GET /api/v1/accounts?type=trade`.
 * Errors: 400100 (parameter error; `order_not_exist_or_not_allow_to_cancel`), 200004 (balance
 * insufficient), 900001 (symbol not exists), 400002 (timestamp), 400003 (key), 400005 (signature).
 *
 * Private push: signed `POST /api/v1/bullet-private` → `{token, instanceServers:[{endpoint,
 * pingInterval,…}]}`; the server's `/endpoint?token=` with that token is the account's stream:
 * `{"type":"subscribe","topic":"/spotMarket/tradeOrdersV2","privateChannel":true}` → `ack`, then per
 * order event a `message` (subject `orderChange`): `type` received | open | match | filled |
 * canceled, `status` new | open | match | done, `filledSize`, `remainSize`, and on a match
 * `tradeId` (the REST fill's), `matchPrice`, `matchSize`, `liquidity` — no fee, as on KuCoin.
 *
 * Not simulated: dead-cancel-all, batch orders, modify.
 * `GET /sim/state` (local only): `{accounts:{<apiKey>:{openOrders,fills,balances}}}`.
 */
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { formatDecimalTrimmed } from '../../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { isObject, parseJson } from '../../../../core/venues/wire-guards.ts';
import { KUCOIN_ORDER_TOPIC } from '../../../../fargate/execution/kucoin/order-change-message.ts';
import { verifyKucoinRequest } from '../../../../fargate/execution/kucoin/verify-request.ts';
import type { Clock } from '../../clock.ts';
import { sendJson } from '../../server/http-util.ts';
import type { RequestHeaders } from '../../server/private-rest.ts';
import type { TruthBook } from '../../truth/truth-book.ts';
import type { VenueMarket } from '../../truth/venue-market.ts';
import { type LocalAccount, loadLocalAccounts } from '../local-accounts.ts';
import type { StreamMessage } from '../order-stream-hub.ts';
import { formatAmount, type SimFill, type SimLedger, type SimOrder } from '../sim-ledger.ts';
import { averagePrice, SpotExchange, type SpotRefusalReason, SpotRefused } from '../spot-exchange.ts';
import { spotState } from '../spot-state.ts';

export interface KucoinPrivateOptions {
  readonly clock: Clock;
  /** Default: kucoin's entry of config/local-accounts.json. */
  readonly accounts?: readonly LocalAccount[];
  /** Resource pool per 30 s (default 4000, VIP0 spot). */
  readonly poolLimit?: number;
  /** The websocket endpoint a bullet-private answer hands out (the server's `/endpoint`). */
  readonly streamEndpoint?: () => string;
  /** Advertised in the bullet answer (default 18 000 ms, KuCoin's). */
  readonly pingIntervalMs?: number;
}

export interface KucoinPrivateCounters {
  signedRequests: number;
  authFailures: number;
  throttled: number;
}

const POOL_WINDOW_MS = 30_000;
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;
const CLIENT_OID = /^[A-Za-z0-9_-]{1,40}$/;

class KucoinError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

const CANCEL_BY_CLIENT = '/api/v1/hf/orders/sync/client-order/';
const ORDER_BY_CLIENT = '/api/v1/hf/orders/client-order/';

export class KucoinPrivateApi {
  readonly exchange: SpotExchange;
  readonly counters: KucoinPrivateCounters = { signedRequests: 0, authFailures: 0, throttled: 0 };
  /** Adjustable at run time (tests lower it). */
  readonly limits: { pool: number };
  private readonly pools = new Map<string, { startMs: number; used: number }>();
  /** bullet-private tokens → their API key. */
  private readonly streamTokens = new Map<string, string>();
  /** Stream connections → the API key of the token they connected with. */
  private readonly streamKeys = new Map<WebSocket, string>();

  constructor(
    private readonly market: VenueMarket,
    private readonly options: KucoinPrivateOptions,
  ) {
    const accounts = options.accounts ?? [loadLocalAccounts().kucoin];
    this.exchange = new SpotExchange(market, {
      exchange: 'kucoin',
      clock: options.clock,
      accounts,
      streamMessage: (o, fill) => this.orderChange(o, fill),
    });
    this.limits = { pool: options.poolLimit ?? 4000 };
  }

  // ------------------------------------------------------------------ private push

  /** A websocket to `/endpoint` with a bullet-private token is this API's. */
  acceptsStream(url: URL): boolean {
    return url.pathname === '/endpoint' && this.streamTokens.has(url.searchParams.get('token') ?? '');
  }

  openStream(ws: WebSocket, url: URL): void {
    this.exchange.streams.open(ws);
    this.streamKeys.set(ws, this.streamTokens.get(url.searchParams.get('token') ?? '') ?? '');
  }

  closeStream(ws: WebSocket): void {
    this.exchange.streams.close(ws);
    this.streamKeys.delete(ws);
  }

  streamText(ws: WebSocket, text: string): void {
    const msg = parseJson(text);
    if (!isObject(msg)) {
      ws.send('{"type":"error","code":400,"data":"malformed message"}');
      return;
    }
    const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : '';
    if (msg.type === 'ping') {
      ws.send(JSON.stringify({ id, type: 'pong' }));
      return;
    }
    if (msg.type !== 'subscribe' || msg.topic !== KUCOIN_ORDER_TOPIC || msg.privateChannel !== true) {
      ws.send(
        JSON.stringify({ id, type: 'error', code: 404, data: `topic ${String(msg.topic)} is not found` }),
      );
      return;
    }
    this.exchange.streams.subscribe(ws, this.streamKeys.get(ws) ?? '');
    ws.send(JSON.stringify({ id, type: 'ack' }));
  }

  /** One tradeOrdersV2 `orderChange` of `o` (a `match` when `fill` is given). */
  private orderChange(o: SimOrder, fill: SimFill | undefined): StreamMessage {
    const truth = this.market.get(o.symbol)!;
    const inst = truth.instrument;
    const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
    const type = fill
      ? 'match'
      : o.status === 'NEW'
        ? 'open'
        : o.status === 'FILLED'
          ? 'filled'
          : open
            ? 'update'
            : 'canceled';
    const data: Record<string, unknown> = {
      symbol: o.symbol,
      orderType: o.type === 'LIMIT' ? 'limit' : 'market',
      side: o.side === 'BUY' ? 'buy' : 'sell',
      orderId: orderIdText(o.orderId),
      clientOid: o.clientOrderId,
      type,
      status: fill ? (fill.maker ? 'open' : 'match') : open ? 'open' : 'done',
      orderTime: o.time,
      size: formatDecimalTrimmed(o.size, inst.sizeScale),
      filledSize: formatDecimalTrimmed(o.filled, inst.sizeScale),
      remainSize: formatDecimalTrimmed(open ? o.size - o.filled : 0, inst.sizeScale),
      ...(o.type === 'LIMIT' ? { price: truth.price(o.price) } : {}),
      ts: (fill ? fill.time : o.updateTime) * 1_000_000,
    };
    if (fill) {
      data.tradeId = String(fill.id);
      data.matchPrice = truth.price(fill.price);
      data.matchSize = truth.size(fill.size);
      data.liquidity = fill.maker ? 'maker' : 'taker';
    }
    const text = JSON.stringify({
      type: 'message',
      topic: KUCOIN_ORDER_TOPIC,
      subject: 'orderChange',
      channelType: 'private',
      data,
    });
    return () => text;
  }

  get faults(): SpotExchange['faults'] {
    return this.exchange.faults;
  }

  /** The next order is refused with 200004 "Balance insufficient!" (the reject fault). */
  rejectNextOrder(): void {
    this.exchange.faults.rejectNextOrder(200004, 'Balance insufficient!');
  }

  handles(path: string): boolean {
    return (
      path === '/sim/state' ||
      path.startsWith('/api/v1/hf/') ||
      path === '/api/v1/accounts' ||
      path === '/api/v1/bullet-private'
    );
  }

  rest(method: string, url: URL, body: string, headers: RequestHeaders, res: ServerResponse): void {
    if (url.pathname === '/sim/state') {
      sendJson(res, 200, JSON.stringify(this.state()));
      return;
    }
    let limitHeaders: Record<string, string> = {};
    try {
      const apiKey = this.authenticate(method, url, body, headers);
      limitHeaders = this.spend(apiKey);
      const data = this.dispatch(method, url, body, this.exchange.ledger(apiKey)!);
      sendJson(res, 200, JSON.stringify({ code: '200000', data }), limitHeaders);
    } catch (error) {
      if (!(error instanceof KucoinError)) throw error;
      sendJson(res, error.status, JSON.stringify({ code: error.code, msg: error.msg }), {
        ...limitHeaders,
        ...error.headers,
      });
    }
  }

  private authenticate(
    method: string,
    url: URL,
    body: string,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): string {
    this.counters.signedRequests++;
    const h = (name: string): string | undefined => {
      const v = headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const verdict = verifyKucoinRequest(
      {
        apiKey: h('kc-api-key'),
        sign: h('kc-api-sign'),
        timestamp: h('kc-api-timestamp'),
        passphrase: h('kc-api-passphrase'),
        keyVersion: h('kc-api-key-version'),
        method,
        endpoint: `${url.pathname}${decodeURIComponent(url.search)}`,
        body,
      },
      (apiKey) => {
        const a = this.exchange.ledger(apiKey)?.account;
        return a ? { apiSecret: a.apiSecret, passphrase: a.passphrase ?? '' } : undefined;
      },
      this.exchange.serverMs(),
    );
    if (!verdict.ok) {
      this.counters.authFailures++;
      throw new KucoinError(verdict.httpStatus, verdict.code, verdict.msg);
    }
    return verdict.apiKey;
  }

  private spend(apiKey: string): Record<string, string> {
    const now = this.exchange.serverMs();
    let pool = this.pools.get(apiKey);
    if (!pool || now - pool.startMs >= POOL_WINDOW_MS) {
      pool = { startMs: now, used: 0 };
      this.pools.set(apiKey, pool);
    }
    pool.used++;
    const headers = {
      'gw-ratelimit-limit': String(this.limits.pool),
      'gw-ratelimit-remaining': String(Math.max(0, this.limits.pool - pool.used)),
      'gw-ratelimit-reset': String(POOL_WINDOW_MS - (now - pool.startMs)),
    };
    if (pool.used > this.limits.pool) {
      this.counters.throttled++;
      throw new KucoinError(429, '429000', 'Too Many Requests', headers);
    }
    return headers;
  }

  private dispatch(method: string, url: URL, body: string, ledger: SimLedger): unknown {
    const path = url.pathname;
    const q = url.searchParams;
    if (method === 'POST' && path === '/api/v1/hf/orders/sync') return this.place(ledger, body);
    if (method === 'POST' && path === '/api/v1/bullet-private') {
      const token = `sim-private-${this.streamTokens.size + 1}-${this.exchange.serverMs()}`;
      this.streamTokens.set(token, ledger.account.apiKey);
      const endpoint = this.options.streamEndpoint?.() ?? '';
      const pingInterval = this.options.pingIntervalMs ?? 18_000;
      return {
        token,
        instanceServers: [
          { endpoint, encrypt: false, protocol: 'websocket', pingInterval, pingTimeout: 10_000 },
        ],
      };
    }
    if (method === 'DELETE' && path.startsWith(CANCEL_BY_CLIENT)) {
      const truth = this.symbol(q.get('symbol'));
      const o = ledger.byClientId(truth.venueSymbol, decodeURIComponent(path.slice(CANCEL_BY_CLIENT.length)));
      if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED'))
        throw new KucoinError(400, '400100', 'order_not_exist_or_not_allow_to_cancel');
      return this.syncJson(this.exchange.cancel(o));
    }
    if (method === 'DELETE' && path === '/api/v1/hf/orders') {
      const truth = this.symbol(q.get('symbol'));
      this.exchange.cancelAll(ledger, truth.venueSymbol);
      return 'success';
    }
    if (method === 'DELETE' && path.startsWith('/api/v1/hf/orders/')) {
      const truth = this.symbol(q.get('symbol'));
      const o = ledger.orders.get(orderNumber(path.slice('/api/v1/hf/orders/'.length)));
      if (!o || o.symbol !== truth.venueSymbol || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED'))
        throw new KucoinError(400, '400100', 'order_not_exist_or_not_allow_to_cancel');
      this.exchange.cancel(o);
      return { orderId: orderIdText(o.orderId) };
    }
    if (method === 'GET' && path === '/api/v1/hf/orders/active') {
      const truth = this.symbol(q.get('symbol'));
      return ledger.openOrders(truth.venueSymbol).map((o) => this.orderJson(o));
    }
    if (method === 'GET' && path.startsWith(ORDER_BY_CLIENT)) {
      const truth = this.symbol(q.get('symbol'));
      const o = ledger.byClientId(truth.venueSymbol, decodeURIComponent(path.slice(ORDER_BY_CLIENT.length)));
      if (!o) throw new KucoinError(404, '400100', 'order not exist.');
      return this.orderJson(o);
    }
    if (method === 'GET' && path === '/api/v1/hf/fills') {
      const truth = this.symbol(q.get('symbol'));
      const start = Number(q.get('startAt') ?? 0);
      const items = this.exchange
        .fillsOf(ledger, truth.venueSymbol)
        .filter((f) => f.time >= start)
        .map((f) => this.fillJson(f));
      return { items, lastId: items.length };
    }
    if (method === 'GET' && path === '/api/v1/accounts') {
      return [...ledger.balances].map(([currency, b]) => ({
        id: `sim-${currency}`,
        currency,
        type: 'trade',
        balance: formatAmount(b.free + b.locked),
        available: formatAmount(b.free),
        holds: formatAmount(b.locked),
      }));
    }
    throw new KucoinError(404, '404000', 'Not Found');
  }

  private place(ledger: SimLedger, body: string): unknown {
    let p: unknown;
    try {
      p = JSON.parse(body);
    } catch {
      p = undefined;
    }
    if (!isObject(p)) throw paramError();
    const truth = this.symbol(typeof p.symbol === 'string' ? p.symbol : null);
    const inst = truth.instrument;
    const clientOid = p.clientOid;
    if (typeof clientOid !== 'string' || !CLIENT_OID.test(clientOid)) throw paramError();
    if (p.side !== 'buy' && p.side !== 'sell') throw paramError();
    if (p.type !== 'limit' && p.type !== 'market') throw paramError();
    const limit = p.type === 'limit';
    const size = decimal(p.size, inst.sizeScale);
    const price = limit ? decimal(p.price, inst.priceScale) : Number.NaN;
    const tif = p.timeInForce ?? 'GTC';
    if (tif !== 'GTC' && tif !== 'IOC') throw paramError();
    const postOnly = p.postOnly === true && tif === 'GTC';
    let o: SimOrder;
    try {
      o = this.exchange.place(ledger, {
        truth,
        side: p.side === 'buy' ? 'BUY' : 'SELL',
        type: limit ? 'LIMIT' : 'MARKET',
        price,
        size,
        postOnly,
        ioc: tif === 'IOC',
        clientOrderId: clientOid,
      });
    } catch (error) {
      if (error instanceof SpotRefused) throw kucoinError(error.reason);
      throw error;
    }
    return this.syncJson(o);
  }

  private symbol(name: string | null): TruthBook {
    if (!name) throw paramError();
    const truth = this.market.get(name);
    if (!truth) throw new KucoinError(400, '900001', 'symbol not exists');
    return truth;
  }

  // ------------------------------------------------------------------ wire forms

  /** The answer of the sync place and cancel endpoints. */
  private syncJson(o: SimOrder): unknown {
    const inst = this.market.get(o.symbol)!.instrument;
    const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
    return {
      orderId: orderIdText(o.orderId),
      clientOid: o.clientOrderId,
      orderTime: o.time,
      originSize: formatDecimalTrimmed(o.size, inst.sizeScale),
      dealSize: formatDecimalTrimmed(o.filled, inst.sizeScale),
      remainSize: formatDecimalTrimmed(open ? o.size - o.filled : 0, inst.sizeScale),
      canceledSize: formatDecimalTrimmed(open ? 0 : o.size - o.filled, inst.sizeScale),
      status: open ? 'open' : 'done',
      matchTime: o.updateTime,
    };
  }

  private orderJson(o: SimOrder): unknown {
    const truth = this.market.get(o.symbol)!;
    const inst = truth.instrument;
    const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
    return {
      id: orderIdText(o.orderId),
      clientOid: o.clientOrderId,
      symbol: o.symbol,
      opType: 'DEAL',
      type: o.type === 'LIMIT' ? 'limit' : 'market',
      side: o.side === 'BUY' ? 'buy' : 'sell',
      price: o.type === 'LIMIT' ? truth.price(o.price) : '0',
      size: formatDecimalTrimmed(o.size, inst.sizeScale),
      dealSize: formatDecimalTrimmed(o.filled, inst.sizeScale),
      dealFunds: formatAmount(o.cumQuote),
      avgDealPrice: o.filled > 0 ? truth.price(averagePrice(o, inst)) : '0',
      timeInForce: o.timeInForce || 'GTC',
      postOnly: false,
      active: open,
      inOrderBook: open,
      cancelExist: o.status === 'CANCELED' || o.status === 'EXPIRED',
      createdAt: o.time,
      lastUpdatedAt: o.updateTime,
    };
  }

  private fillJson(f: SimFill): unknown {
    const truth = this.market.get(f.symbol)!;
    return {
      id: f.id,
      orderId: orderIdText(f.orderId),
      counterOrderId: 'sim-counterparty',
      tradeId: f.id,
      symbol: f.symbol,
      side: f.side === 'BUY' ? 'buy' : 'sell',
      liquidity: f.maker ? 'maker' : 'taker',
      type: this.exchange.order(f.orderId)?.type === 'MARKET' ? 'market' : 'limit',
      price: truth.price(f.price),
      size: truth.size(f.size),
      funds: formatAmount(f.quote),
      fee: formatAmount(f.commission),
      feeCurrency: f.commissionAsset,
      createdAt: f.time,
    };
  }

  private state(): unknown {
    return spotState(
      this.exchange,
      (o) => this.orderJson(o),
      (f) => this.fillJson(f),
    );
  }
}

/** KuCoin order ids are 24 hex digits. */
function orderIdText(orderId: number): string {
  return orderId.toString(16).padStart(24, '0');
}

function orderNumber(text: string): number {
  return /^[0-9a-f]{24}$/.test(text) ? Number.parseInt(text, 16) : -1;
}

function paramError(): KucoinError {
  return new KucoinError(400, '400100', 'Parameter error');
}

function decimal(v: unknown, scale: number): number {
  if (typeof v !== 'string' || !DECIMAL.test(v)) throw paramError();
  const units = parseDecimal(v, scale);
  if (!Number.isSafeInteger(units) || units <= 0)
    throw new KucoinError(400, '400100', 'Parameter error: increment invalid');
  return units;
}

function kucoinError(reason: SpotRefusalReason): KucoinError {
  switch (reason) {
    case 'insufficient_funds':
    case 'armed_reject':
      return new KucoinError(400, '200004', 'Balance insufficient!');
    case 'duplicate_client_id':
      return new KucoinError(400, '400100', 'clientOid duplicated');
    case 'post_only_cross':
      return new KucoinError(400, '400100', 'postOnly order would take liquidity');
    default:
      return new KucoinError(400, '400100', `Parameter error: ${reason}`);
  }
}
