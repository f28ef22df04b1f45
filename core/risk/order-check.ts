/**
 * Pre-trade checks, and the only way to make an order a venue will take.
 *
 * `CheckedOrder` / `CheckedAmend` carry an ES private field, which makes them nominal types: no
 * object literal or other class satisfies them, and their constructor needs a module-private token.
 * The simulated exchange (and the live execution adapters) accept only these types, so an order
 * that skipped the checks cannot be sent — by type, and at run time. Two things make them: the risk
 * gate (risk-gate.ts), the one path of every strategy order in backtest, paper and live trading,
 * which claims the minting functions once at load through `claimCheckedMint` — a second claim gets
 * nothing; and `checkOrder` / `checkAmend` below: a venue's own acceptance checks, for orders that
 * reach a simulated venue from outside the kernel (the local exchanges' private API, test harnesses).
 *
 * Those checks (each refusal has a typed reason): the book the order is priced from is trusted (when
 * the caller gives it), positive integer price/size, tick and lot multiples, minimum size, minimum
 * notional, and margin: the exposure the order could add (position plus open orders on its side
 * plus this order, at its price) must stay within equity × maxLeverage. Orders that reduce exposure
 * always pass the margin check. Cancels need no check. (An amend's min_notional/tick/lot are
 * checked as for a new order.)
 */
import type { BookTrust, Side } from '../market/events.ts';
import type { Instrument } from '../market/instrument.ts';
import type { OrderId, OrderType } from '../strategy/order-types.ts';
import type { RejectReason } from '../strategy/reject-reason.ts';

export interface OrderRequest {
  readonly id: OrderId;
  readonly instrument: number;
  readonly side: Side;
  readonly type: OrderType;
  /** Limit price units (NaN for market). */
  readonly price: number;
  readonly size: number;
  readonly postOnly: boolean;
  readonly ioc: boolean;
}

/** What the checks need to know about the account (the local view: what fills reported so far). */
export interface CheckAccount {
  /** Equity in quote currency (cash + positions at mark). */
  equity(): number;
  /** Net position, size units. */
  position(instrument: number): number;
  /** Unfilled size of open orders on one side, size units. */
  openSize(instrument: number, side: Side): number;
}

/** The market-data book an order is priced from (a SymbolBook satisfies it). */
export interface PricingBook {
  readonly trust: BookTrust;
}

export interface CheckLimits {
  /** Gross exposure allowed, as a multiple of equity. Infinity disables the margin check. */
  readonly maxLeverage: number;
}

const TOKEN: unique symbol = Symbol('checked');

export class CheckedOrder {
  readonly #checked = true;
  readonly request: OrderRequest;
  constructor(token: typeof TOKEN, request: OrderRequest) {
    if (token !== TOKEN) throw new Error('orders are made by the pre-trade checks only');
    this.request = request;
  }
  /** True for every instance: the brand, readable. */
  get checked(): boolean {
    return this.#checked;
  }
}

export interface AmendRequest {
  readonly id: OrderId;
  readonly instrument: number;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
}

export class CheckedAmend {
  readonly #checked = true;
  readonly request: AmendRequest;
  constructor(token: typeof TOKEN, request: AmendRequest) {
    if (token !== TOKEN) throw new Error('amends are made by the pre-trade checks only');
    this.request = request;
  }
  get checked(): boolean {
    return this.#checked;
  }
}

/** Makes the nominal types; handed out once (see the module comment). */
export interface CheckedMint {
  order(request: OrderRequest): CheckedOrder;
  amend(request: AmendRequest): CheckedAmend;
}

let mintClaimed = false;

/** The minting functions for the first caller (the risk gate, at load); undefined for any later one. */
export function claimCheckedMint(): CheckedMint | undefined {
  if (mintClaimed) return undefined;
  mintClaimed = true;
  return {
    order: (request) => new CheckedOrder(TOKEN, request),
    amend: (request) => new CheckedAmend(TOKEN, request),
  };
}

/** Quote-currency value of `size` units at `price` units. */
export function notional(instrument: Instrument, price: number, size: number): number {
  return price * size * 10 ** -(instrument.priceScale + instrument.sizeScale);
}

/**
 * The instrument's own rules: positive integer price (limit orders) and size, tick and lot
 * multiples, minimum size, minimum notional (skipped when `price` is NaN). Null when all pass.
 */
export function instrumentFilters(
  instrument: Instrument,
  price: number,
  size: number,
  isMarket: boolean,
): RejectReason | null {
  if (!isMarket && !(Number.isSafeInteger(price) && price > 0)) return 'invalid_price';
  if (!(Number.isSafeInteger(size) && size > 0)) return 'invalid_size';
  if (!isMarket && price % instrument.tickSize !== 0) return 'tick';
  if (size % instrument.lotSize !== 0) return 'lot';
  if (size < instrument.minSize) return 'min_size';
  if (!Number.isNaN(price) && notional(instrument, price, size) < instrument.minNotional)
    return 'min_notional';
  return null;
}

/**
 * Check a new order. `refPrice` prices market orders for the notional and margin checks (the best
 * opposite price we see; NaN skips those checks and leaves it to the venue). `book`: the book the
 * order was priced from; anything but 'trusted' refuses the order.
 */
export function checkOrder(
  request: OrderRequest,
  instrument: Instrument | undefined,
  account: CheckAccount,
  limits: CheckLimits,
  refPrice: number = request.price,
  book?: PricingBook,
): CheckedOrder | RejectReason {
  if (!instrument) return 'unknown_instrument';
  if (book !== undefined && book.trust !== 'trusted') return 'book_not_trusted';
  const isMarket = request.type === 'market';
  const price = isMarket ? refPrice : request.price;
  const bad = instrumentFilters(instrument, price, request.size, isMarket);
  if (bad) return bad;
  if (Number.isFinite(limits.maxLeverage) && !Number.isNaN(price)) {
    const pos = account.position(request.instrument);
    const sign = request.side === 'buy' ? 1 : -1;
    const worst = pos + sign * (account.openSize(request.instrument, request.side) + request.size);
    // Only orders that can take exposure beyond the current position are limited.
    if (Math.abs(worst) > Math.abs(pos)) {
      const exposure = notional(instrument, price, Math.abs(worst));
      if (exposure > Math.max(0, account.equity()) * limits.maxLeverage) return 'insufficient_margin';
    }
  }
  return new CheckedOrder(TOKEN, request);
}

/**
 * Check an amend (new price and total size). A size increase is margin-checked like a new order for
 * the extra size; a decrease or a price change alone is not (it adds no exposure).
 */
export function checkAmend(
  request: AmendRequest,
  instrument: Instrument | undefined,
  account: CheckAccount,
  limits: CheckLimits,
  previousSize: number,
): CheckedAmend | RejectReason {
  if (!instrument) return 'unknown_instrument';
  const bad = instrumentFilters(instrument, request.price, request.size, false);
  if (bad) return bad;
  const extra = request.size - previousSize;
  if (extra > 0 && Number.isFinite(limits.maxLeverage)) {
    const pos = account.position(request.instrument);
    const sign = request.side === 'buy' ? 1 : -1;
    const worst = pos + sign * (account.openSize(request.instrument, request.side) + extra);
    if (Math.abs(worst) > Math.abs(pos)) {
      const exposure = notional(instrument, request.price, Math.abs(worst));
      if (exposure > Math.max(0, account.equity()) * limits.maxLeverage) return 'insufficient_margin';
    }
  }
  return new CheckedAmend(TOKEN, request);
}
