/**
 * Coinbase Advanced Trade's private REST (`/api/v3/brokerage/…`) on the simulator's own port. Each
 * request's Bearer JWT is checked by fargate/execution/coinbase/verify-request.ts against the key
 * named in `kid` (the account's EC P-256 key from config/local-accounts.json; the `uri` claim names
 * `api.coinbase.com`, as the venue's does): HTTP 401 `Unauthorized` whatever failed. Orders match
 * through the shared SpotExchange.
 *
 * Endpoints: `POST /orders` (`client_order_id`, `product_id`, `side`, `order_configuration` one of
 * `market_market_ioc{base_size}`, `limit_limit_gtc{base_size,limit_price,post_only}`,
 * `sor_limit_ioc{base_size,limit_price}`), `POST /orders/batch_cancel {order_ids}`, `GET
 * /orders/historical/batch?order_status=OPEN&product_ids=`, `GET /orders/historical/{order_id}`, `GET
 * /orders/historical/fills?product_ids=&start_sequence_timestamp=`, `GET /accounts`, `GET /time`
 * (unsigned). A refused create is HTTP 200 `{success:false, error_response:{error, message,
 * new_order_failure_reason, preview_failure_reason}}` (INSUFFICIENT_FUND, INVALID_LIMIT_PRICE_POST_ONLY,
 * INVALID_PRODUCT_ID, INVALID_SIZE_PRECISION, INVALID_PRICE_PRECISION, UNSUPPORTED_ORDER_CONFIGURATION);
 * a malformed body HTTP 400 `{error:"INVALID_ARGUMENT"}`; a refused cancel `UNKNOWN_CANCEL_ORDER`.
 *
 * The `user` WebSocket channel at the server's `/ws/user` (Coinbase's own host
 * `advanced-trade-ws-user.coinbase.com`): `{"type":"subscribe","channel":"user"|"heartbeats",
 * "product_ids","jwt"}` with a JWT of the account's key (no `uri` claim) → a `subscriptions`
 * message (else `{"type":"error","message":"authentication failure"}`); then per order event
 * `{"channel":"user","sequence_num":n,"events":[{"type":"update","orders":[…]}]}` (`order_id`,
 * `client_order_id`, `status`, `cumulative_quantity`, `leaves_quantity`, `avg_price`, `total_fees`,
 * `number_of_fills`; no trade id, as on Coinbase). `sequence_num` counts the connection's `user`
 * messages from 0. Heartbeats are acknowledged but not sent.
 *
 * Not simulated: edit, preview, rate-limit headers, pagination.
 * `GET /sim/state` (local only): `{accounts:{<key name>:{openOrders,fills,balances}}}`.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { formatDecimalTrimmed } from '../../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { isObject, type JsonObject, parseJson } from '../../../../core/venues/wire-guards.ts';
import { COINBASE_REST_HOST } from '../../../../fargate/execution/coinbase/sign.ts';
import {
  verifyCoinbaseJwt,
  verifyCoinbaseRequest,
} from '../../../../fargate/execution/coinbase/verify-request.ts';
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

export interface CoinbasePrivateOptions {
  readonly clock: Clock;
  /** Default: coinbase's entry of config/local-accounts.json. */
  readonly accounts?: readonly LocalAccount[];
}

export interface CoinbasePrivateCounters {
  signedRequests: number;
  authFailures: number;
  /** Stream subscriptions refused (bad JWT). */
  streamAuthFailures: number;
}

const PREFIX = '/api/v3/brokerage';
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

class Refusal {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** A create refused with Coinbase's failure reason. */
class CreateFailure {
  constructor(
    readonly reason: string,
    readonly message: string,
  ) {}
}

export class CoinbasePrivateApi {
  readonly exchange: SpotExchange;
  readonly counters: CoinbasePrivateCounters = { signedRequests: 0, authFailures: 0, streamAuthFailures: 0 };
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    private readonly market: VenueMarket,
    options: CoinbasePrivateOptions,
  ) {
    const accounts = options.accounts ?? [loadLocalAccounts().coinbase];
    this.exchange = new SpotExchange(market, {
      exchange: 'coinbase',
      clock: options.clock,
      accounts,
      streamMessage: (o) => this.userMessage(o),
    });
    for (const a of accounts) {
      try {
        this.publicKeys.set(a.apiKey, createPublicKey(createPrivateKey(a.apiSecret)));
      } catch {
        // Not a PEM key: every request of this account is Unauthorized.
      }
    }
  }

