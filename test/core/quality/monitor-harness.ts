/** Drives a QualityMonitor with hand-made books, trades and events, the way FeedCore would. */
import { LevelChanges } from '../../../core/book/level-changes.ts';
import type { L3Action, Micros, Side } from '../../../core/market/events.ts';
import { type Instrument, makeInstrument } from '../../../core/market/instrument.ts';
import { QualityMonitor } from '../../../core/quality/quality-monitor.ts';
import type { ValidationRules } from '../../../core/quality/rules-schema.ts';
import { SymbolBook } from '../../../core/venues/symbol-book.ts';
import { testRules } from './rules-fixture.ts';

/** BTC/USDT on Binance: prices in cents (scale 2), sizes in 1e-8 BTC (scale 8). */
export const BTCUSDT: Instrument = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 8,
});

export const T0: Micros = 1_723_161_255_000_000;
export const SECOND: Micros = 1_000_000;
export const BTC = 100_000_000;

type Level = readonly [price: number, size: number];

export class Harness {
  readonly monitor: QualityMonitor;
  readonly sb: SymbolBook;
  readonly changes = new LevelChanges();
  private tradeId = 1_000;

  constructor(rules: ValidationRules = testRules(), instrument: Instrument = BTCUSDT) {
    this.monitor = new QualityMonitor(rules);
    this.sb = new SymbolBook(instrument);
  }

  get exchange() {
    return this.sb.instrument.exchange;
  }

  get symbol() {
    return this.sb.symbol;
  }

  score(now?: Micros): number | undefined {
    return this.monitor.score(this.exchange, this.symbol, now);
  }

  issues(now?: Micros) {
    return this.monitor.issues(this.exchange, this.symbol, now);
  }

  counts(now?: Micros) {
    return this.monitor.report(this.exchange, this.symbol, now)!.counts;
  }

  /** A snapshot as FeedCore.commitSnapshot delivers it. */
  snapshot(localTs: Micros, bids: Level[], asks: Level[], exchangeTs: Micros = localTs): void {
    this.sb.book.clear();
    this.changes.reset();
    for (const [p, s] of bids) this.write(true, p, s);
    for (const [p, s] of asks) this.write(false, p, s);
    this.sb.counters.snapshots++;
    this.sb.trust = 'trusted';
    this.sb.everTrusted = true;
    this.sb.localTs = localTs;
    this.sb.exchangeTs = exchangeTs;
    this.monitor.onBook(this.sb, this.changes);
  }

  /** An update as FeedCore.commitUpdate delivers it. */
  update(localTs: Micros, bids: Level[] = [], asks: Level[] = [], exchangeTs: Micros = localTs): void {
    this.changes.reset();
    for (const [p, s] of bids) this.write(true, p, s);
    for (const [p, s] of asks) this.write(false, p, s);
    this.sb.localTs = localTs;
    if (exchangeTs > 0) this.sb.exchangeTs = exchangeTs;
    this.monitor.onBook(this.sb, this.changes);
  }

  private write(isBid: boolean, price: number, size: number): void {
    // The monitor must see what a feed let through; a negative size never reaches the book itself.
    if (size >= 0) this.sb.book.set(isBid, price, size);
    this.changes.push(isBid, price, size);
  }

  trade(
    localTs: Micros,
    opts: { id?: string; price?: number; size?: number; side?: Side; exchangeTs?: Micros } = {},
  ): void {
    this.monitor.onTrade({
      type: 'trade',
      exchange: this.exchange,
      symbol: this.symbol,
      exchangeTs: opts.exchangeTs ?? localTs,
      localTs,
      tradeId: opts.id ?? String(this.tradeId++),
      price: opts.price ?? 6_183_763,
      size: opts.size ?? 2_000_000,
      side: opts.side ?? 'buy',
    });
  }

  /** A sequence break as FeedCore.gap reports it: counter first, then book_state stale and resyncing. */
  gap(localTs: Micros, detail = 'U=50093239300 expected ≤ 50093239225'): void {
    this.sb.counters.gaps++;
    for (const state of ['stale', 'resyncing'] as const) {
      this.sb.trust = state;
      this.monitor.onEvent({
        type: 'book_state',
        exchange: this.exchange,
        symbol: this.symbol,
        exchangeTs: this.sb.exchangeTs,
        localTs,
        state,
        reason: `gap: ${detail}`,
      });
    }
  }

  l3(localTs: Micros, action: L3Action, orderId: string): void {
    this.monitor.onEvent({
      type: 'l3_order',
      exchange: this.exchange,
      symbol: this.symbol,
      exchangeTs: localTs,
      localTs,
      action,
      sequence: 1,
      orderId,
      side: 'buy',
      price: 6_183_763,
      size: BTC,
    });
  }
}

/** A healthy BTC/USDT book at 61,837.63 / 61,837.64. */
export const BIDS: Level[] = [
  [6_183_763, 3 * BTC],
  [6_183_762, BTC / 2],
];
export const ASKS: Level[] = [
  [6_183_764, 2 * BTC],
  [6_183_800, BTC],
];

/** A clean stream: a snapshot then one update and one trade every 100 ms for `seconds`; returns the last time. */
export function cleanStream(h: Harness, seconds: number, start: Micros = T0): Micros {
  h.snapshot(start, BIDS, ASKS);
  return keepClean(h, start, seconds);
}

/** Go on with clean updates and trades (every 100 ms after `from`) for `seconds`; returns the last time. */
export function keepClean(h: Harness, from: Micros, seconds: number): Micros {
  let ts = from;
  for (let i = 1; i <= seconds * 10; i++) {
    ts = from + i * 100_000;
    h.update(ts, [[6_183_762, BTC / 2 + i]]);
    h.trade(ts + 10);
  }
  return ts + 10;
}
