/**
 * The truth of one simulated venue: a TruthBook per venue symbol. Sources (replay, synthetic) change
 * it through `applyDelta` and `trade`; the venue server listens and encodes wire messages from each
 * change, so sequence numbers, checksums and snapshots are consistent with the truth by construction.
 */
import type { L2Book } from '../../../core/book/l2-book.ts';
import type { Micros, PriceLevel } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import type { Clock } from '../clock.ts';
import { applyDelta, type BookDelta, deltaSize, diffBooks } from './book-delta.ts';
import { sessionFirstId } from './session-ids.ts';
import { TruthBook, type TruthTrade } from './truth-book.ts';

export interface MarketListener {
  /** `delta` has just been applied to `truth`; `ts` is the simulator time of the change. */
  onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void;
  onTrade(truth: TruthBook, trade: TruthTrade): void;
}

/** The true book as a test compares it: top levels, the sequence they correspond to, exact text. */
export interface TrueBook {
  readonly exchange: ExchangeId;
  readonly venueSymbol: string;
  readonly symbol: string;
  readonly instrument: Instrument;
  /** The venue update id of this state (Binance lastUpdateId, KuCoin sequence). */
  readonly sequence: number;
  /** Best first, integers in the instrument's units. */
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
  /** The same levels as shortest exact decimal strings (compare across instruments of different scale). */
  readonly bidsText: Array<readonly [string, string]>;
  readonly asksText: Array<readonly [string, string]>;
}

export class VenueMarket {
  readonly exchange: ExchangeId;
  private readonly clock: Clock;
  private readonly bySymbol = new Map<string, TruthBook>();
  private readonly listeners: MarketListener[] = [];
  /** Deltas and trades applied (for tests and rates). */
  deltas = 0;
  trades = 0;

  /** Where every symbol's update and trade ids start: after every id of an earlier session. */
  readonly firstId: number;

  constructor(exchange: ExchangeId, clock: Clock, firstId: number = sessionFirstId(clock())) {
    this.exchange = exchange;
    this.clock = clock;
    this.firstId = firstId;
  }

  now(): Micros {
    return this.clock();
  }

  listen(listener: MarketListener): void {
    this.listeners.push(listener);
  }

  /** Add a symbol (once) with its starting book. */
  addSymbol(instrument: Instrument, initial?: L2Book): TruthBook {
    const existing = this.bySymbol.get(instrument.venueSymbol);
    if (existing) return existing;
    const t = new TruthBook(instrument, this.firstId);
    if (initial) applyDelta(t.book, diffBooks(t.book, initial));
    this.bySymbol.set(instrument.venueSymbol, t);
    return t;
  }

  get(venueSymbol: string): TruthBook | undefined {
    return this.bySymbol.get(venueSymbol);
  }

  symbols(): IterableIterator<TruthBook> {
    return this.bySymbol.values();
  }

  get size(): number {
    return this.bySymbol.size;
  }

  /** Change the truth and tell the venue. Empty deltas are ignored (nothing to send). */
  applyDelta(truth: TruthBook, delta: BookDelta): void {
    const n = deltaSize(delta);
    if (n === 0) return;
    applyDelta(truth.book, delta);
    truth.sequence += n;
    this.deltas++;
    const ts = this.clock();
    for (const l of this.listeners) l.onBook(truth, delta, ts);
  }

  /** Turn the book into `target` with one delta (replay loop boundary, resets). */
  resetTo(truth: TruthBook, target: L2Book): void {
    this.applyDelta(truth, diffBooks(truth.book, target));
  }

  trade(truth: TruthBook, price: number, size: number, side: 'buy' | 'sell'): void {
    const trade: TruthTrade = { tradeId: ++truth.tradeId, price, size, side, ts: this.clock() };
    truth.lastTrade = trade;
    this.trades++;
    for (const l of this.listeners) l.onTrade(truth, trade);
  }

  trueBook(venueSymbol: string, depth = Number.POSITIVE_INFINITY): TrueBook | undefined {
    const t = this.bySymbol.get(venueSymbol);
    if (!t) return undefined;
    const { bids, asks } = t.book.snapshot(depth);
    const i = t.instrument;
    const text = (l: PriceLevel): readonly [string, string] => [
      formatDecimalTrimmed(l[0], i.priceScale),
      formatDecimalTrimmed(l[1], i.sizeScale),
    ];
    return {
      exchange: this.exchange,
      venueSymbol,
      symbol: i.symbol,
      instrument: i,
      sequence: t.sequence,
      bids,
      asks,
      bidsText: bids.map(text),
      asksText: asks.map(text),
    };
  }
}
