/**
 * Cash and positions, in one quote currency. Linear accounting serves spot and linear (USDT/USD
 * margined) perpetuals alike: a buy pays price × size, a sell receives it, equity = cash + Σ
 * position × mark. (Inverse contracts, and converting between quote currencies, are not modelled:
 * a run mixing BTC/USDT and BTC/USD adds the two quotes as if equal.)
 */
import type { Instrument } from '../market/instrument.ts';

export class Account {
  /** Quote currency, starting at the initial capital. */
  cash: number;
  /** Net position per instrument, size units. */
  readonly position: Float64Array;
  fees = 0;
  /** Funding paid (positive) or received (negative). */
  funding = 0;
  /** Notional traded, quote. */
  turnover = 0;
  /** 10^scale per instrument: units / div is the correctly rounded decimal value. */
  private readonly priceDiv: Float64Array;
  private readonly sizeDiv: Float64Array;

  constructor(
    readonly instruments: readonly Instrument[],
    readonly initialCapital: number,
  ) {
    this.cash = initialCapital;
    this.position = new Float64Array(instruments.length);
    this.priceDiv = Float64Array.from(instruments, (i) => 10 ** i.priceScale);
    this.sizeDiv = Float64Array.from(instruments, (i) => 10 ** i.sizeScale);
  }

  /** Price units → quote currency per base unit. */
  price(inst: number, units: number): number {
    return units / this.priceDiv[inst]!;
  }

  /** Size units → base currency. */
  size(inst: number, units: number): number {
    return units / this.sizeDiv[inst]!;
  }

  /** Apply a fill; returns the fee in quote currency (negative: rebate). */
  fill(inst: number, isBuy: boolean, price: number, size: number, feeRate: number): number {
    const notional = this.price(inst, price) * this.size(inst, size);
    const fee = notional * feeRate;
    this.cash += isBuy ? -notional : notional;
    this.cash -= fee;
    this.fees += fee;
    this.turnover += notional;
    this.position[inst] = this.position[inst]! + (isBuy ? size : -size);
    return fee;
  }

  /** Pay funding: `rate` per interval on the position's value at `markUnits`; longs pay a positive rate. */
  payFunding(inst: number, rate: number, markUnits: number): number {
    const value = this.size(inst, this.position[inst]!) * this.price(inst, markUnits);
    const paid = value * rate;
    this.cash -= paid;
    this.funding += paid;
    return paid;
  }

  /** Cash + positions at `markUnits(inst)`; instruments without a mark count at 0. */
  equity(markUnits: (inst: number) => number): number {
    let e = this.cash;
    for (let i = 0; i < this.position.length; i++) {
      const p = this.position[i]!;
      if (p !== 0) {
        const m = markUnits(i);
        if (!Number.isNaN(m)) e += this.size(i, p) * this.price(i, m);
      }
    }
    return e;
  }
}
