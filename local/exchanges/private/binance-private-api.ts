/**
 * Binance's signed private API on the simulator's own port — spot (`/api/v3/*`, user data on the
 * WS API `/ws-api/v3` with `userDataStream.subscribe.signature`) or USD-M (`/fapi/*`, user data on
 * `/private/ws?listenKey=`). Accounts and keys come from config/local-accounts.json; orders are
 * matched against the replayed true book by the core/sim models (order-matcher.ts).
 *
 * REST: every signed request is authenticated (binance-auth.ts) and pays its weight; answers carry
 * `X-MBX-USED-WEIGHT-1M`, orders also `X-MBX-ORDER-COUNT-10S` and `-1D` (spot) / `-1M` (USD-M);
 * past the limits: 429 with -1003 / -1015 and `Retry-After`. Parameter errors: -1102 (missing),
 * -1100 (malformed), -1121 (symbol), -1013 (filters), -2010 / -2019 (balance, margin), -2011 /
 * -2013 (unknown order), -2022 (reduce-only), -5022 (GTX would take). Parameters are read from the
 * query string and a form body alike (the signature covers both, query first).
 *
 * Not simulated: Ed25519/RSA keys (HMAC only), STOP/TAKE_PROFIT types, FOK (treated as IOC), self-trade
 * prevention, hedge mode. Spot commission is charged in the quote asset.
 *
 * `GET /sim/state` (unsigned, local only): `{accounts:{<apiKey>:{openOrders,fills,balances,positions}}}`.
 */
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { loadFeeTable } from '../../../config/fees.ts';
import type { Micros } from '../../../core/market/events.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import type { FeeTable } from '../../../core/sim/fees/fee-table.ts';
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionReports } from '../../../core/trading/execution-venue.ts';
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { Clock } from '../clock.ts';
import { sendJson } from '../server/http-util.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import {
  type AuthFailure,
  BAD_SIGNATURE,
  checkTimestamp,
  KEY_FORMAT,
  mandatory,
  signatureValid,
  UNKNOWN_KEY,
  unsignedQuery,
} from './binance-auth.ts';
import { type LocalAccount, loadLocalAccounts } from './local-accounts.ts';
import { OrderMatcher } from './order-matcher.ts';
import { PrivateFaults } from './private-faults.ts';
import {
  BALANCE_SCALE,
  formatAmount,
  quoteUnits,
  type SimFill,
  SimLedger,
  type SimOrder,
} from './sim-ledger.ts';

export interface BinancePrivateOptions {
  readonly futures: boolean;
  readonly clock: Clock;
  /** Default: this market's entry of config/local-accounts.json. */
  readonly accounts?: readonly LocalAccount[];
  readonly fees?: FeeTable;
  /** REQUEST_WEIGHT per minute (default 6000 spot, 2400 USD-M). */
  readonly weightLimit?: number;
  /** ORDERS per 10 s (default 100 spot, 300 USD-M). */
  readonly orderLimit10s?: number;
  /** USD-M leverage for the margin check (default 20). */
  readonly leverage?: number;
}

export interface PrivateCounters {
  signedRequests: number;
  authFailures: number;
  throttled: number;
  ordersPlaced: number;
  fillsMade: number;
}

/** An error answer: thrown inside handlers, written by `rest`. */
class Refusal {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

const refuse = (f: AuthFailure): Refusal => new Refusal(f.status, f.code, f.msg);
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;
const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

export class BinancePrivateApi implements ExecutionReports {
  readonly futures: boolean;
  readonly faults: PrivateFaults;
  readonly counters: PrivateCounters = {
    signedRequests: 0,
    authFailures: 0,
    throttled: 0,
    ordersPlaced: 0,
    fillsMade: 0,
  };
  private readonly clock: Clock;
  private readonly ledgers = new Map<string, SimLedger>();
  private readonly orders = new Map<number, SimOrder>();
  private readonly cancelRequested = new Set<number>();
  private readonly matcher: OrderMatcher;
  private readonly streams = new Map<WebSocket, { apiKey: string | undefined; subscriptionId: number }>();
  private readonly countdowns = new Map<string, NodeJS.Timeout>();
  /** REQUEST_WEIGHT per minute and ORDERS per 10 s; adjustable at run time (tests lower them). */
  readonly limits: { weightPerMinute: number; ordersPer10s: number };
  private readonly leverage: number;
  private nextOrderId = 1;
  private nextTradeId = 1;
  private nextSubscription = 0;
  private weightMinute = 0;
  private weightUsed = 0;
  private orderWindow10s = 0;
  private orders10s = 0;
  private ordersDay = 0;
  private ordersMinute = 0;
  private orderMinute = 0;
  /** What the matcher last said about the request being handled. */
  private lastReject: RejectReason | undefined;
  private lastRequestReject: RejectReason | undefined;

