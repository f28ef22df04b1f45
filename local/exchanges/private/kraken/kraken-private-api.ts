/**
 * Kraken's private spot REST on the simulator's own port: `POST /0/private/<Method>`, form body with
 * `nonce`, `API-Key` / `API-Sign` checked by fargate/execution/kraken/verify-request.ts. Every answer
 * is HTTP 200 `{"error":[…],"result":…}` as on Kraken. Orders match through the shared SpotExchange.
 *
 * Methods: AddOrder (`pair` altname or wsname, `type`, `ordertype` limit|market, `price`, `volume`,
 * `oflags` post, `timeinforce` GTC|IOC, `cl_ord_id`), CancelOrder (`txid` = txid or cl_ord_id),
 * CancelAll, CancelAllOrdersAfter (`timeout` s, 0 disarms), OpenOrders, QueryOrders, TradesHistory
 * (`start` unix s), BalanceEx, GetWebSocketsToken (`{token, expires: 900}`). Errors: `EAPI:Invalid key|signature|nonce`, `EGeneral:Invalid
 * arguments:<field>`, `EQuery:Unknown asset pair`, `EOrder:Insufficient funds`, `EOrder:Unknown
 * order`, `EOrder:Post only order`, `EOrder:Order minimum not met`, `EOrder:Invalid price`.
 *
 * WS v2 private stream at `/v2`: `status` on connect; `{"method":"subscribe","params":{"channel":
 * "executions","token"}}` with a token GetWebSocketsToken issued → `{"method":"subscribe",
 * "success":true,…}` (else `success:false`, `EAPI:Invalid token`); then per order event
 * `{"channel":"executions","type":"update","data":[…],"sequence":n}` — `exec_type` new | trade |
 * filled | canceled | expired, trade entries with `exec_id` (the TradesHistory txid), `last_qty`,
 * `last_price`, `fees[]`, `liquidity_ind`; numbers as JSON numbers, as Kraken writes them.
 * `{"method":"ping"}` → `pong`. No snapshots (`snap_orders`/`snap_trades` are ignored).
 *
 * Not simulated: the REST call and trading counters, AddOrderBatch, AmendOrder, WS v2 order entry.
 * `GET /sim/state` (local only): `{accounts:{<apiKey>:{openOrders,fills,balances}}}`.
 */
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { formatDecimalTrimmed } from '../../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { isObject, parseJson } from '../../../../core/venues/wire-guards.ts';
import { verifyKrakenRequest } from '../../../../fargate/execution/kraken/verify-request.ts';
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

export interface KrakenPrivateOptions {
  readonly clock: Clock;
  /** Default: kraken's entry of config/local-accounts.json. */
  readonly accounts?: readonly LocalAccount[];
}

export interface KrakenPrivateCounters {
  signedRequests: number;
  authFailures: number;
  /** Stream subscriptions refused (unknown token). */
  streamAuthFailures: number;
}

const PREFIX = '/0/private/';
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;
/** Kraken's free-text cl_ord_id (≤ 18) or a UUID (32 hex / 36 with hyphens). */
const CLIENT_ID = /^([A-Za-z0-9_.-]{1,18}|[0-9a-fA-F]{32}|[0-9a-fA-F-]{36})$/;

class KrakenError {
  constructor(readonly error: string) {}
}

