/**
 * The strategy's side of the two views: its books (built from the tape at RECEIVE time), its orders
 * and position as responses have reported them, and the StrategyContext it is handed. Requests
 * are only recorded here; the engine checks and sends them after the callback (see engine.ts).
 */
import type { Micros, Side } from '../../market/events.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { CheckAccount } from '../../risk/order-check.ts';
import type { SimBook } from '../../sim/book/sim-book.ts';
import type { Random } from '../../sim/random.ts';
import type { BookView } from '../../strategy/book-view.ts';
import type { StrategyContext } from '../../strategy/context.ts';
import type {
  LimitOptions,
  LocalOrderState,
  OrderId,
  OrderType,
  OrderView,
} from '../../strategy/order-types.ts';

export class LocalOrder implements OrderView {
  state: LocalOrderState = 'pending_new';
  /** The exchange acknowledged it (a refused cancel/amend returns it to open, not pending_new). */
  acked = false;
  filled = 0;
  constructor(
    readonly id: OrderId,
    readonly instrument: number,
    readonly side: Side,
    readonly type: OrderType,
    public price: number,
    public size: number,
    readonly postOnly: boolean,
    readonly ioc: boolean,
    readonly submittedTs: Micros,
  ) {}
}

export type Action =
  | {
      readonly type: 'submit';
      readonly id: OrderId;
      readonly instrument: number;
      readonly side: Side;
      readonly orderType: OrderType;
      readonly price: number;
      readonly size: number;
      readonly postOnly: boolean;
      readonly ioc: boolean;
    }
  | { readonly type: 'cancel'; readonly id: OrderId }
  | { readonly type: 'amend'; readonly id: OrderId; readonly price: number; readonly size: number };

export class LocalView implements StrategyContext, CheckAccount {
  clock: Micros = 0;
  readonly positions: Float64Array;
  /** Quote cash change since the start, as reported. */
  cashDelta = 0;
  readonly orders = new Map<OrderId, LocalOrder>();
  readonly open: LocalOrder[][];
  actions: Action[] = [];
  timerInterval = 0;
  timerNext = Number.POSITIVE_INFINITY;
  private nextId = 1;
  private readonly priceUnit: Float64Array;
  private readonly sizeUnit: Float64Array;

  constructor(
    readonly instruments: readonly Instrument[],
    readonly books: readonly SimBook[],
    readonly initialCapital: number,
    private readonly rng: Random,
  ) {
    this.positions = new Float64Array(instruments.length);
    this.open = instruments.map(() => []);
    this.priceUnit = Float64Array.from(instruments, (i) => 10 ** -i.priceScale);
    this.sizeUnit = Float64Array.from(instruments, (i) => 10 ** -i.sizeScale);
  }

  // --- StrategyContext ------------------------------------------------------------------------

  now(): Micros {
    return this.clock;
  }

  instrumentIndex(symbol: string): number {
    return this.instruments.findIndex((i) => i.symbol === symbol || i.venueSymbol === symbol);
  }

  book(instrument: number): BookView {
    return this.books[instrument]!;
  }

  cash(): number {
    return this.cashDelta;
  }

  openOrders(instrument: number): readonly OrderView[] {
    return this.open[instrument] ?? [];
  }

  order(id: OrderId): OrderView | undefined {
    return this.orders.get(id);
  }

  submitLimit(instrument: number, side: Side, price: number, size: number, options?: LimitOptions): OrderId {
    const id = this.nextId++;
    this.actions.push({
      type: 'submit',
      id,
      instrument,
      side,
      orderType: 'limit',
      price,
      size,
      postOnly: options?.postOnly === true,
      ioc: options?.ioc === true,
    });
    return id;
  }

  submitMarket(instrument: number, side: Side, size: number): OrderId {
    const id = this.nextId++;
    this.actions.push({
      type: 'submit',
      id,
      instrument,
      side,
      orderType: 'market',
      price: Number.NaN,
      size,
      postOnly: false,
      ioc: true,
    });
    return id;
  }

  cancel(id: OrderId): void {
    this.actions.push({ type: 'cancel', id });
  }

  amend(id: OrderId, price: number, size: number): void {
    this.actions.push({ type: 'amend', id, price, size });
  }

  cancelAll(instrument?: number): void {
    const lists = instrument === undefined ? this.open : [this.open[instrument] ?? []];
    for (const list of lists) for (const o of list) if (o.state !== 'pending_cancel') this.cancel(o.id);
  }

  setTimer(intervalUs: Micros): void {
    this.timerInterval = intervalUs > 0 ? intervalUs : 0;
    this.timerNext = this.timerInterval > 0 ? this.clock + this.timerInterval : Number.POSITIVE_INFINITY;
  }

  random(): number {
    return this.rng();
  }

  // --- CheckAccount (the local, reported view) --------------------------------------------------

  position(instrument: number): number {
    return this.positions[instrument] ?? 0;
  }

  equity(): number {
    let e = this.initialCapital + this.cashDelta;
    for (let i = 0; i < this.positions.length; i++) {
      const p = this.positions[i]!;
      if (p === 0) continue;
      const mid = this.books[i]!.mid();
      if (!Number.isNaN(mid)) e += p * this.sizeUnit[i]! * mid * this.priceUnit[i]!;
    }
    return e;
  }

  openSize(instrument: number, side: Side): number {
    let s = 0;
    for (const o of this.open[instrument] ?? []) if (o.side === side) s += o.size - o.filled;
    return s;
  }

  // --- bookkeeping used by the engine ---------------------------------------------------------

  addOpen(o: LocalOrder): void {
    this.orders.set(o.id, o);
    this.open[o.instrument]!.push(o);
  }

  removeOpen(o: LocalOrder): void {
    this.orders.delete(o.id);
    const list = this.open[o.instrument]!;
    const j = list.indexOf(o);
    if (j >= 0) list.splice(j, 1);
  }

  /** A fill reported to us. */
  applyFill(o: LocalOrder, price: number, size: number, fee: number): void {
    o.filled += size;
    const notional = price * this.priceUnit[o.instrument]! * size * this.sizeUnit[o.instrument]!;
    if (o.side === 'buy') {
      this.positions[o.instrument] = this.positions[o.instrument]! + size;
      this.cashDelta -= notional;
    } else {
      this.positions[o.instrument] = this.positions[o.instrument]! - size;
      this.cashDelta += notional;
    }
    this.cashDelta -= fee;
  }
}
