/**
 * The pre-trade risk gate: every submit and amend passes here, and only here is a `CheckedOrder` /
 * `CheckedAmend` made — the gate claims the mint once, at load.
 *
 * Checks, in order; the first refusal wins and is counted in `denials` by reason:
 *   1. instrument known                 unknown_instrument
 *   2. trading state                    trading_halted, reducing_only
 *   3. loss limits (last PnL sample)    daily_loss, drawdown — growing orders only
 *   4. book trusted and priced          book_not_trusted (the book is required, never optional)
 *   5. instrument filters               invalid_price, invalid_size, tick, lot, min_size, min_notional
 *   6. order size                       max_order_size (tighter for market orders)
 *   7. worst-case position              max_position — growing orders only
 *   8. fat finger                       fat_finger (limit orders; tighter for post-only)
 *   9. concentration / correlation      concentration — orders raising their instrument's exposure
 *  10. margin (when configured)         insufficient_margin — growing orders: worst-case exposure
 *                                       within equity × maxLeverage (checks/margin-check.ts)
 *  11. order rate                       order_rate — last, so only admitted orders use the rate
 * Every limit admits the value exactly at it and refuses one unit (or any amount) over it.
 *
 * Design: pure and synchronous; a check allocates nothing but the Checked wrapper. A refusal is
 * the gate's one reused `RiskRefusal` (read it before the next check). Params are resolved whole
 * (resolved-limits.ts) and swapped with one assignment, so a check sees either the old limits or
 * the new ones, never a mix. Times are event time in µs from the clock the caller gives.
 */
import type { Instrument } from '../market/instrument.ts';
import { REJECT_REASONS, type RejectReason } from '../strategy/reject-reason.ts';
import type { Clock } from '../time/clock.ts';
import { refusedByBookTrust } from './checks/book-trust-check.ts';
import { ConcentrationCheck } from './checks/concentration-check.ts';
import { refusedByFatFinger } from './checks/fat-finger-check.ts';
import { refusedByInstrumentFilters } from './checks/instrument-filters-check.ts';
import { refusedByLossLimits } from './checks/loss-limits-check.ts';
import { type MarginLimits, refusedByMargin } from './checks/margin-check.ts';
import { OrderRateWindow } from './checks/order-rate.ts';
import { refusedByOrderSize } from './checks/order-size-check.ts';
import { OrderUnderCheck } from './checks/order-under-check.ts';
import { refusedByPosition } from './checks/position-check.ts';
import { refusedByTradingState } from './checks/trading-state-check.ts';
import { type BreakerAction, CircuitBreaker } from './circuit-breaker.ts';
import { DailyLoss } from './loss/daily-loss.ts';
import { RollingDrawdown } from './loss/rolling-drawdown.ts';
import {
  type AmendRequest,
  type CheckedAmend,
  type CheckedOrder,
  claimCheckedMint,
  type OrderRequest,
} from './order-check.ts';
import { type LimitProblems, type ResolvedLimits, resolveLimits } from './resolved-limits.ts';
import type { RiskAccount } from './risk-account.ts';
import type { RiskParams } from './risk-params.ts';
import { RiskRefusal } from './risk-refusal.ts';
import type { TradingState } from './trading-state.ts';

const mint = claimCheckedMint();
if (mint === undefined) throw new Error('risk gate: the CheckedOrder mint was claimed by another module');
const MINT = mint;

/** The part of the Clock the gate reads: event time in µs (replay time in a backtest). */
export type EventClock = Pick<Clock, 'nowMicros'>;

export class RiskGate {
  readonly breaker: CircuitBreaker;
  /** Refusals so far, by reason. */
  readonly denials: Readonly<Record<RejectReason, number>>;
  /** PnL samples ignored because they were not finite numbers. */
  badPnlSamples = 0;

