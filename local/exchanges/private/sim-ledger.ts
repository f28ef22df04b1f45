/**
 * One simulated account's books: orders, fills, balances and (USD-M) positions. Amounts are integer
 * units of 1e-8 (Binance's balance precision), so balances stay exact; wire strings are formatted
 * from them.
 */

import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import type { LocalAccount } from './local-accounts.ts';

export const BALANCE_SCALE = 8;

export interface SimOrder {
  readonly orderId: number;
  readonly apiKey: string;
  readonly symbol: string;
  clientOrderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: string;
  readonly timeInForce: string;
  readonly reduceOnly: boolean;
  price: number;
  size: number;
  filled: number;
  /** Quote spent/received so far, 1e-8 units. */
  cumQuote: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
  readonly time: number;
  updateTime: number;
  /** Spot: what the open order holds back (asset, 1e-8 units left). */
  reservedAsset: string;
  reserved: number;
}

export interface SimFill {
  readonly id: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: number;
  readonly size: number;
  readonly quote: number;
  readonly commission: number;
  readonly commissionAsset: string;
  readonly maker: boolean;
  readonly time: number;
}

/** A fill as the matcher reports it; `fee` is in quote currency, as the fee model computes it. */
export interface FillInput {
  readonly id: number;
  /** Price units. */
  readonly price: number;
  /** Size units. */
  readonly size: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly maker: boolean;
  readonly timeMs: number;
}

export interface Balance {
  free: number;
  locked: number;
}

export class SimLedger {
  readonly orders = new Map<number, SimOrder>();
  readonly fills: SimFill[] = [];
  readonly balances = new Map<string, Balance>();
  /** USD-M net position per symbol, size units, and its average entry price (price units). */
  readonly positions = new Map<string, { size: number; entry: number }>();
  /** USD-M listen key of this account's private stream. */
  listenKey = '';

  constructor(readonly account: LocalAccount) {
    for (const [asset, amount] of Object.entries(account.balances)) {
      this.balances.set(asset, { free: parseDecimal(amount, BALANCE_SCALE), locked: 0 });
    }
  }

  balance(asset: string): Balance {
    let b = this.balances.get(asset);
    if (!b) {
      b = { free: 0, locked: 0 };
      this.balances.set(asset, b);
    }
    return b;
  }

  /** Hold `amount` (1e-8 units) of `asset` for the open order `o`. */
  lock(o: SimOrder, asset: string, amount: number): void {
    const b = this.balance(asset);
    b.free -= amount;
    b.locked += amount;
    o.reservedAsset = asset;
    o.reserved = amount;
  }

  /**
   * Spot: check that the account can pay for `o` at `refPrice` (BUY: its quote value; SELL: its
   * size in base) and, when `hold` (a resting order), lock that amount. False when funds are short
   * or a BUY has no price to value it at.
   */
  reserveSpot(o: SimOrder, refPrice: number, inst: Instrument, hold: boolean): boolean {
    const { base, quote, priceScale, sizeScale } = inst;
    if (o.side === 'BUY') {
      if (!Number.isFinite(refPrice)) return false;
      const need = quoteUnits(refPrice, priceScale, o.size, sizeScale);
      if (this.balance(quote).free < need) return false;
      if (hold) this.lock(o, quote, need);
    } else {
      const need = Math.round(o.size * 10 ** (BALANCE_SCALE - sizeScale));
      if (this.balance(base).free < need) return false;
      if (hold) this.lock(o, base, need);
    }
    return true;
  }

  /** Give back `amount` of what `o` holds (its whole hold when it finishes). */
  release(o: SimOrder, amount: number): void {
    if (amount <= 0 || !o.reservedAsset) return;
    const b = this.balance(o.reservedAsset);
    b.free += amount;
    b.locked -= amount;
    o.reserved -= amount;
  }

