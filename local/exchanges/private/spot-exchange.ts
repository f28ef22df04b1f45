/**
 * A venue-neutral spot exchange for the simulators' private APIs whose wire is not Binance's
 * (Kraken, KuCoin, Coinbase): accounts and their ledgers, balance reservation and settlement, and
 * matching through the shared OrderMatcher (core/sim models against the replayed true book). Each
 * venue's private API translates its own wire to `place` / `cancel` / `cancelAll` / `visibleFills`
 * and its own error strings from the `SpotRefused` reason.
 *
 * Order events (accepted, each fill, the end) go to the account's private order streams in the
 * venue's wire form (`streamMessage`, through the OrderStreamHub); an order's events from its first
 * matching follow its acceptance. Stream faults: `dropped_fill` numbers the next fill's message but
 * does not send it (REST still lists the fill), `duplicated_fill` sends it twice,
 * `stream_disconnect` cuts every stream.
 */
import { loadFeeTable } from '../../../config/fees.ts';
import type { Micros } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import type { FeeTable } from '../../../core/sim/fees/fee-table.ts';
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionReports } from '../../../core/trading/execution-venue.ts';
import type { Clock } from '../clock.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import type { LocalAccount } from './local-accounts.ts';
import { OrderMatcher } from './order-matcher.ts';
import { OrderStreamHub, type StreamMessage } from './order-stream-hub.ts';
import { PrivateFaults } from './private-faults.ts';
import { BALANCE_SCALE, type SimFill, SimLedger, type SimOrder } from './sim-ledger.ts';

/** Why the exchange refused a request; each venue writes its own error for it. */
export type SpotRefusalReason = RejectReason | 'insufficient_funds' | 'duplicate_client_id' | 'armed_reject';

export class SpotRefused extends Error {
  constructor(readonly reason: SpotRefusalReason) {
    super(reason);
  }
}

export interface SpotOrderInput {
  readonly truth: TruthBook;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET';
  /** Price units; NaN for market orders. */
  readonly price: number;
  readonly size: number;
  readonly postOnly: boolean;
  readonly ioc: boolean;
  readonly clientOrderId: string;
}

export interface SpotExchangeOptions {
  readonly exchange: ExchangeId;
  readonly clock: Clock;
  readonly accounts: readonly LocalAccount[];
  readonly fees?: FeeTable;
  /** An order event in the venue's stream wire form (`fill` set for a fill); none: no stream. */
  readonly streamMessage?: (o: SimOrder, fill: SimFill | undefined) => StreamMessage;
}

export interface SpotCounters {
  ordersPlaced: number;
  fillsMade: number;
  canceled: number;
}

export class SpotExchange implements ExecutionReports {
  readonly streams = new OrderStreamHub();
  readonly faults = new PrivateFaults(() => this.streams.dropAll());
  readonly counters: SpotCounters = { ordersPlaced: 0, fillsMade: 0, canceled: 0 };
  private readonly ledgers = new Map<string, SimLedger>();
  private readonly orders = new Map<number, SimOrder>();
  private readonly cancelRequested = new Set<number>();
  private readonly matcher: OrderMatcher;
  /** Stream pushes of the order being placed, held until it is accepted (dropped if refused). */
  private placing: (() => void)[] | undefined;
  private nextOrderId = 1;
  private nextTradeId = 1;
  private lastReject: RejectReason | undefined;

  constructor(
    private readonly market: VenueMarket,
    private readonly options: SpotExchangeOptions,
  ) {
    for (const a of options.accounts) this.ledgers.set(a.apiKey, new SimLedger(a));
    this.matcher = new OrderMatcher(this, options.fees ?? loadFeeTable(), options.exchange, options.clock);
  }

  ledger(apiKey: string): SimLedger | undefined {
    return this.ledgers.get(apiKey);
  }

  allLedgers(): IterableIterator<[string, SimLedger]> {
    return this.ledgers.entries();
  }

  order(orderId: number): SimOrder | undefined {
    return this.orders.get(orderId);
  }

  serverMs(): number {
    return Math.floor(this.options.clock() / 1000);
  }

