/**
 * Net position per instrument (netting: one position per instrument), its average entry, realized
 * and unrealized PnL, and fees.
 *
 * Units: `net` is signed size units (exact integers). `avgEntry` is price units as a float (the
 * size-weighted mean of opening fills is rarely a whole tick); NaN when flat. PnL and fees are
 * floats in whole units of the instrument's quote currency: reports and limits, never prices.
 *
 * Rules (NautilusTrader's position.rs):
 * - A fill on the side of the position (or from flat) re-averages the entry.
 * - A fill against it realizes (close − entry) × closed size for a long, (entry − close) × size for
 *   a short; the entry stays.
 * - A fill larger than the position flips it: the closed part is realized, the rest opens at the
 *   fill price.
 * - Realized PnL excludes fees; fees are kept per currency, and `fees(i)` is the quote-currency
 *   part (a rebate is a negative fee). A fee in the base (spot buys on some venues) does not change
 *   `net` here: balances are the account's concern.
 *
 * Fills must come through the order store first (`applyFill` returned 'applied'): the store
 * de-duplicates them; this class counts whatever it is given.
 */
import type { Side } from '../market/events.ts';
import type { Instrument } from '../market/instrument.ts';
import { type Currency, type Money, money } from '../market/money.ts';

/** Signed extreme positions if every pending buy, or every pending sell, filled. */
export interface WorstCase {
  /** net + pending buys (the most long the instrument can get). */
  long: number;
  /** net − pending sells (the most short; negative when short). */
  short: number;
}

export interface CurrencyTotals {
  readonly currency: Currency;
  readonly realized: Money;
  /** Instruments whose mark is NaN are left out and counted in `unmarked`. */
  readonly unrealized: Money;
  /** Fees paid in this currency on instruments quoted in it (fees in other currencies: `feesByCurrency`). */
  readonly fees: Money;
  readonly unmarked: number;
}

export class Positions {
  /** Signed size units per instrument. */
  readonly net: Float64Array;
  /** Price units (float) per instrument; NaN when flat. */
  readonly avgEntry: Float64Array;
  /** Quote currency per instrument, fees excluded. */
  readonly realized: Float64Array;
  /**
   * The quote-currency balance change per instrument: fill notional paid (buys) and received
   * (sells), quote fees and funding. What a strategy's `cash()` reports.
   */
  readonly cashFlow: Float64Array;
  /** Funding paid (positive) or received (negative) per instrument, quote currency. */
  readonly funding: Float64Array;
  /** Fees in the instrument's quote currency. */
  private readonly quoteFees: Float64Array;
  /** Fees in any other currency, per instrument, created on the first such fee. */
  private readonly otherFees: (Map<Currency, number> | undefined)[];
  private readonly priceDiv: Float64Array;
  private readonly sizeDiv: Float64Array;
  private readonly scratch: WorstCase = { long: 0, short: 0 };

  constructor(readonly instruments: readonly Instrument[]) {
    const n = instruments.length;
    this.net = new Float64Array(n);
    this.avgEntry = new Float64Array(n).fill(Number.NaN);
    this.realized = new Float64Array(n);
    this.quoteFees = new Float64Array(n);
    this.cashFlow = new Float64Array(n);
    this.funding = new Float64Array(n);
    this.otherFees = new Array<Map<Currency, number> | undefined>(n).fill(undefined);
    this.priceDiv = Float64Array.from(instruments, (i) => 10 ** i.priceScale);
    this.sizeDiv = Float64Array.from(instruments, (i) => 10 ** i.sizeScale);
  }

  /** Price units × size units → quote currency. */
  private quote(inst: number, priceUnits: number, sizeUnits: number): number {
    return (priceUnits / this.priceDiv[inst]!) * (sizeUnits / this.sizeDiv[inst]!);
  }