  get faults(): SpotExchange['faults'] {
    return this.exchange.faults;
  }

  /** The next create is refused with INSUFFICIENT_FUND (the reject fault). */
  rejectNextOrder(): void {
    this.exchange.faults.rejectNextOrder(0, 'INSUFFICIENT_FUND');
  }

  handles(path: string): boolean {
    return path === '/sim/state' || path.startsWith(`${PREFIX}/`);
  }

  // ------------------------------------------------------------------ user channel

  acceptsStream(url: URL): boolean {
    return url.pathname === '/ws/user';
  }

  openStream(ws: WebSocket): void {
    this.exchange.streams.open(ws);
  }

  closeStream(ws: WebSocket): void {
    this.exchange.streams.close(ws);
  }

  streamText(ws: WebSocket, text: string): void {
    const msg = parseJson(text);
    const channel = isObject(msg) ? msg.channel : undefined;
    if (!isObject(msg) || msg.type !== 'subscribe' || (channel !== 'user' && channel !== 'heartbeats')) {
      ws.send('{"type":"error","message":"Failure to subscribe"}');
      return;
    }
    const verdict = verifyCoinbaseJwt(
      typeof msg.jwt === 'string' ? msg.jwt : '',
      (keyName) => this.publicKeys.get(keyName),
      this.exchange.serverMs() / 1000,
      undefined,
    );
    if (!verdict.ok || !this.exchange.ledger(verdict.keyName)) {
      this.counters.streamAuthFailures++;
      ws.send('{"type":"error","message":"authentication failure"}');
      return;
    }
    if (channel === 'user') this.exchange.streams.subscribe(ws, verdict.keyName);
    const products = Array.isArray(msg.product_ids)
      ? msg.product_ids.filter((p) => typeof p === 'string')
      : [];
    ws.send(
      JSON.stringify({
        channel: 'subscriptions',
        client_id: '',
        timestamp: new Date(this.exchange.serverMs()).toISOString(),
        events: [{ subscriptions: { [channel]: channel === 'user' ? products : [] } }],
      }),
    );
  }

  /** One `user` update of `o` as it stands. */
  private userMessage(o: SimOrder): StreamMessage {
    const truth = this.market.get(o.symbol)!;
    const inst = truth.instrument;
    const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
    const fees = this.exchange
      .fillsOf(this.exchange.ledger(o.apiKey)!, o.symbol)
      .filter((f) => f.orderId === o.orderId);
    const order = {
      order_id: orderIdText(o.orderId),
      client_order_id: o.clientOrderId,
      product_id: o.symbol,
      product_type: 'SPOT',
      order_side: o.side,
      order_type: o.type === 'LIMIT' ? 'Limit' : 'Market',
      status: coinbaseStatus(o),
      time_in_force:
        o.type === 'LIMIT' && o.timeInForce !== 'IOC' ? 'GOOD_UNTIL_CANCELLED' : 'IMMEDIATE_OR_CANCEL',
      cumulative_quantity: formatDecimalTrimmed(o.filled, inst.sizeScale),
      leaves_quantity: formatDecimalTrimmed(open ? o.size - o.filled : 0, inst.sizeScale),
      avg_price: o.filled > 0 ? truth.price(averagePrice(o, inst)) : '0',
      total_fees: formatAmount(fees.reduce((sum, f) => sum + f.commission, 0)),
      number_of_fills: String(fees.length),
      filled_value: formatAmount(o.cumQuote),
      limit_price: o.type === 'LIMIT' ? truth.price(o.price) : '0',
      creation_time: new Date(o.time).toISOString(),
    };
    const timestamp = new Date(o.updateTime).toISOString();
    return (sequence) =>
      JSON.stringify({
        channel: 'user',
        client_id: '',
        timestamp,
        sequence_num: sequence,
        events: [{ type: 'update', orders: [order] }],
      });
  }