  /**
   * Books a matcher fill of `o`: settles it (spot: the hold for that size comes back, base and quote
   * move; perpetual: see settlePerpFill), then the order's progress, status and update time, the fill
   * in the history and, once the order is filled, the rest of its hold.
   */
  bookFill(o: SimOrder, inst: Instrument, perpetual: boolean, input: FillInput): SimFill {
    const { base, quote, priceScale, sizeScale } = inst;
    const { price, size } = input;
    const quoteAmount = quoteUnits(price, priceScale, size, sizeScale);
    const feeUnits = Math.round(input.fee * 10 ** BALANCE_SCALE);
    if (perpetual) {
      const signed = o.side === 'BUY' ? size : -size;
      this.settlePerpFill(o.symbol, signed, price, feeUnits, quote, priceScale, sizeScale);
    } else {
      const baseUnits = Math.round(size * 10 ** (BALANCE_SCALE - sizeScale));
      const held = o.reservedAsset === quote ? quoteUnits(o.price, priceScale, size, sizeScale) : baseUnits;
      this.release(o, Math.min(o.reserved, held));
      const baseBal = this.balance(base);
      const quoteBal = this.balance(quote);
      if (o.side === 'BUY') {
        baseBal.free += baseUnits;
        quoteBal.free -= quoteAmount + feeUnits;
      } else {
        baseBal.free -= baseUnits;
        quoteBal.free += quoteAmount - feeUnits;
      }
    }
    o.filled += size;
    o.cumQuote += quoteAmount;
    o.status = o.filled >= o.size ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = input.timeMs;
    const fill: SimFill = {
      id: input.id,
      orderId: o.orderId,
      symbol: o.symbol,
      side: o.side,
      price,
      size,
      quote: quoteAmount,
      commission: feeUnits,
      commissionAsset: input.feeCurrency,
      maker: input.maker,
      time: input.timeMs,
    };
    this.fills.push(fill);
    if (o.status === 'FILLED') this.release(o, o.reserved);
    return fill;
  }

  /**
   * A perpetual fill of `signedSize` (negative: sell) at `price`: the fee leaves the `quote` wallet,
   * closing size realizes PnL into it, the net position and its average entry move.
   */
  settlePerpFill(
    symbol: string,
    signedSize: number,
    price: number,
    feeUnits: number,
    quote: string,
    priceScale: number,
    sizeScale: number,
  ): void {
    const pos = this.positions.get(symbol) ?? { size: 0, entry: 0 };
    const wallet = this.balance(quote);
    wallet.free -= feeUnits;
    if (pos.size === 0 || Math.sign(pos.size) === Math.sign(signedSize)) {
      const total = pos.size + signedSize;
      pos.entry = (pos.entry * Math.abs(pos.size) + price * Math.abs(signedSize)) / Math.abs(total);
      pos.size = total;
    } else {
      const closed = Math.min(Math.abs(pos.size), Math.abs(signedSize));
      wallet.free += quoteUnits(price - pos.entry, priceScale, closed, sizeScale) * Math.sign(pos.size);
      const rest = pos.size + signedSize;
      if (rest !== 0 && Math.sign(rest) !== Math.sign(pos.size)) pos.entry = price;
      pos.size = rest;
      if (rest === 0) pos.entry = 0;
    }
    this.positions.set(symbol, pos);
  }

  openOrders(symbol?: string): SimOrder[] {
    const out: SimOrder[] = [];
    for (const o of this.orders.values()) {
      if (
        (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') &&
        (symbol === undefined || o.symbol === symbol)
      )
        out.push(o);
    }
    return out;
  }

  byClientId(symbol: string, clientOrderId: string): SimOrder | undefined {
    let found: SimOrder | undefined;
    for (const o of this.orders.values())
      if (o.symbol === symbol && o.clientOrderId === clientOrderId) found = o;
    return found;
  }
}

export function formatAmount(units: number): string {
  return formatDecimalTrimmed(Math.round(units), BALANCE_SCALE);
}

/** Quote value of `size` at `price` in 1e-8 units. */
export function quoteUnits(price: number, priceScale: number, size: number, sizeScale: number): number {
  const shift = BALANCE_SCALE - priceScale - sizeScale;
  return Math.round(shift >= 0 ? price * size * 10 ** shift : (price * size) / 10 ** -shift);
}