export class KrakenPrivateApi {
  readonly exchange: SpotExchange;
  readonly counters: KrakenPrivateCounters = { signedRequests: 0, authFailures: 0, streamAuthFailures: 0 };
  private readonly lastNonce = new Map<string, number>();
  /** WebSocket tokens issued → their API key. */
  private readonly wsTokens = new Map<string, string>();
  private readonly deadMan = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly market: VenueMarket,
    options: KrakenPrivateOptions,
  ) {
    const accounts = options.accounts ?? [loadLocalAccounts().kraken];
    this.exchange = new SpotExchange(market, {
      exchange: 'kraken',
      clock: options.clock,
      accounts,
      streamMessage: (o, fill) => this.executionMessage(o, fill),
    });
  }

  get faults(): SpotExchange['faults'] {
    return this.exchange.faults;
  }

  /** The next AddOrder is refused with `EOrder:Insufficient funds` (the reject fault). */
  rejectNextOrder(): void {
    this.exchange.faults.rejectNextOrder(0, 'EOrder:Insufficient funds');
  }

  handles(path: string): boolean {
    return path === '/sim/state' || path.startsWith(PREFIX);
  }

  close(): void {
    for (const t of this.deadMan.values()) clearTimeout(t);
    this.deadMan.clear();
  }

  // ------------------------------------------------------------------ WS v2 private stream

  acceptsStream(url: URL): boolean {
    return url.pathname === '/v2';
  }

  openStream(ws: WebSocket): void {
    this.exchange.streams.open(ws);
    ws.send(
      JSON.stringify({
        channel: 'status',
        type: 'update',
        data: [{ api_version: 'v2', connection_id: 1, system: 'online', version: '2.0.0' }],
      }),
    );
  }

  closeStream(ws: WebSocket): void {
    this.exchange.streams.close(ws);
  }

  streamText(ws: WebSocket, text: string): void {
    const msg = parseJson(text);
    if (!isObject(msg)) {
      ws.send('{"error":"Malformed request","success":false}');
      return;
    }
    const reqId = typeof msg.req_id === 'number' ? { req_id: msg.req_id } : {};
    const times = {
      time_in: iso(new Date(this.exchange.serverMs())),
      time_out: iso(new Date(this.exchange.serverMs())),
    };
    if (msg.method === 'ping') {
      ws.send(JSON.stringify({ method: 'pong', ...reqId, ...times }));
      return;
    }
    const params = isObject(msg.params) ? msg.params : {};
    if (msg.method !== 'subscribe' || params.channel !== 'executions') {
      ws.send(
        JSON.stringify({
          error: 'Unsupported request',
          method: msg.method,
          success: false,
          ...reqId,
          ...times,
        }),
      );
      return;
    }
    const apiKey = typeof params.token === 'string' ? this.wsTokens.get(params.token) : undefined;
    if (!apiKey) {
      this.counters.streamAuthFailures++;
      ws.send(
        JSON.stringify({
          error: 'EAPI:Invalid token',
          method: 'subscribe',
          success: false,
          ...reqId,
          ...times,
        }),
      );
      return;
    }
    this.exchange.streams.subscribe(ws, apiKey);
    ws.send(
      JSON.stringify({
        method: 'subscribe',
        result: { channel: 'executions', maxratecount: 180, snapshot: false },
        success: true,
        ...reqId,
        ...times,
      }),
    );
  }

  rest(method: string, url: URL, body: string, headers: RequestHeaders, res: ServerResponse): void {
    if (url.pathname === '/sim/state') {
      sendJson(res, 200, JSON.stringify(this.state()));
      return;
    }
    try {
      if (method !== 'POST') throw new KrakenError('EGeneral:Invalid arguments');
      const ledger = this.authenticate(url.pathname, body, headers);
      const result = this.dispatch(url.pathname.slice(PREFIX.length), new URLSearchParams(body), ledger);
      sendJson(res, 200, JSON.stringify({ error: [], result }));
    } catch (error) {
      if (!(error instanceof KrakenError)) throw error;
      sendJson(res, 200, JSON.stringify({ error: [error.error] }));
    }
  }

  private authenticate(
    path: string,
    body: string,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): SimLedger {
    this.counters.signedRequests++;
    const header = (name: string): string | undefined => {
      const v = headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const verdict = verifyKrakenRequest(
      { path, apiKey: header('api-key'), apiSign: header('api-sign'), body },
      (apiKey) => {
        const ledger = this.exchange.ledger(apiKey);
        return ledger
          ? { secretBase64: ledger.account.apiSecret, lastNonce: this.lastNonce.get(apiKey) ?? 0 }
          : undefined;
      },
    );
    if (!verdict.ok) {
      this.counters.authFailures++;
      throw new KrakenError(verdict.error);
    }
    const apiKey = header('api-key')!;
    this.lastNonce.set(apiKey, verdict.nonce);
    return this.exchange.ledger(apiKey)!;
  }

  private dispatch(methodName: string, p: URLSearchParams, ledger: SimLedger): unknown {
    switch (methodName) {
      case 'AddOrder':
        return this.addOrder(ledger, p);
      case 'CancelOrder': {
        const id = required(p, 'txid');
        const o = this.find(ledger, id);
        if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED'))
          throw new KrakenError('EOrder:Unknown order');
        this.exchange.cancel(o);
        return { count: 1 };
      }
      case 'CancelAll':
        return { count: this.exchange.cancelAll(ledger).length };
      case 'CancelAllOrdersAfter':
        return this.cancelAllAfter(ledger, p);
      case 'OpenOrders': {
        const open: Record<string, unknown> = {};
        for (const o of ledger.openOrders()) open[txid(o.orderId)] = this.orderJson(o);
        return { open };
      }
      case 'QueryOrders': {
        const out: Record<string, unknown> = {};
        for (const id of required(p, 'txid').split(',')) {
          const o = this.find(ledger, id);
          if (o) out[txid(o.orderId)] = this.orderJson(o);
        }
        return out;
      }
      case 'TradesHistory': {
        const startRaw = p.get('start');
        const start = startRaw !== null && DECIMAL.test(startRaw) ? Number(startRaw) * 1000 : 0;
        const trades: Record<string, unknown> = {};
        const fills = this.exchange.fillsOf(ledger).filter((f) => f.time > start);
        for (const f of fills) trades[tradeTxid(f.id)] = this.fillJson(f);
        return { trades, count: fills.length };
      }
      case 'GetWebSocketsToken': {
        const token = `sim-ws-${this.wsTokens.size + 1}-${this.exchange.serverMs()}`;
        this.wsTokens.set(token, ledger.account.apiKey);
        return { token, expires: 900 };
      }
      case 'BalanceEx': {
        const out: Record<string, unknown> = {};
        for (const [asset, b] of ledger.balances)
          out[asset] = { balance: formatAmount(b.free + b.locked), hold_trade: formatAmount(b.locked) };
        return out;
      }
      default:
        throw new KrakenError('EGeneral:Unknown method');
    }
  }

  private addOrder(ledger: SimLedger, p: URLSearchParams): unknown {
    const truth = this.pair(required(p, 'pair'));
    const inst = truth.instrument;
    const type = required(p, 'type');
    if (type !== 'buy' && type !== 'sell') throw invalid('type');
    const ordertype = required(p, 'ordertype');
    if (ordertype !== 'limit' && ordertype !== 'market') throw invalid('ordertype');
    const size = decimal(required(p, 'volume'), inst.sizeScale, 'volume');
    const limit = ordertype === 'limit';
    const price = limit ? decimal(required(p, 'price'), inst.priceScale, 'price') : Number.NaN;
    const tif = p.get('timeinforce') ?? 'GTC';
    if (tif !== 'GTC' && tif !== 'IOC') throw invalid('timeinforce');
    const flags = (p.get('oflags') ?? '').split(',').filter((f) => f !== '');
    if (flags.some((f) => !['post', 'fcib', 'fciq', 'nompp', 'viqc'].includes(f))) throw invalid('oflags');
    const clientOrderId = p.get('cl_ord_id') ?? '';
    if (clientOrderId && !CLIENT_ID.test(clientOrderId)) throw invalid('cl_ord_id');
    let o: SimOrder;
    try {
      o = this.exchange.place(ledger, {
        truth,
        side: type === 'buy' ? 'BUY' : 'SELL',
        type: limit ? 'LIMIT' : 'MARKET',
        price,
        size,
        postOnly: flags.includes('post'),
        ioc: tif === 'IOC',
        clientOrderId,
      });
    } catch (error) {
      if (error instanceof SpotRefused) throw new KrakenError(krakenError(error.reason));
      throw error;
    }
    const priceText = limit ? ` @ limit ${truth.price(price)}` : ' @ market';
    return {
      descr: { order: `${type} ${formatDecimalTrimmed(size, inst.sizeScale)} ${altname(truth)}${priceText}` },
      txid: [txid(o.orderId)],
      ...(clientOrderId ? { cl_ord_id: clientOrderId } : {}),
    };
  }

  private cancelAllAfter(ledger: SimLedger, p: URLSearchParams): unknown {
    const raw = required(p, 'timeout');
    if (!/^\d{1,6}$/.test(raw)) throw invalid('timeout');
    const seconds = Number(raw);
    const key = ledger.account.apiKey;
    const old = this.deadMan.get(key);
    if (old) clearTimeout(old);
    this.deadMan.delete(key);
    const now = new Date(this.exchange.serverMs());
    if (seconds === 0) return { currentTime: iso(now), triggerTime: '0' };
    const t = setTimeout(() => {
      this.deadMan.delete(key);
      this.exchange.cancelAll(ledger);
    }, seconds * 1000);
    t.unref();
    this.deadMan.set(key, t);
    return { currentTime: iso(now), triggerTime: iso(new Date(now.getTime() + seconds * 1000)) };
  }

  private find(ledger: SimLedger, id: string): SimOrder | undefined {
    const n = orderIdOf(id);
    if (n !== undefined) return ledger.orders.get(n);
    let found: SimOrder | undefined;
    for (const o of ledger.orders.values()) if (o.clientOrderId === id) found = o;
    return found;
  }

  private pair(name: string): TruthBook {
    for (const t of this.market.symbols()) if (t.venueSymbol === name || altname(t) === name) return t;
    throw new KrakenError('EQuery:Unknown asset pair');
  }

  // ------------------------------------------------------------------ wire forms

  private orderJson(o: SimOrder): unknown {
    const truth = this.market.get(o.symbol)!;
    const inst = truth.instrument;
    const limit = o.type === 'LIMIT';
    return {
      refid: null,
      userref: 0,
      ...(o.clientOrderId ? { cl_ord_id: o.clientOrderId } : {}),
      status: krakenStatus(o),
      opentm: o.time / 1000,
      starttm: 0,
      expiretm: 0,
      descr: {
        pair: altname(truth),
        type: o.side === 'BUY' ? 'buy' : 'sell',
        ordertype: limit ? 'limit' : 'market',
        price: limit ? truth.price(o.price) : '0',
        price2: '0',
        leverage: 'none',
        order: `${o.side === 'BUY' ? 'buy' : 'sell'} ${formatDecimalTrimmed(o.size, inst.sizeScale)} ${altname(truth)}`,
      },
      vol: formatDecimalTrimmed(o.size, inst.sizeScale),
      vol_exec: formatDecimalTrimmed(o.filled, inst.sizeScale),
      cost: formatAmount(o.cumQuote),
      fee: '0',
      price: o.filled > 0 ? truth.price(averagePrice(o, inst)) : '0',
      misc: '',
      oflags: '',
    };
  }

  private fillJson(f: SimFill): unknown {
    const truth = this.market.get(f.symbol)!;
    return {
      ordertxid: txid(f.orderId),
      postxid: 'TSIMPOS-00000-000000',
      pair: altname(truth),
      time: f.time / 1000,
      type: f.side === 'BUY' ? 'buy' : 'sell',
      ordertype: this.exchange.order(f.orderId)?.type === 'MARKET' ? 'market' : 'limit',
      price: truth.price(f.price),
      cost: formatAmount(f.quote),
      fee: formatAmount(f.commission),
      vol: truth.size(f.size),
      margin: '0',
      misc: '',
      trade_id: f.id,
      maker: f.maker,
    };
  }

  /** One `executions` update: the order's event, or (with `fill`) its trade. */
  private executionMessage(o: SimOrder, fill: SimFill | undefined): StreamMessage {
    const truth = this.market.get(o.symbol)!;
    const inst = truth.instrument;
    const entry: Record<string, unknown> = {
      exec_type: fill ? 'trade' : execType(o),
      order_id: txid(o.orderId),
      ...(o.clientOrderId ? { cl_ord_id: o.clientOrderId } : {}),
      symbol: truth.venueSymbol,
      side: o.side === 'BUY' ? 'buy' : 'sell',
      order_type: o.type === 'LIMIT' ? 'limit' : 'market',
      order_qty: Number(formatDecimalTrimmed(o.size, inst.sizeScale)),
      cum_qty: Number(formatDecimalTrimmed(o.filled, inst.sizeScale)),
      order_status: orderStatus(o),
      timestamp: new Date(fill ? fill.time : o.updateTime).toISOString(),
    };
    if (fill) {
      entry.exec_id = tradeTxid(fill.id);
      entry.trade_id = fill.id;
      entry.last_qty = Number(truth.size(fill.size));
      entry.last_price = Number(truth.price(fill.price));
      entry.liquidity_ind = fill.maker ? 'm' : 't';
      entry.fees = [{ asset: inst.quote, qty: Number(formatAmount(fill.commission)) }];
    }
    return (sequence) => JSON.stringify({ channel: 'executions', type: 'update', data: [entry], sequence });
  }

  private state(): unknown {
    return spotState(
      this.exchange,
      (o) => ({ txid: txid(o.orderId), ...(this.orderJson(o) as object) }),
      (f) => ({ id: tradeTxid(f.id), ...(this.fillJson(f) as object) }),
    );
  }
}