  readonly #instruments: readonly Instrument[];
  readonly #clock: EventClock;
  #limits: ResolvedLimits;
  readonly #counts: Record<RejectReason, number>;
  readonly #refusal = new RiskRefusal();
  readonly #order = new OrderUnderCheck();
  readonly #rate: OrderRateWindow;
  readonly #concentration: ConcentrationCheck;
  readonly #daily = new DailyLoss();
  readonly #drawdown: RollingDrawdown;
  #lastPnl = 0;
  #lastPnlAt = Number.NaN;
  readonly #margin: MarginLimits | undefined;

  /**
   * Throws when the params do not fit the instruments (a start-up error); swaps return problems
   * instead. `margin`: the venue-style margin check (the backtest's simulated account has one).
   */
  constructor(
    instruments: readonly Instrument[],
    params: RiskParams,
    clock: EventClock,
    margin?: MarginLimits,
  ) {
    this.#margin = margin !== undefined && Number.isFinite(margin.maxLeverage) ? margin : undefined;
    const resolved = resolveLimits(params, instruments);
    if ('problems' in resolved) throw new Error(`risk params: ${resolved.problems.join('; ')}`);
    this.#instruments = instruments;
    this.#clock = clock;
    this.#limits = resolved;
    this.#counts = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
    this.denials = this.#counts;
    this.#rate = new OrderRateWindow(resolved.perMinute);
    this.#concentration = new ConcentrationCheck(instruments);
    this.#drawdown = new RollingDrawdown(resolved.drawdownWindowMicros);
    this.breaker = new CircuitBreaker(instruments.length, resolved.staleBooksHaltMicros);
  }

  get params(): RiskParams {
    return this.#limits.params;
  }

  get limits(): ResolvedLimits {
    return this.#limits;
  }

  get state(): TradingState {
    return this.breaker.state;
  }