  applyFill(inst: number, side: Side, price: number, size: number, fee: number, feeCurrency: Currency): void {
    const net = this.net[inst]!;
    const signed = side === 'buy' ? size : -size;
    const paid = this.quote(inst, price, size);
    this.cashFlow[inst] = this.cashFlow[inst]! + (side === 'buy' ? -paid : paid);
    if (net === 0 || Math.sign(net) === Math.sign(signed)) {
      const held = Math.abs(net);
      this.avgEntry[inst] = net === 0 ? price : (this.avgEntry[inst]! * held + price * size) / (held + size);
      this.net[inst] = net + signed;
    } else {
      const closed = Math.min(size, Math.abs(net));
      const entry = this.avgEntry[inst]!;
      const points = net > 0 ? price - entry : entry - price;
      this.realized[inst] = this.realized[inst]! + this.quote(inst, points, closed);
      const after = net + signed;
      this.net[inst] = after;
      if (after === 0) this.avgEntry[inst] = Number.NaN;
      else if (Math.sign(after) !== Math.sign(net)) this.avgEntry[inst] = price; // flipped through zero
    }
    if (fee !== 0) {
      if (feeCurrency === this.instruments[inst]!.quote) {
        this.quoteFees[inst] = this.quoteFees[inst]! + fee;
        this.cashFlow[inst] = this.cashFlow[inst]! - fee;
      } else {
        let m = this.otherFees[inst];
        if (m === undefined) {
          m = new Map();
          this.otherFees[inst] = m;
        }
        m.set(feeCurrency, (m.get(feeCurrency) ?? 0) + fee);
      }
    }
  }

  /** A funding payment on a perpetual's position (positive: paid), quote currency. */
  applyFunding(inst: number, amount: number): void {
    this.funding[inst] = this.funding[inst]! + amount;
    this.cashFlow[inst] = this.cashFlow[inst]! - amount;
  }

  /** Quote currency, marked at `markUnits` (price units, e.g. the mid); 0 when flat, NaN when the mark is. */
  unrealized(inst: number, markUnits: number): number {
    const net = this.net[inst]!;
    if (net === 0) return 0;
    return this.quote(inst, markUnits - this.avgEntry[inst]!, net);
  }

  /** Fees in the instrument's quote currency. */
  fees(inst: number): number {
    return this.quoteFees[inst]!;
  }

  /** Every fee currency of one instrument, the quote included when non-zero. */
  feesByCurrency(inst: number): Money[] {
    const out: Money[] = [];
    const q = this.quoteFees[inst]!;
    if (q !== 0) out.push(money(q, this.instruments[inst]!.quote));
    const m = this.otherFees[inst];
    if (m !== undefined) for (const [c, v] of m) out.push(money(v, c));
    return out;
  }

  /** Fees of every instrument summed per fee currency (sorted by currency). For reports. */
  feeTotals(): Money[] {
    const acc = new Map<Currency, number>();
    for (let i = 0; i < this.instruments.length; i++) {
      for (const f of this.feesByCurrency(i)) acc.set(f.currency, (acc.get(f.currency) ?? 0) + f.amount);
    }
    return [...acc.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, v]) => money(v, c));
  }

  /** Signed extremes if all pending buys or all pending sells fill; writes into `out` (allocation-free). */
  worstCase(inst: number, pendingBuy: number, pendingSell: number, out: WorstCase = this.scratch): WorstCase {
    const net = this.net[inst]!;
    out.long = net + pendingBuy;
    out.short = net - pendingSell;
    return out;
  }

  /** Realized, unrealized and quote fees summed per quote currency (sorted by currency). For reports. */
  totals(markUnits: (inst: number) => number): CurrencyTotals[] {
    const acc = new Map<Currency, { realized: number; unrealized: number; fees: number; unmarked: number }>();
    for (let i = 0; i < this.instruments.length; i++) {
      const c = this.instruments[i]!.quote;
      let t = acc.get(c);
      if (t === undefined) {
        t = { realized: 0, unrealized: 0, fees: 0, unmarked: 0 };
        acc.set(c, t);
      }
      t.realized += this.realized[i]!;
      t.fees += this.quoteFees[i]!;
      const u = this.unrealized(i, this.net[i] === 0 ? 0 : markUnits(i));
      if (Number.isFinite(u)) t.unrealized += u;
      else t.unmarked++;
    }
    return [...acc.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, t]) => ({
        currency,
        realized: money(t.realized, currency),
        unrealized: money(t.unrealized, currency),
        fees: money(t.fees, currency),
        unmarked: t.unmarked,
      }));
  }
}
