/**
 * A synthetic market for load tests: N symbols, each a random-walk book around a moving centre
 * price, with size changes, cancels, centre moves and trades that take liquidity from the touch. All
 * randomness comes from a seeded PRNG (core/sim/random.ts): the same seed gives the same market.
 *
 * Model, per symbol, in integer ticks around a centre c: bids live at c−1 … c−depth, asks at
 * c+1 … c+depth, so the book is never crossed. One step is one of
 *   - trade (probability `tradeRatio`): an aggressor takes part or all of the best opposite level;
 *   - move (10%): c moves one tick; the level now at c and the one beyond the far end are removed,
 *     and a new level may appear on the side that grew;
 *   - update (the rest): a level near the touch (quadratic bias) gets a new size, or is cancelled.
 * Each step is one truth delta (one book message on every venue) plus, for trades, one trade.
 * `messagesPerSecond` steps per second in total are spread over the symbols at random.
 */
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { type Instrument, makeInstrument } from '../../../core/market/instrument.ts';
import { parseVenueSymbol, toVenueSymbol } from '../../../core/market/symbols.ts';
import { type Random, seededRandom } from '../../../core/sim/random.ts';
import type { Clock } from '../clock.ts';
import { type BookDelta, emptyDelta } from '../truth/book-delta.ts';
import type { TruthBook } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import type { MarketSource } from './market-source.ts';

export interface SyntheticOptions {
  /** Number of symbols. Default 10. */
  readonly symbols?: number;
  /** Book steps per second over all symbols of this venue. Default 1000. */
  readonly messagesPerSecond?: number;
  /** Price levels per side. Default 20. */
  readonly depth?: number;
  /** Share of steps that are trades. Default 0.1. */
  readonly tradeRatio?: number;
  readonly seed?: number;
  /** Timer period. Default 10 ms. */
  readonly tickMs?: number;
  readonly clock: Clock;
}

const PRICE_SCALE = 2;
const SIZE_SCALE = 4;

/** Wire decimals as the venue pads them (Binance writes 8, Kraken v1 pads prices to 5, sizes to 8). */
function wireDecimals(exchange: ExchangeId): [number, number] {
  if (exchange === 'binance') return [8, 8];
  if (exchange === 'kraken') return [5, 8];
  return [PRICE_SCALE, SIZE_SCALE];
}

/** The synthetic instrument `SYN<n>/USDT` as `exchange` spells it. */
export function syntheticInstrument(exchange: ExchangeId, n: number): Instrument {
  const perp = exchange === 'binance-futures' || exchange === 'bybit';
  const unified = `SYN${n}/USDT${perp ? ':USDT' : ''}`;
  const venueSymbol = toVenueSymbol(exchange, unified);
  const parsed = parseVenueSymbol(exchange, venueSymbol, perp ? 'perp' : 'spot');
  const [wp, ws] = wireDecimals(exchange);
  return makeInstrument({
    exchange,
    venueSymbol,
    symbol: parsed?.symbol ?? unified,
    base: `SYN${n}`,
    quote: 'USDT',
    kind: perp ? 'perp' : 'spot',
    priceScale: PRICE_SCALE,
    sizeScale: SIZE_SCALE,
    tickSize: 1,
    lotSize: 1,
    wirePriceDecimals: wp,
    wireSizeDecimals: ws,
    source: 'config',
  });
}

interface SymbolState {
  readonly truth: TruthBook;
  /** Centre price in ticks. */
  c: number;
}

export class SyntheticSource implements MarketSource {
  private readonly market: VenueMarket;
  private readonly rng: Random;
  private readonly depth: number;
  private readonly rate: number;
  private readonly tradeRatio: number;
  private readonly tickMs: number;
  private readonly clock: Clock;
  private readonly states: SymbolState[] = [];
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private emittedSinceStart = 0;
  private state: 'idle' | 'running' | 'paused' | 'stopped' = 'idle';
  /** Steps made (all time). */
  steps = 0;