  /** ACTIVE ⇄ REDUCING (HALTED is left only through `breaker.reset`); false when refused. */
  setState(state: 'ACTIVE' | 'REDUCING', reason: string): boolean {
    return this.breaker.setState(state, reason, this.#clock.nowMicros());
  }

  /** The day's loss and the rolling drawdown as of the last PnL sample (limits' currency). */
  get dailyLoss(): number {
    return this.#daily.loss;
  }
  get drawdown(): number {
    return this.#drawdown.drawdown;
  }

  /**
   * Replace the params: resolved whole first, then swapped in one step. On problems nothing
   * changes and the problems are returned; an empty list means the new params are in force.
   */
  swapParams(params: RiskParams): readonly string[] {
    const resolved = resolveLimits(params, this.#instruments);
    if ('problems' in resolved) return (resolved as LimitProblems).problems;
    const old = this.#limits;
    if (resolved.perMinute !== old.perMinute) this.#rate.resize(resolved.perMinute);
    if (resolved.drawdownWindowMicros !== old.drawdownWindowMicros) {
      const now = Number.isNaN(this.#lastPnlAt) ? this.#clock.nowMicros() : this.#lastPnlAt;
      this.#drawdown.resize(resolved.drawdownWindowMicros, now, this.#lastPnl);
    }
    this.breaker.setStaleLimit(resolved.staleBooksHaltMicros);
    this.#limits = resolved;
    return [];
  }

  checkOrder(request: OrderRequest, account: RiskAccount): CheckedOrder | RiskRefusal {
    const o = this.#order;
    o.isAmend = false;
    o.isMarket = request.type === 'market';
    o.postOnly = request.postOnly;
    o.price = o.isMarket ? Number.NaN : request.price;
    o.size = request.size;
    o.added = request.size;
    if (this.#refused(request.instrument, request.side, account)) return this.#refusal;
    this.#rate.record(this.#clock.nowMicros());
    return MINT.order(request);
  }

  /**
   * Check an amend to a new price and total size; `previousSize` is the order's size before it
   * (already counted in the account's pending size), `postOnly` the order's flag.
   */
  checkAmend(
    request: AmendRequest,
    previousSize: number,
    account: RiskAccount,
    postOnly = false,
  ): CheckedAmend | RiskRefusal {
    const o = this.#order;
    o.isAmend = true;
    o.isMarket = false;
    o.postOnly = postOnly;
    o.price = request.price;
    o.size = request.size;
    o.added = Number.isSafeInteger(previousSize) ? request.size - previousSize : request.size;
    if (this.#refused(request.instrument, request.side, account)) return this.#refusal;
    this.#rate.record(this.#clock.nowMicros());
    return MINT.amend(request);
  }

  /**
   * Feed event-time PnL (realized + unrealized, limits' currency). Returns the breaker's action
   * when the day's loss or the rolling drawdown goes past its limit, else null.
   */
  onPnl(now: number, pnl: number): BreakerAction | null {
    if (!Number.isFinite(pnl) || !Number.isFinite(now)) {
      this.badPnlSamples++;
      return null;
    }
    this.#lastPnl = pnl;
    this.#lastPnlAt = now;
    this.#daily.update(now, pnl);
    this.#drawdown.update(now, pnl);
    const limits = this.#limits;
    if (this.#daily.loss > limits.dailyMaxLoss)
      return this.breaker.trip(
        'daily_loss',
        `loss=${this.#daily.loss} limit=${limits.dailyMaxLoss} ${limits.currency}`,
        now,
      );
    if (this.#drawdown.drawdown > limits.drawdownMaxLoss)
      return this.breaker.trip(
        'drawdown',
        `loss=${this.#drawdown.drawdown} limit=${limits.drawdownMaxLoss} ${limits.currency} in ${limits.params.drawdown.windowMinutes} min`,
        now,
      );
    return null;
  }

  /** Fill the order under check from the account and run the pipeline; true when refused. */
  #refused(instrument: number, side: OrderRequest['side'], account: RiskAccount): boolean {
    const o = this.#order;
    const out = this.#refusal;
    const limits = this.#limits;
    o.instrument = instrument;
    o.side = side;
    o.spec = this.#instruments[instrument];
    o.limits = limits.instruments[instrument];
    if (o.spec === undefined || o.limits === undefined || !Number.isInteger(instrument))
      return out.set('unknown_instrument', 'instrument', instrument, Number.NaN) && this.#count();
    o.position = account.position(instrument);
    o.pendingSameSide = account.pendingSize(instrument, side);
    o.pendingOtherSide = account.pendingSize(instrument, side === 'buy' ? 'sell' : 'buy');
    o.mid = account.mid(instrument);
    o.settle();
    // A position the account cannot state exactly cannot be bounded: refuse rather than guess.
    if (
      !Number.isSafeInteger(o.position) ||
      !Number.isSafeInteger(o.pendingSameSide) ||
      !Number.isSafeInteger(o.pendingOtherSide)
    )
      return (
        out.set('max_position', 'position', o.position, o.limits.maxPosition, 'position unknown') &&
        this.#count()
      );
    if (
      refusedByTradingState(this.breaker.state, o, out) ||
      refusedByLossLimits(
        this.#daily.loss,
        limits.dailyMaxLoss,
        this.#drawdown.drawdown,
        limits.drawdownMaxLoss,
        o,
        out,
      ) ||
      refusedByBookTrust(account.bookTrust(instrument), o, out) ||
      refusedByInstrumentFilters(o, out) ||
      refusedByOrderSize(o, out) ||
      refusedByPosition(o, out) ||
      refusedByFatFinger(o, out) ||
      this.#concentration.refuses(o, account, limits, out) ||
      (this.#margin !== undefined &&
        refusedByMargin(o, this.#margin.initialCapital + account.pnl(), this.#margin.maxLeverage, out)) ||
      this.#rate.refuses(this.#clock.nowMicros(), limits.perSecond, limits.perMinute, out)
    )
      return this.#count();
    return false;
  }

  /** Count the refusal just written; true. */
  #count(): true {
    this.#counts[this.#refusal.reason]++;
    return true;
  }
}