  rest(method: string, url: URL, body: string, headers: RequestHeaders, res: ServerResponse): void {
    const path = url.pathname;
    if (path === '/sim/state') {
      sendJson(res, 200, JSON.stringify(this.state()));
      return;
    }
    if (method === 'GET' && path === `${PREFIX}/time`) {
      const ms = this.exchange.serverMs();
      sendJson(
        res,
        200,
        JSON.stringify({
          iso: new Date(ms).toISOString(),
          epochSeconds: String(Math.floor(ms / 1000)),
          epochMillis: String(ms),
        }),
      );
      return;
    }
    this.counters.signedRequests++;
    const authorization = headers.authorization;
    const verdict = verifyCoinbaseRequest(
      {
        authorization: typeof authorization === 'string' ? authorization : undefined,
        method,
        path,
        host: COINBASE_REST_HOST,
      },
      (keyName) => this.publicKeys.get(keyName),
      this.exchange.serverMs() / 1000,
    );
    if (!verdict.ok) {
      this.counters.authFailures++;
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(verdict.body);
      return;
    }
    try {
      const answer = this.dispatch(
        method,
        path.slice(PREFIX.length),
        url.searchParams,
        body,
        this.exchange.ledger(verdict.keyName)!,
      );
      sendJson(res, 200, JSON.stringify(answer));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      sendJson(res, error.status, JSON.stringify(error.body));
    }
  }