  constructor(
    private readonly market: VenueMarket,
    options: BinancePrivateOptions,
  ) {
    this.futures = options.futures;
    this.clock = options.clock;
    const exchange = options.futures ? 'binance-futures' : 'binance';
    const accounts = options.accounts ?? [loadLocalAccounts()[exchange]];
    for (const a of accounts) this.ledgers.set(a.apiKey, new SimLedger(a));
    this.limits = {
      weightPerMinute: options.weightLimit ?? (options.futures ? 2400 : 6000),
      ordersPer10s: options.orderLimit10s ?? (options.futures ? 300 : 100),
    };
    this.leverage = options.leverage ?? 20;
    this.matcher = new OrderMatcher(this, options.fees ?? loadFeeTable(), exchange, this.clock);
    this.faults = new PrivateFaults(() => {
      const n = this.streams.size;
      for (const ws of this.streams.keys()) ws.terminate();
      return n;
    });
  }

  // ------------------------------------------------------------------ routing

  /** Is this REST path ours? */
  handles(path: string): boolean {
    if (path === '/sim/state') return true;
    return this.futures
      ? path.startsWith('/fapi/v1/order') ||
          [
            '/fapi/v1/allOpenOrders',
            '/fapi/v1/openOrders',
            '/fapi/v1/userTrades',
            '/fapi/v1/listenKey',
            '/fapi/v1/countdownCancelAll',
            '/fapi/v3/balance',
            '/fapi/v3/account',
            '/fapi/v3/positionRisk',
          ].includes(path)
      : path.startsWith('/api/v3/order') ||
          ['/api/v3/openOrders', '/api/v3/account', '/api/v3/myTrades'].includes(path);
  }

  /** Is this websocket path our user-data stream (USD-M: with a valid listenKey)? */
  acceptsStream(url: URL): boolean {
    if (!this.futures) return url.pathname === '/ws-api/v3';
    if (url.pathname !== '/private/ws') return false;
    return this.ledgerByListenKey(url.searchParams.get('listenKey') ?? '') !== undefined;
  }

  rest(method: string, url: URL, body: string, apiKeyHeader: string | undefined, res: ServerResponse): void {
    if (url.pathname === '/sim/state') {
      sendJson(res, 200, JSON.stringify(this.state()));
      return;
    }
    let headers: Record<string, string> = {};
    try {
      const params = new URLSearchParams(url.search);
      if (body) for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
      const route = `${method} ${url.pathname}`;
      const weight = this.weightOf(route, params);
      headers = this.spendWeight(weight);
      const ledger = this.authenticate(route, url, body, params, apiKeyHeader);
      const isOrder = (route.endsWith('/order') && method === 'POST') || route.endsWith('/cancelReplace');
      if (isOrder) headers = { ...headers, ...this.countOrder() };
      const delayMs = isOrder ? this.faults.takeAckDelay() : 0;
      const answer = JSON.stringify(this.dispatch(route, params, ledger));
      if (delayMs > 0) setTimeout(() => sendJson(res, 200, answer, headers), delayMs).unref();
      else sendJson(res, 200, answer, headers);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      if (error.code === -1022 || error.code === -1021 || error.code === -2014 || error.code === -2015)
        this.counters.authFailures++;
      sendJson(res, error.status, JSON.stringify({ code: error.code, msg: error.msg }), {
        ...headers,
        ...error.headers,
      });
    }
  }

  // ------------------------------------------------------------------ private stream

  openStream(ws: WebSocket, url: URL): void {
    const ledger = this.futures ? this.ledgerByListenKey(url.searchParams.get('listenKey') ?? '') : undefined;
    this.streams.set(ws, { apiKey: ledger?.account.apiKey, subscriptionId: 0 });
  }

  closeStream(ws: WebSocket): void {
    this.streams.delete(ws);
  }