  constructor(market: VenueMarket, options: SyntheticOptions) {
    this.market = market;
    this.rng = seededRandom(options.seed ?? 1);
    this.depth = options.depth ?? 20;
    this.rate = options.messagesPerSecond ?? 1000;
    this.tradeRatio = options.tradeRatio ?? 0.1;
    this.tickMs = options.tickMs ?? 10;
    this.clock = options.clock;
    const n = options.symbols ?? 10;
    for (let i = 1; i <= n; i++) {
      const truth = market.addSymbol(syntheticInstrument(market.exchange, i));
      const c = 1000 + Math.floor(this.rng() * 99_000); // 10.00 … 1000.00
      const s: SymbolState = { truth, c };
      const d = emptyDelta();
      for (let k = 1; k <= this.depth; k++) {
        d.bids.push([c - k, this.size()]);
        d.asks.push([c + k, this.size()]);
      }
      market.applyDelta(truth, d);
      this.states.push(s);
    }
  }

  get running(): boolean {
    return this.state === 'running';
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.resumeRunning();
  }

  pause(): void {
    if (this.state !== 'running') return;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.state = 'paused';
  }

  resume(): void {
    if (this.state === 'paused') this.resumeRunning();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.state = 'stopped';
  }

  /** Make `n` steps now (tests, benchmarks that drive the pace themselves). */
  stepMany(n: number): void {
    for (let i = 0; i < n; i++) this.step();
  }

  private resumeRunning(): void {
    this.state = 'running';
    this.startedAt = this.clock();
    this.emittedSinceStart = 0;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  private tick(): void {
    const due = Math.floor(((this.clock() - this.startedAt) / 1e6) * this.rate) - this.emittedSinceStart;
    // Never try to catch up more than a second's worth after a stall of the process.
    const n = Math.min(due, Math.max(1, Math.ceil(this.rate)));
    for (let i = 0; i < n; i++) this.step();
    this.emittedSinceStart += due;
  }

  private size(): number {
    return (1 + Math.floor(this.rng() * 5000)) * 10;
  }

  private step(): void {
    const s = this.states[Math.floor(this.rng() * this.states.length)];
    if (!s) return;
    this.steps++;
    const r = this.rng();
    if (r < this.tradeRatio) this.trade(s);
    else if (r < this.tradeRatio + 0.1) this.move(s);
    else this.update(s);
  }

  private trade(s: SymbolState): void {
    const buy = this.rng() < 0.5;
    const side = buy ? s.truth.book.asks : s.truth.book.bids;
    if (side.count === 0) {
      this.update(s);
      return;
    }
    const price = side.bestPrice();
    const have = side.bestSize();
    const take = Math.min(have, 10 * (1 + Math.floor(this.rng() * 500)));
    this.market.trade(s.truth, price, take, buy ? 'buy' : 'sell');
    const d: BookDelta = emptyDelta();
    (buy ? d.asks : d.bids).push([price, have - take]);
    this.market.applyDelta(s.truth, d);
  }

  private move(s: SymbolState): void {
    const up = this.rng() < 0.5;
    const d: BookDelta = emptyDelta();
    const book = s.truth.book;
    const old = s.c;
    s.c += up ? 1 : -1;
    const c = s.c;
    // The level now sitting at the centre leaves; so does the one past the far end.
    if (up) {
      if (book.asks.sizeAtPrice(c) > 0) d.asks.push([c, 0]);
      if (book.bids.sizeAtPrice(old - this.depth) > 0) d.bids.push([old - this.depth, 0]);
      if (this.rng() < 0.7) d.bids.push([c - 1, this.size()]);
      if (this.rng() < 0.7) d.asks.push([c + this.depth, this.size()]);
    } else {
      if (book.bids.sizeAtPrice(c) > 0) d.bids.push([c, 0]);
      if (book.asks.sizeAtPrice(old + this.depth) > 0) d.asks.push([old + this.depth, 0]);
      if (this.rng() < 0.7) d.asks.push([c + 1, this.size()]);
      if (this.rng() < 0.7) d.bids.push([c - this.depth, this.size()]);
    }
    this.market.applyDelta(s.truth, d);
  }

  private update(s: SymbolState): void {
    // Draw until the step changes something (a cancel of an empty level would not).
    for (;;) {
      const bid = this.rng() < 0.5;
      const u = this.rng();
      const k = 1 + Math.floor(u * u * this.depth);
      const price = bid ? s.c - k : s.c + k;
      const size = this.rng() < 0.2 ? 0 : this.size();
      const side = bid ? s.truth.book.bids : s.truth.book.asks;
      if (size === 0 && side.sizeAtPrice(price) === 0) continue;
      const d: BookDelta = emptyDelta();
      (bid ? d.bids : d.asks).push([price, size]);
      this.market.applyDelta(s.truth, d);
      return;
    }
  }
}