  private dispatch(
    method: string,
    route: string,
    q: URLSearchParams,
    body: string,
    ledger: SimLedger,
  ): unknown {
    if (method === 'POST' && route === '/orders') return this.create(ledger, jsonBody(body));
    if (method === 'POST' && route === '/orders/batch_cancel') {
      const ids = jsonBody(body).order_ids;
      if (!Array.isArray(ids) || ids.length === 0) throw invalidArgument('order_ids is required');
      return {
        results: ids.map((id) => {
          const o = typeof id === 'string' ? ledger.orders.get(orderNumber(id)) : undefined;
          if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED'))
            return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: String(id) };
          this.exchange.cancel(o);
          return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
        }),
      };
    }
    if (method === 'GET' && route === '/orders/historical/batch') {
      const products = q.getAll('product_ids');
      const status = q.getAll('order_status');
      const orders = [...ledger.orders.values()]
        .filter((o) => products.length === 0 || products.includes(o.symbol))
        .filter((o) => status.length === 0 || status.includes(coinbaseStatus(o)))
        .map((o) => this.orderJson(o));
      return { orders, sequence: '0', has_next: false, cursor: '' };
    }
    if (method === 'GET' && route === '/orders/historical/fills') {
      const products = q.getAll('product_ids');
      const startRaw = q.get('start_sequence_timestamp');
      const start = startRaw ? Date.parse(startRaw) : 0;
      const fills = this.exchange
        .fillsOf(ledger)
        .filter(
          (f) =>
            (products.length === 0 || products.includes(f.symbol)) &&
            f.time >= (Number.isNaN(start) ? 0 : start),
        )
        .map((f) => this.fillJson(f));
      return { fills, cursor: '' };
    }
    if (method === 'GET' && route.startsWith('/orders/historical/')) {
      const o = ledger.orders.get(orderNumber(route.slice('/orders/historical/'.length)));
      if (!o) throw new Refusal(404, { error: 'NOT_FOUND', message: 'order not found', error_details: '' });
      return { order: this.orderJson(o) };
    }
    if (method === 'GET' && route === '/accounts') {
      const accounts = [...ledger.balances].map(([currency, b]) => ({
        uuid: `sim-${currency}`,
        name: `${currency} Wallet`,
        currency,
        available_balance: { value: formatAmount(b.free), currency },
        default: false,
        active: true,
        type: 'ACCOUNT_TYPE_CRYPTO',
        ready: true,
        hold: { value: formatAmount(b.locked), currency },
      }));
      return { accounts, has_next: false, cursor: '', size: accounts.length };
    }
    throw new Refusal(404, { error: 'NOT_FOUND', message: 'Not Found', error_details: '' });
  }

  private create(ledger: SimLedger, p: JsonObject): unknown {
    const configuration = isObject(p.order_configuration) ? p.order_configuration : {};
    try {
      const clientOrderId = p.client_order_id;
      if (typeof clientOrderId !== 'string' || !CLIENT_ID.test(clientOrderId))
        throw invalidArgument('client_order_id is required');
      if (p.side !== 'BUY' && p.side !== 'SELL') throw new CreateFailure('INVALID_SIDE', 'invalid side');
      const truth = typeof p.product_id === 'string' ? this.market.get(p.product_id) : undefined;
      if (!truth) throw new CreateFailure('INVALID_PRODUCT_ID', 'invalid product_id');
      const { type, size, price, postOnly, ioc } = this.configuration(truth, configuration);
      const o = this.exchange.place(ledger, {
        truth,
        side: p.side,
        type,
        price,
        size,
        postOnly,
        ioc,
        clientOrderId,
      });
      return {
        success: true,
        success_response: {
          order_id: orderIdText(o.orderId),
          product_id: o.symbol,
          side: o.side,
          client_order_id: o.clientOrderId,
        },
        order_configuration: configuration,
      };
    } catch (error) {
      let failure = error;
      if (error instanceof SpotRefused) failure = createFailure(error.reason);
      if (!(failure instanceof CreateFailure)) throw failure;
      return {
        success: false,
        failure_reason: 'UNKNOWN_FAILURE_REASON',
        order_id: '',
        error_response: {
          error: failure.reason,
          message: failure.message,
          error_details: '',
          preview_failure_reason: 'UNKNOWN_PREVIEW_FAILURE_REASON',
          new_order_failure_reason: failure.reason,
        },
        order_configuration: configuration,
      };
    }
  }

  private configuration(
    truth: TruthBook,
    c: JsonObject,
  ): { type: 'LIMIT' | 'MARKET'; size: number; price: number; postOnly: boolean; ioc: boolean } {
    const inst = truth.instrument;
    const keys = Object.keys(c);
    if (keys.length !== 1)
      throw new CreateFailure('UNSUPPORTED_ORDER_CONFIGURATION', 'one order configuration');
    const kind = keys[0]!;
    const cfg = c[kind];
    if (!isObject(cfg)) throw new CreateFailure('UNSUPPORTED_ORDER_CONFIGURATION', kind);
    const size = units(cfg.base_size, inst.sizeScale, 'INVALID_SIZE_PRECISION');
    switch (kind) {
      case 'market_market_ioc':
        return { type: 'MARKET', size, price: Number.NaN, postOnly: false, ioc: true };
      case 'limit_limit_gtc':
        return {
          type: 'LIMIT',
          size,
          price: units(cfg.limit_price, inst.priceScale, 'INVALID_PRICE_PRECISION'),
          postOnly: cfg.post_only === true,
          ioc: false,
        };
      case 'sor_limit_ioc':
        return {
          type: 'LIMIT',
          size,
          price: units(cfg.limit_price, inst.priceScale, 'INVALID_PRICE_PRECISION'),
          postOnly: false,
          ioc: true,
        };
      default:
        throw new CreateFailure('UNSUPPORTED_ORDER_CONFIGURATION', kind);
    }
  }

  // ------------------------------------------------------------------ wire forms

  private orderJson(o: SimOrder): unknown {
    const truth = this.market.get(o.symbol)!;
    const inst = truth.instrument;
    const limit = o.type === 'LIMIT';
    const base = formatDecimalTrimmed(o.size, inst.sizeScale);
    const configuration = !limit
      ? { market_market_ioc: { base_size: base } }
      : o.timeInForce === 'IOC'
        ? { sor_limit_ioc: { base_size: base, limit_price: truth.price(o.price) } }
        : { limit_limit_gtc: { base_size: base, limit_price: truth.price(o.price), post_only: false } };
    return {
      order_id: orderIdText(o.orderId),
      product_id: o.symbol,
      user_id: 'sim-user',
      order_configuration: configuration,
      side: o.side,
      client_order_id: o.clientOrderId,
      status: coinbaseStatus(o),
      time_in_force: limit && o.timeInForce !== 'IOC' ? 'GOOD_UNTIL_CANCELLED' : 'IMMEDIATE_OR_CANCEL',
      created_time: new Date(o.time).toISOString(),
      completion_percentage: String(Math.floor((o.filled * 100) / o.size)),
      filled_size: formatDecimalTrimmed(o.filled, inst.sizeScale),
      average_filled_price: o.filled > 0 ? truth.price(averagePrice(o, inst)) : '0',
      number_of_fills: '0',
      filled_value: formatAmount(o.cumQuote),
      order_type: limit ? 'LIMIT' : 'MARKET',
      product_type: 'SPOT',
    };
  }

  private fillJson(f: SimFill): unknown {
    const truth = this.market.get(f.symbol)!;
    const time = new Date(f.time).toISOString();
    return {
      entry_id: `sim-entry-${f.id}`,
      trade_id: `sim-trade-${f.id}`,
      order_id: orderIdText(f.orderId),
      trade_time: time,
      trade_type: 'FILL',
      price: truth.price(f.price),
      size: truth.size(f.size),
      commission: formatAmount(f.commission),
      product_id: f.symbol,
      sequence_timestamp: time,
      liquidity_indicator: f.maker ? 'MAKER' : 'TAKER',
      size_in_quote: false,
      user_id: 'sim-user',
      side: f.side,
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

/** Coinbase order ids are UUIDs; the simulator's carry the order number in the last group. */
function orderIdText(orderId: number): string {
  return `5ea5e000-0000-4000-8000-${String(orderId).padStart(12, '0')}`;
}

function orderNumber(id: string): number {
  const m = /^5ea5e000-0000-4000-8000-(\d{12})$/.exec(id);
  return m ? Number(m[1]) : -1;
}

function coinbaseStatus(o: SimOrder): string {
  switch (o.status) {
    case 'NEW':
    case 'PARTIALLY_FILLED':
      return 'OPEN';
    case 'FILLED':
      return 'FILLED';
    case 'CANCELED':
      return 'CANCELLED';
    case 'EXPIRED':
      return 'EXPIRED';
    default:
      return 'FAILED';
  }
}

function jsonBody(body: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    v = undefined;
  }
  if (!isObject(v)) throw invalidArgument('request body is not a JSON object');
  return v;
}

function invalidArgument(message: string): Refusal {
  return new Refusal(400, { error: 'INVALID_ARGUMENT', message, error_details: '' });
}

function units(v: unknown, scale: number, reason: string): number {
  if (typeof v !== 'string' || !DECIMAL.test(v)) throw new CreateFailure(reason, 'not a decimal string');
  const n = parseDecimal(v, scale);
  if (!Number.isSafeInteger(n) || n <= 0) throw new CreateFailure(reason, 'precision');
  return n;
}

function createFailure(reason: SpotRefusalReason): CreateFailure {
  switch (reason) {
    case 'insufficient_funds':
    case 'armed_reject':
      return new CreateFailure('INSUFFICIENT_FUND', 'Insufficient balance in source account');
    case 'post_only_cross':
      return new CreateFailure('INVALID_LIMIT_PRICE_POST_ONLY', 'post-only order would cross');
    case 'tick':
    case 'invalid_price':
      return new CreateFailure('INVALID_PRICE_PRECISION', 'price precision');
    case 'lot':
    case 'invalid_size':
      return new CreateFailure('INVALID_SIZE_PRECISION', 'size precision');
    case 'min_size':
      return new CreateFailure('PREVIEW_INVALID_BASE_SIZE_TOO_SMALL', 'base size too small');
    case 'min_notional':
      return new CreateFailure('PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL', 'quote size too small');
    case 'no_liquidity':
      return new CreateFailure('INVALID_NO_LIQUIDITY', 'no liquidity');
    case 'duplicate_client_id':
      return new CreateFailure('DUPLICATE_CLIENT_ORDER_ID', 'client_order_id already used');
    default:
      return new CreateFailure('INVALID_REQUEST', reason);
  }
}