  /** A WS API request frame (spot). */
  streamText(ws: WebSocket, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = undefined;
    }
    const sub = this.streams.get(ws);
    if (!isObject(msg) || !sub) {
      ws.send('{"id":null,"status":400,"error":{"code":-2,"msg":"Invalid JSON."}}');
      return;
    }
    const id = JSON.stringify(msg.id ?? null);
    const fail = (f: AuthFailure): void =>
      ws.send(`{"id":${id},"status":${f.status},"error":${JSON.stringify({ code: f.code, msg: f.msg })}}`);
    if (msg.method === 'time') {
      ws.send(`{"id":${id},"status":200,"result":{"serverTime":${this.serverMs()}}}`);
      return;
    }
    if (msg.method !== 'userDataStream.subscribe.signature') {
      fail({ status: 400, code: -1100, msg: "Illegal characters found in parameter 'method'." });
      return;
    }
    const p = isObject(msg.params) ? msg.params : {};
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(p))
      if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    const ledger = this.subscriber(fields);
    if (!(ledger instanceof SimLedger)) {
      fail(ledger);
      return;
    }
    sub.apiKey = ledger.account.apiKey;
    sub.subscriptionId = this.nextSubscription++;
    ws.send(`{"id":${id},"status":200,"result":{"subscriptionId":${sub.subscriptionId}}}`);
  }

  /** The account a WS API subscribe request authenticates as, or why it does not. */
  private subscriber(fields: Record<string, string>): SimLedger | AuthFailure {
    if (!fields.apiKey) return KEY_FORMAT;
    const ledger = this.ledgers.get(fields.apiKey);
    if (!ledger) return UNKNOWN_KEY;
    const stale = checkTimestamp(new URLSearchParams(fields), this.serverMs());
    if (stale) return stale;
    const payload = Object.keys(fields)
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${fields[k]}`)
      .join('&');
    if (!fields.signature || !signatureValid(ledger.account.apiSecret, payload, fields.signature)) {
      this.counters.authFailures++;
      return BAD_SIGNATURE;
    }
    return ledger;
  }

  // ------------------------------------------------------------------ market

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.matcher.onBook(truth, delta, ts);
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.matcher.onTrade(truth, trade);
  }

  close(): void {
    for (const t of this.countdowns.values()) clearTimeout(t);
    this.countdowns.clear();
  }

  // ------------------------------------------------------------------ ExecutionReports (the matcher)

  accepted(orderId: number): void {
    const o = this.orders.get(orderId);
    if (!o) return;
    this.emit(o, 'NEW');
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
    const ledger = o ? this.ledgers.get(o.apiKey) : undefined;
    const truth = o ? this.market.get(o.symbol) : undefined;
    if (!o || !ledger || !truth) return;
    const fill = ledger.bookFill(o, truth.instrument, this.futures, {
      id: this.nextTradeId++,
      price,
      size,
      fee,
      feeCurrency,
      maker,
      timeMs: Math.floor(ts / 1000),
    });
    this.counters.fillsMade++;
    this.emit(o, 'TRADE', fill);
  }

  canceled(orderId: number): void {
    const o = this.orders.get(orderId);
    if (!o) return;
    const requested = this.cancelRequested.delete(orderId);
    // IOC / market remainders expire on Binance; only a requested cancel is CANCELED.
    o.status = requested ? 'CANCELED' : 'EXPIRED';
    this.finish(o);
    this.emit(o, o.status);
  }

  expired(orderId: number): void {
    const o = this.orders.get(orderId);
    if (!o) return;
    o.status = 'EXPIRED';
    this.finish(o);
    this.emit(o, 'EXPIRED');
  }

  rejected(orderId: number, reason: RejectReason): void {
    const o = this.orders.get(orderId);
    this.lastReject = reason;
    if (!o) return;
    o.status = 'REJECTED';
    this.finish(o);
  }

  amended(orderId: number, price: number, size: number): void {
    const o = this.orders.get(orderId);
    if (!o) return;
    o.price = price;
    o.size = size;
    if (this.futures) this.emit(o, 'AMENDMENT');
  }

  requestRejected(_orderId: number, reason: RejectReason): void {
    this.lastRequestReject = reason;
  }

  // ------------------------------------------------------------------ handlers

  private dispatch(route: string, p: URLSearchParams, ledger: SimLedger | undefined): unknown {
    const f = this.futures;
    const led = (): SimLedger => {
      if (!ledger) throw refuse(UNKNOWN_KEY);
      return ledger;
    };
    switch (route) {
      case 'POST /api/v3/order':
      case 'POST /fapi/v1/order':
        return this.orderJson(this.place(led(), p));
      case 'DELETE /api/v3/order':
      case 'DELETE /fapi/v1/order':
        return this.orderJson(this.cancelOne(led(), p));
      case 'GET /api/v3/order':
      case 'GET /fapi/v1/order':
        return this.orderJson(this.find(led(), p));
      case 'PUT /fapi/v1/order':
        return this.orderJson(this.modify(led(), p));
      case 'POST /api/v3/order/cancelReplace':
        return this.cancelReplace(led(), p);
      case 'DELETE /api/v3/openOrders':
      case 'DELETE /fapi/v1/allOpenOrders': {
        const symbol = this.symbol(p).venueSymbol;
        const canceled = led()
          .openOrders(symbol)
          .map((o) => this.orderJson(this.cancelOrder(o)));
        return f ? { code: 200, msg: 'The operation of cancel all open order is done.' } : canceled;
      }
      case 'GET /api/v3/openOrders':
      case 'GET /fapi/v1/openOrders': {
        const symbol = p.get('symbol') ?? undefined;
        return led()
          .openOrders(symbol ? symbol.toUpperCase() : undefined)
          .map((o) => this.orderJson(o));
      }
      case 'GET /api/v3/myTrades':
      case 'GET /fapi/v1/userTrades':
        return this.trades(led(), p);
      case 'GET /api/v3/account':
        return this.spotAccount(led(), p.get('omitZeroBalances') === 'true');
      case 'GET /fapi/v3/balance':
        return this.futuresBalances(led());
      case 'GET /fapi/v3/account':
        return { assets: this.futuresBalances(led()), positions: this.positionRisk(led()) };
      case 'GET /fapi/v3/positionRisk':
        return this.positionRisk(led());
      case 'POST /fapi/v1/listenKey':
      case 'PUT /fapi/v1/listenKey': {
        const l = led();
        if (!l.listenKey)
          l.listenKey = `sim${l.account.apiKey.slice(-8)}${Math.floor(this.clock() / 1000).toString(36)}`;
        return route.startsWith('POST') ? { listenKey: l.listenKey } : {};
      }
      case 'DELETE /fapi/v1/listenKey':
        led().listenKey = '';
        return {};
      case 'POST /fapi/v1/countdownCancelAll':
        return this.countdown(led(), p);
      default:
        throw new Refusal(404, -1, 'not found');
    }
  }

  private place(ledger: SimLedger, p: URLSearchParams, forcedClientId?: string): SimOrder {
    const truth = this.symbol(p);
    const inst = truth.instrument;
    const side = required(p, 'side');
    if (side !== 'BUY' && side !== 'SELL') throw illegal('side');
    const type = required(p, 'type');
    if (!['LIMIT', 'MARKET', ...(this.futures ? [] : ['LIMIT_MAKER'])].includes(type)) throw illegal('type');
    const limit = type !== 'MARKET';
    const tif = type === 'LIMIT' ? required(p, 'timeInForce') : type === 'LIMIT_MAKER' ? 'GTC' : '';
    if (type === 'LIMIT' && !['GTC', 'IOC', 'FOK', ...(this.futures ? ['GTX'] : [])].includes(tif))
      throw illegal('timeInForce');
    const size = this.decimal(p, 'quantity', inst.sizeScale, 'LOT_SIZE');
    const price = limit ? this.decimal(p, 'price', inst.priceScale, 'PRICE_FILTER') : Number.NaN;
    const clientOrderId =
      forcedClientId ??
      p.get('newClientOrderId') ??
      `sim${this.nextOrderId}x${Math.floor(this.clock() / 1000)}`;
    if (!CLIENT_ID.test(clientOrderId)) throw illegal('newClientOrderId');
    if (ledger.openOrders(truth.venueSymbol).some((o) => o.clientOrderId === clientOrderId))
      throw new Refusal(
        400,
        this.futures ? -4116 : -2010,
        this.futures ? 'ClientOrderId is duplicated.' : 'Duplicate order sent.',
      );
    const reduceOnly = this.futures && p.get('reduceOnly') === 'true';
    const armed = this.faults.takeReject();
    if (armed) throw new Refusal(400, armed.code, armed.msg);
    const sideLower = side === 'BUY' ? 'buy' : 'sell';
    const refPrice = limit ? price : side === 'BUY' ? truth.book.bestAsk() : truth.book.bestBid();
    const o: SimOrder = {
      orderId: this.nextOrderId++,
      apiKey: ledger.account.apiKey,
      symbol: truth.venueSymbol,
      clientOrderId,
      side,
      type,
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
    if (this.futures)
      this.checkMargin(ledger, o, refPrice, reduceOnly, inst.quote, inst.priceScale, inst.sizeScale);
    else if (!ledger.reserveSpot(o, refPrice, inst, o.type !== 'MARKET'))
      throw new Refusal(400, -2010, 'Account has insufficient balance for requested action.');
    ledger.orders.set(o.orderId, o);
    this.orders.set(o.orderId, o);
    this.lastReject = undefined;
    const bad = this.matcher.submit(truth, {
      id: o.orderId,
      instrument: 0,
      side: sideLower,
      type: limit ? 'limit' : 'market',
      price,
      size,
      postOnly: type === 'LIMIT_MAKER' || tif === 'GTX',
      ioc: tif === 'IOC' || tif === 'FOK',
    });
    const reason = bad ?? this.lastReject;
    if (reason !== undefined) {
      ledger.release(o, o.reserved);
      ledger.orders.delete(o.orderId);
      this.orders.delete(o.orderId);
      throw this.rejection(reason);
    }
    this.counters.ordersPlaced++;
    return o;
  }

  private cancelOne(ledger: SimLedger, p: URLSearchParams): SimOrder {
    const o = this.find(ledger, p);
    if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')
      throw new Refusal(400, -2011, 'Unknown order sent.');
    return this.cancelOrder(o);
  }

  private cancelOrder(o: SimOrder): SimOrder {
    const truth = this.market.get(o.symbol)!;
    this.cancelRequested.add(o.orderId);
    this.matcher.cancel(truth, o.orderId);
    return o;
  }

  private modify(ledger: SimLedger, p: URLSearchParams): SimOrder {
    const o = this.find(ledger, p);
    const inst = this.symbol(p).instrument;
    if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')
      throw new Refusal(400, -2013, 'Order does not exist.');
    if (o.type !== 'LIMIT') throw new Refusal(400, -4028, 'Price less than 0.');
    const size = this.decimal(p, 'quantity', inst.sizeScale, 'LOT_SIZE');
    const price = this.decimal(p, 'price', inst.priceScale, 'PRICE_FILTER');
    if (size === o.size && price === o.price) throw new Refusal(400, -5027, 'No need to modify the order.');
    this.lastRequestReject = undefined;
    const bad = this.matcher.amend(
      this.market.get(o.symbol)!,
      { id: o.orderId, instrument: 0, side: o.side === 'BUY' ? 'buy' : 'sell', price, size },
      o.size,
    );
    const reason = bad ?? this.lastRequestReject;
    if (reason !== undefined) throw this.rejection(reason);
    return o;
  }

  private cancelReplace(ledger: SimLedger, p: URLSearchParams): unknown {
    if (
      required(p, 'cancelReplaceMode') !== 'STOP_ON_FAILURE' &&
      p.get('cancelReplaceMode') !== 'ALLOW_FAILURE'
    )
      throw illegal('cancelReplaceMode');
    const cancelId = p.get('cancelOrigClientOrderId');
    const cancelOrderId = p.get('cancelOrderId');
    const symbol = this.symbol(p).venueSymbol;
    const old = cancelId
      ? ledger.byClientId(symbol, cancelId)
      : cancelOrderId
        ? ledger.orders.get(Number(cancelOrderId))
        : undefined;
    if (!old || (old.status !== 'NEW' && old.status !== 'PARTIALLY_FILLED'))
      throw new Refusal(400, -2021, 'Order cancel-replace partially failed.', {});
    const canceled = this.orderJson(this.cancelOrder(old));
    const placed = this.orderJson(this.place(ledger, p));
    return {
      cancelResult: 'SUCCESS',
      newOrderResult: 'SUCCESS',
      cancelResponse: canceled,
      newOrderResponse: placed,
    };
  }

  private find(ledger: SimLedger, p: URLSearchParams): SimOrder {
    const symbol = this.symbol(p).venueSymbol;
    const byId = p.get('orderId');
    const byClient = p.get('origClientOrderId');
    if (byId === null && byClient === null) throw mandatory2('orderId', 'origClientOrderId');
    const o = byId !== null ? ledger.orders.get(Number(byId)) : ledger.byClientId(symbol, byClient!);
    if (!o || o.symbol !== symbol) throw new Refusal(400, -2013, 'Order does not exist.');
    return o;
  }

  private trades(ledger: SimLedger, p: URLSearchParams): unknown[] {
    const symbol = this.symbol(p).venueSymbol;
    const orderId = p.get('orderId');
    const start = Number(p.get('startTime') ?? 0);
    return ledger.fills
      .filter(
        (f) => f.symbol === symbol && (orderId === null || f.orderId === Number(orderId)) && f.time >= start,
      )
      .map((f) => this.fillJson(f));
  }

  private countdown(ledger: SimLedger, p: URLSearchParams): unknown {
    const symbol = this.symbol(p).venueSymbol;
    const ms = Number(required(p, 'countdownTime'));
    if (!Number.isInteger(ms) || ms < 0) throw illegal('countdownTime');
    const key = `${ledger.account.apiKey}|${symbol}`;
    const old = this.countdowns.get(key);
    if (old) clearTimeout(old);
    this.countdowns.delete(key);
    if (ms > 0) {
      const t = setTimeout(() => {
        this.countdowns.delete(key);
        for (const o of ledger.openOrders(symbol)) this.cancelOrder(o);
      }, ms);
      t.unref();
      this.countdowns.set(key, t);
    }
    return { symbol, countdownTime: String(ms) };
  }

  // ------------------------------------------------------------------ balances and margin

  private finish(o: SimOrder): void {
    this.ledgers.get(o.apiKey)?.release(o, o.reserved);
    o.updateTime = this.serverMs();
  }

  private checkMargin(
    ledger: SimLedger,
    o: SimOrder,
    refPrice: number,
    reduceOnly: boolean,
    quote: string,
    ps: number,
    ss: number,
  ): void {
    const signed = o.side === 'BUY' ? o.size : -o.size;
    const pos = ledger.positions.get(o.symbol)?.size ?? 0;
    if (reduceOnly && (pos === 0 || Math.sign(pos) === Math.sign(signed) || Math.abs(signed) > Math.abs(pos)))
      throw new Refusal(400, -2022, 'ReduceOnly Order is rejected.');
    if (reduceOnly || !Number.isFinite(refPrice)) return;
    const need = quoteUnits(refPrice, ps, o.size, ss) / this.leverage;
    let used = 0;
    for (const open of ledger.openOrders()) {
      const t = this.market.get(open.symbol);
      if (t)
        used +=
          quoteUnits(open.price, t.instrument.priceScale, open.size - open.filled, t.instrument.sizeScale) /
          this.leverage;
    }
    if (ledger.balance(quote).free - used < need) throw new Refusal(400, -2019, 'Margin is insufficient.');
  }

  // ------------------------------------------------------------------ wire forms

  private orderJson(o: SimOrder): unknown {
    const inst = this.market.get(o.symbol)!.instrument;
    const price = Number.isNaN(o.price) ? '0' : formatDecimalTrimmed(o.price, inst.priceScale);
    const qty = formatDecimalTrimmed(o.size, inst.sizeScale);
    const executed = formatDecimalTrimmed(o.filled, inst.sizeScale);
    const cumQuote = formatAmount(o.cumQuote);
    if (this.futures) {
      return {
        orderId: o.orderId,
        symbol: o.symbol,
        status: o.status,
        clientOrderId: o.clientOrderId,
        price,
        avgPrice:
          o.filled > 0 ? String(o.cumQuote / 10 ** BALANCE_SCALE / (o.filled / 10 ** inst.sizeScale)) : '0',
        origQty: qty,
        executedQty: executed,
        cumQuote,
        timeInForce: o.timeInForce || 'GTC',
        type: o.type,
        reduceOnly: o.reduceOnly,
        side: o.side,
        positionSide: 'BOTH',
        updateTime: o.updateTime,
      };
    }
    return {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: -1,
      clientOrderId: o.clientOrderId,
      transactTime: o.updateTime,
      price,
      origQty: qty,
      executedQty: executed,
      cummulativeQuoteQty: cumQuote,
      status: o.status,
      timeInForce: o.timeInForce || 'GTC',
      type: o.type,
      side: o.side,
      workingTime: o.time,
      selfTradePreventionMode: 'EXPIRE_MAKER',
    };
  }

  private fillJson(f: SimFill): unknown {
    const inst = this.market.get(f.symbol)!.instrument;
    const common = {
      symbol: f.symbol,
      id: f.id,
      orderId: f.orderId,
      price: formatDecimalTrimmed(f.price, inst.priceScale),
      qty: formatDecimalTrimmed(f.size, inst.sizeScale),
      commission: formatAmount(f.commission),
      commissionAsset: f.commissionAsset,
      time: f.time,
    };
    return this.futures
      ? {
          ...common,
          side: f.side,
          quoteQty: formatAmount(f.quote),
          maker: f.maker,
          buyer: f.side === 'BUY',
          positionSide: 'BOTH',
          realizedPnl: '0',
        }
      : {
          ...common,
          orderListId: -1,
          quoteQty: formatAmount(f.quote),
          isBuyer: f.side === 'BUY',
          isMaker: f.maker,
          isBestMatch: true,
        };
  }

  private spotAccount(ledger: SimLedger, omitZero: boolean): unknown {
    const balances: unknown[] = [];
    for (const [asset, b] of ledger.balances) {
      if (omitZero && b.free === 0 && b.locked === 0) continue;
      balances.push({ asset, free: formatAmount(b.free), locked: formatAmount(b.locked) });
    }
    return {
      makerCommission: 0,
      takerCommission: 0,
      canTrade: true,
      accountType: 'SPOT',
      balances,
      permissions: ['SPOT'],
    };
  }

  private futuresBalances(ledger: SimLedger): unknown[] {
    return [...ledger.balances].map(([asset, b]) => ({
      accountAlias: 'SimAccount',
      asset,
      balance: formatAmount(b.free + b.locked),
      availableBalance: formatAmount(b.free),
      updateTime: this.serverMs(),
    }));
  }

  private positionRisk(ledger: SimLedger): unknown[] {
    const out: unknown[] = [];
    for (const [symbol, pos] of ledger.positions) {
      if (pos.size === 0) continue;
      const inst = this.market.get(symbol)!.instrument;
      out.push({
        symbol,
        positionSide: 'BOTH',
        positionAmt: formatDecimalTrimmed(pos.size, inst.sizeScale),
        entryPrice: (pos.entry / 10 ** inst.priceScale).toString(),
        updateTime: this.serverMs(),
      });
    }
    return out;
  }

  private state(): unknown {
    const accounts: Record<string, unknown> = {};
    for (const [key, l] of this.ledgers) {
      const balances: Record<string, { free: string; locked: string }> = {};
      for (const [asset, b] of l.balances)
        balances[asset] = { free: formatAmount(b.free), locked: formatAmount(b.locked) };
      accounts[key] = {
        openOrders: l.openOrders().map((o) => this.orderJson(o)),
        fills: l.fills.map((f) => this.fillJson(f)),
        balances,
        ...(this.futures ? { positions: this.positionRisk(l) } : {}),
      };
    }
    return { accounts };
  }

  /** The order update to the account's private streams (fill messages through the faults). */
  private emit(o: SimOrder, execType: string, fill?: SimFill): void {
    const subs = [...this.streams].filter(([, s]) => s.apiKey === o.apiKey);
    if (subs.length === 0) return;
    const copies = fill ? this.faults.takeFillCopies() : 1;
    if (copies === 0) return;
    const inst = this.market.get(o.symbol)!.instrument;
    const now = this.serverMs();
    const px = (u: number): string => (Number.isNaN(u) ? '0' : formatDecimalTrimmed(u, inst.priceScale));
    const qty = (u: number): string => formatDecimalTrimmed(u, inst.sizeScale);
    const cancel = execType === 'CANCELED';
    const fields = {
      s: o.symbol,
      c: cancel && !this.futures ? `cancel${o.orderId}` : o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce || 'GTC',
      q: qty(o.size),
      p: px(o.price),
      x: execType,
      X: o.status,
      i: o.orderId,
      l: fill ? qty(fill.size) : '0',
      z: qty(o.filled),
      L: fill ? px(fill.price) : '0',
      n: fill ? formatAmount(fill.commission) : '0',
      N: fill ? fill.commissionAsset : null,
      T: now,
      t: fill ? fill.id : -1,
      m: fill ? fill.maker : false,
    };
    const text = this.futures
      ? JSON.stringify({
          e: 'ORDER_TRADE_UPDATE',
          E: now,
          T: now,
          o: {
            ...fields,
            ap: '0',
            sp: '0',
            R: o.reduceOnly,
            ps: 'BOTH',
            rp: '0',
            V: 'EXPIRE_MAKER',
            pm: 'NONE',
            gtd: 0,
          },
        })
      : '';
    for (const [ws, s] of subs) {
      const frame = this.futures
        ? text
        : JSON.stringify({
            subscriptionId: s.subscriptionId,
            event: {
              e: 'executionReport',
              E: now,
              ...fields,
              C: cancel ? o.clientOrderId : '',
              r: 'NONE',
              I: this.nextTradeId,
              w: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED',
              M: false,
              O: o.time,
              Z: formatAmount(o.cumQuote),
              Y: fill ? formatAmount(fill.quote) : '0',
              Q: '0',
              W: o.time,
              V: 'EXPIRE_MAKER',
            },
          });
      for (let i = 0; i < copies; i++) ws.send(frame);
    }
  }

  // ------------------------------------------------------------------ auth, limits, params

  private authenticate(
    route: string,
    url: URL,
    body: string,
    params: URLSearchParams,
    apiKeyHeader: string | undefined,
  ): SimLedger | undefined {
    const keyOnly = route.endsWith('/listenKey');
    if (!apiKeyHeader) throw refuse(KEY_FORMAT);
    const ledger = this.ledgers.get(apiKeyHeader);
    if (!ledger) throw refuse(UNKNOWN_KEY);
    if (keyOnly) return ledger;
    this.counters.signedRequests++;
    const stale = checkTimestamp(params, this.serverMs());
    if (stale) throw refuse(stale);
    const { payload, signature } = unsignedQuery(url.search.slice(1));
    if (signature === undefined) throw refuse(mandatory('signature'));
    if (!signatureValid(ledger.account.apiSecret, payload + body, signature)) throw refuse(BAD_SIGNATURE);
    return ledger;
  }

  private weightOf(route: string, p: URLSearchParams): number {
    if (this.futures) {
      if (route === 'GET /fapi/v1/openOrders') return p.get('symbol') ? 1 : 40;
      if (route === 'POST /fapi/v1/countdownCancelAll') return 10;
      if (route.includes('/fapi/v3/')) return 5;
      if (route === 'GET /fapi/v1/userTrades') return 5;
      return route.startsWith('POST /fapi/v1/order') ? 0 : 1;
    }
    if (route === 'GET /api/v3/openOrders') return p.get('symbol') ? 6 : 80;
    if (route === 'GET /api/v3/order') return 4;
    if (route === 'GET /api/v3/account' || route === 'GET /api/v3/myTrades') return 20;
    return 1;
  }

  private spendWeight(weight: number): Record<string, string> {
    const nowMs = this.serverMs();
    const minute = Math.floor(nowMs / 60_000);
    if (minute !== this.weightMinute) {
      this.weightMinute = minute;
      this.weightUsed = 0;
    }
    this.weightUsed += weight;
    const headers = { 'x-mbx-used-weight-1m': String(this.weightUsed) };
    if (this.weightUsed > this.limits.weightPerMinute) {
      this.counters.throttled++;
      const retry = String(Math.max(1, Math.ceil((60_000 - (nowMs % 60_000)) / 1000)));
      throw new Refusal(
        429,
        -1003,
        `Too many requests; current limit of IP(127.0.0.1) request weight per minute is ${this.limits.weightPerMinute}. Please use WebSocket Streams for live updates to avoid polling the API.`,
        { ...headers, 'retry-after': retry },
      );
    }
    return headers;
  }

  private countOrder(): Record<string, string> {
    const nowMs = this.serverMs();
    const window = Math.floor(nowMs / 10_000);
    if (window !== this.orderWindow10s) {
      this.orderWindow10s = window;
      this.orders10s = 0;
    }
    const minute = Math.floor(nowMs / 60_000);
    if (minute !== this.orderMinute) {
      this.orderMinute = minute;
      this.ordersMinute = 0;
    }
    this.orders10s++;
    this.ordersMinute++;
    this.ordersDay++;
    const headers: Record<string, string> = this.futures
      ? { 'x-mbx-order-count-10s': String(this.orders10s), 'x-mbx-order-count-1m': String(this.ordersMinute) }
      : { 'x-mbx-order-count-10s': String(this.orders10s), 'x-mbx-order-count-1d': String(this.ordersDay) };
    if (this.orders10s > this.limits.ordersPer10s) {
      this.counters.throttled++;
      const retry = String(Math.max(1, Math.ceil((10_000 - (nowMs % 10_000)) / 1000)));
      throw new Refusal(
        429,
        -1015,
        `Too many new orders; current limit is ${this.limits.ordersPer10s} orders per TEN_SECONDS.`,
        {
          ...headers,
          'retry-after': retry,
        },
      );
    }
    return headers;
  }

  private symbol(p: URLSearchParams): TruthBook {
    const s = p.get('symbol');
    if (!s) throw refuse(mandatory('symbol'));
    const truth = this.market.get(s.toUpperCase());
    if (!truth) throw new Refusal(400, -1121, 'Invalid symbol.');
    return truth;
  }

  private decimal(p: URLSearchParams, name: string, scale: number, filter: string): number {
    const text = required(p, name);
    if (!DECIMAL.test(text)) throw illegal(name);
    const units = parseDecimal(text, scale);
    if (!Number.isSafeInteger(units) || units <= 0)
      throw new Refusal(400, -1013, `Filter failure: ${filter}`);
    return units;
  }

  private rejection(reason: RejectReason): Refusal {
    switch (reason) {
      case 'tick':
      case 'invalid_price':
        return new Refusal(400, -1013, 'Filter failure: PRICE_FILTER');
      case 'lot':
      case 'min_size':
      case 'invalid_size':
        return new Refusal(400, -1013, 'Filter failure: LOT_SIZE');
      case 'min_notional':
        return this.futures
          ? new Refusal(
              400,
              -4164,
              "Order's notional must be no smaller than 5 (unless you choose reduce only).",
            )
          : new Refusal(400, -1013, 'Filter failure: NOTIONAL');
      case 'post_only_cross':
        return this.futures
          ? new Refusal(
              400,
              -5022,
              'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history',
            )
          : new Refusal(400, -2010, 'Order would immediately match and take.');
      case 'no_liquidity':
        return new Refusal(400, -2010, 'Order would immediately match and take.');
      case 'unknown_order':
        return new Refusal(400, -2011, 'Unknown order sent.');
      default:
        return new Refusal(400, -2010, `Order rejected: ${reason}`);
    }
  }

  private ledgerByListenKey(key: string): SimLedger | undefined {
    if (!key) return undefined;
    for (const l of this.ledgers.values()) if (l.listenKey === key) return l;
    return undefined;
  }

  private serverMs(): number {
    return Math.floor(this.clock() / 1000);
  }
}

function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null || v === '') throw refuse(mandatory(name));
  return v;
}

function illegal(name: string): Refusal {
  return new Refusal(
    400,
    -1100,
    `Illegal characters found in parameter '${name}'; legal range is '${name === 'quantity' || name === 'price' ? '^([0-9]{1,20})(\\.[0-9]{1,20})?$' : 'enum'}'.`,
  );
}

function mandatory2(a: string, b: string): Refusal {
  return new Refusal(400, -1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`);
}