/** Kraken order ids look like `OQCLML-BW3P3-BUCMWZ`; the simulator's carry the order number. */
export function txid(orderId: number): string {
  return `O${String(orderId).padStart(5, '0')}-SIMKR-${String(orderId % 1_000_000).padStart(6, '0')}`;
}

function tradeTxid(tradeId: number): string {
  return `T${String(tradeId).padStart(5, '0')}-SIMKR-${String(tradeId % 1_000_000).padStart(6, '0')}`;
}

function orderIdOf(id: string): number | undefined {
  const m = /^O(\d{5,})-SIMKR-\d{6}$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

function altname(t: TruthBook): string {
  return t.venueSymbol.replace('/', '');
}

function krakenStatus(o: SimOrder): string {
  switch (o.status) {
    case 'NEW':
    case 'PARTIALLY_FILLED':
      return 'open';
    case 'FILLED':
      return 'closed';
    case 'CANCELED':
      return 'canceled';
    default:
      return 'expired';
  }
}

/** WS v2 `order_status`. */
function orderStatus(o: SimOrder): string {
  switch (o.status) {
    case 'NEW':
      return 'new';
    case 'PARTIALLY_FILLED':
      return 'partially_filled';
    case 'FILLED':
      return 'filled';
    case 'CANCELED':
      return 'canceled';
    default:
      return 'expired';
  }
}

/** WS v2 `exec_type` of an event that is not a trade. */
function execType(o: SimOrder): string {
  const status = orderStatus(o);
  return status === 'partially_filled' ? 'status' : status;
}

function krakenError(reason: SpotRefusalReason): string {
  switch (reason) {
    case 'insufficient_funds':
    case 'armed_reject':
      return 'EOrder:Insufficient funds';
    case 'duplicate_client_id':
      return 'EOrder:Duplicate cl_ord_id';
    case 'post_only_cross':
      return 'EOrder:Post only order';
    case 'min_size':
    case 'lot':
    case 'invalid_size':
      return 'EOrder:Order minimum not met';
    case 'min_notional':
      return 'EOrder:Cost minimum not met';
    case 'tick':
    case 'invalid_price':
      return 'EOrder:Invalid price';
    default:
      return 'EGeneral:Invalid arguments';
  }
}

function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null || v === '') throw invalid(name);
  return v;
}

function invalid(field: string): KrakenError {
  return new KrakenError(`EGeneral:Invalid arguments:${field}`);
}

function decimal(text: string, scale: number, field: string): number {
  if (!DECIMAL.test(text)) throw invalid(field);
  const units = parseDecimal(text, scale);
  if (!Number.isSafeInteger(units))
    throw new KrakenError(field === 'price' ? 'EOrder:Invalid price' : invalid(field).error);
  if (units <= 0) throw invalid(field);
  return units;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