  /** Place an order (reports of its first matching arrive before this returns). */
  place(ledger: SimLedger, input: SpotOrderInput): SimOrder {
    const { truth } = input;
    const inst = truth.instrument;
    if (input.clientOrderId && ledger.openOrders().some((o) => o.clientOrderId === input.clientOrderId))
      throw new SpotRefused('duplicate_client_id');
    if (this.faults.takeReject()) throw new SpotRefused('armed_reject');
    const limit = input.type === 'LIMIT';
    const refPrice = limit ? input.price : input.side === 'BUY' ? truth.book.bestAsk() : truth.book.bestBid();
    const o: SimOrder = {
      orderId: this.nextOrderId++,
      apiKey: ledger.account.apiKey,
      symbol: truth.venueSymbol,
      clientOrderId: input.clientOrderId,
      side: input.side,
      type: input.type,
      timeInForce: input.ioc ? 'IOC' : limit ? 'GTC' : '',
      reduceOnly: false,
      price: input.price,
      size: input.size,
      filled: 0,
      cumQuote: 0,
      status: 'NEW',
      time: this.serverMs(),
      updateTime: this.serverMs(),
      reservedAsset: '',
      reserved: 0,
    };
    if (!ledger.reserveSpot(o, refPrice, inst, o.type !== 'MARKET'))
      throw new SpotRefused('insufficient_funds');
    ledger.orders.set(o.orderId, o);
    this.orders.set(o.orderId, o);
    this.lastReject = undefined;
    this.placing = [];
    const bad = this.matcher.submit(truth, {
      id: o.orderId,
      instrument: 0,
      side: input.side === 'BUY' ? 'buy' : 'sell',
      type: limit ? 'limit' : 'market',
      price: input.price,
      size: input.size,
      postOnly: input.postOnly,
      ioc: input.ioc,
    });
    const reason = bad ?? this.lastReject;
    const held = this.placing;
    this.placing = undefined;
    if (reason !== undefined) {
      ledger.release(o, o.reserved);
      ledger.orders.delete(o.orderId);
      this.orders.delete(o.orderId);
      throw new SpotRefused(reason);
    }
    this.counters.ordersPlaced++;
    this.push(o, undefined, 1, o.status === 'NEW' ? undefined : 'NEW');
    for (const send of held) send();
    return o;
  }

  /** Cancel an open order (a no-op on a terminal one). */
  cancel(o: SimOrder): SimOrder {
    if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') return o;
    const truth = this.market.get(o.symbol);
    if (!truth) return o;
    this.cancelRequested.add(o.orderId);
    this.matcher.cancel(truth, o.orderId);
    return o;
  }

  cancelAll(ledger: SimLedger, symbol?: string): SimOrder[] {
    return ledger.openOrders(symbol).map((o) => this.cancel(o));
  }

  /** The account's fills (of one symbol when given). */
  fillsOf(ledger: SimLedger, symbol?: string): SimFill[] {
    return symbol === undefined ? ledger.fills : ledger.fills.filter((f) => f.symbol === symbol);
  }

  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void {
    this.matcher.onBook(truth, delta, ts);
  }

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    this.matcher.onTrade(truth, trade);
  }

  // ------------------------------------------------------------------ ExecutionReports (the matcher)

  accepted(): void {}

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
    const fill = ledger.bookFill(o, truth.instrument, false, {
      id: this.nextTradeId++,
      price,
      size,
      fee,
      feeCurrency,
      maker,
      timeMs: Math.floor(ts / 1000),
    });
    this.counters.fillsMade++;
    this.push(o, fill, this.options.streamMessage ? this.faults.takeFillCopies() : 1);
    if (o.status === 'FILLED') this.push(o, undefined, 1);
  }

  canceled(orderId: number): void {
    const o = this.orders.get(orderId);
    if (!o) return;
    // IOC / market remainders expire; only a requested cancel is CANCELED.
    o.status = this.cancelRequested.delete(orderId) ? 'CANCELED' : 'EXPIRED';
    if (o.status === 'CANCELED') this.counters.canceled++;
    this.finish(o);
  }

  expired(orderId: number): void {
    const o = this.orders.get(orderId);
    if (!o) return;
    o.status = 'EXPIRED';
    this.finish(o);
  }

  rejected(orderId: number, reason: RejectReason): void {
    this.lastReject = reason;
    const o = this.orders.get(orderId);
    if (!o) return;
    o.status = 'REJECTED';
    this.finish(o);
  }

  amended(): void {}

  requestRejected(): void {}

  // ------------------------------------------------------------------ balances

  private finish(o: SimOrder): void {
    this.ledgers.get(o.apiKey)?.release(o, o.reserved);
    o.updateTime = this.serverMs();
    this.push(o, undefined, 1);
  }

  /**
   * `o`'s event to its account's streams, written now (the order as it stands, or as `asStatus`
   * says: the acceptance of an order its first matching already moved on), sent now or, while it
   * is being placed, once accepted.
   */
  private push(o: SimOrder, fill: SimFill | undefined, copies: number, asStatus?: SimOrder['status']): void {
    const format = this.options.streamMessage;
    if (!format) return;
    const view: SimOrder = asStatus ? { ...o, status: asStatus, filled: 0, cumQuote: 0 } : { ...o };
    const message = format(view, fill);
    const send = (): void => this.streams.push(o.apiKey, message, copies);
    if (this.placing) this.placing.push(send);
    else send();
  }
}

/** An order's average fill price in price units (cumQuote is in 1e-8 quote units); 0 before a fill. */
export function averagePrice(o: SimOrder, inst: Instrument): number {
  if (o.filled === 0) return 0;
  return Math.round((o.cumQuote * 10 ** (inst.priceScale + inst.sizeScale - BALANCE_SCALE)) / o.filled);
}
