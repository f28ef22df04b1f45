/**
 * QualityMonitor: a FeedListener that watches every (exchange, symbol) a feed produces and keeps a
 * 0–100 data-quality score, the current issues and per-issue counts for each.
 *
 *   const monitor = new QualityMonitor(rules);           // rules from parseValidationRules
 *   const feed = new BinanceFeed({ ..., listener: combineListeners(strategy, monitor) });
 *   monitor.score('binance', 'BTC/USDT');               // 0–100
 *   monitor.snapshot();                                 // [{ exchange, symbol, score, issues, counts }]
 *   monitor.emit((e) => bus.publish(e));                // QualityEvent per pair, on demand
 *
 * Score: clamp(100 − Σ weight(issue) × occurrences in the sliding window, 0, 100) — the formula and
 * its reasons are in quality-score.ts; which validator raises which issue in README.md.
 *
 * Time: core has no clock. Every query takes an optional `now` (µs); by default it is the latest
 * receive time the monitor has seen on any input, which makes a replay score exactly as it did live
 * and lets one silent symbol go stale while others still tick.
 *
 * Hot path: onBook allocates nothing in the common case — the pair's state is found through a
 * one-entry cache on the SymbolBook (a feed usually updates the same book many times in a row), then
 * a two-level Map by exchange and symbol (no key strings built); the checks write numbers and typed
 * arrays only.
 */
import type { LevelChanges } from '../book/level-changes.ts';
import type { MarketEvent, Micros, QualityEvent, TradeEvent } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { Instrument } from '../market/instrument.ts';
import type { FeedCounters, FeedListener } from '../venues/feed-types.ts';
import type { SymbolBook } from '../venues/symbol-book.ts';
import { ISSUE_COUNT, QUALITY_ISSUES, type QualityIssue } from './issue-codes.ts';
import type { ValidationRules } from './rules-schema.ts';
import { type QualityReport, SymbolQuality } from './symbol-quality.ts';
import { resolveSymbolRules } from './symbol-rules.ts';

export type { QualityReport } from './symbol-quality.ts';

export class QualityMonitor implements FeedListener {
  private readonly rules: ValidationRules;
  private readonly windowUs: Micros;
  private readonly weights = new Float64Array(ISSUE_COUNT);
  private readonly byExchange = new Map<ExchangeId, Map<string, SymbolQuality>>();
  private cachedBook: SymbolBook | undefined;
  private cachedState: SymbolQuality | undefined;
  private latestTs: Micros = 0;

  constructor(rules: ValidationRules) {
    this.rules = rules;
    this.windowUs = rules.windowMs * 1000;
    for (let i = 0; i < ISSUE_COUNT; i++) this.weights[i] = rules.weights[QUALITY_ISSUES[i]!];
  }

  /** The latest receive time seen on any input: the default `now` of every query. */
  get now(): Micros {
    return this.latestTs;
  }

  private seen(ts: Micros): void {
    if (ts > this.latestTs) this.latestTs = ts;
  }

  private find(exchange: ExchangeId, symbol: string): SymbolQuality | undefined {
    return this.byExchange.get(exchange)?.get(symbol);
  }

  private state(exchange: ExchangeId, symbol: string): SymbolQuality {
    let bySymbol = this.byExchange.get(exchange);
    if (!bySymbol) {
      bySymbol = new Map();
      this.byExchange.set(exchange, bySymbol);
    }
    let st = bySymbol.get(symbol);
    if (!st) {
      const rules = resolveSymbolRules(this.rules, exchange, symbol);
      st = new SymbolQuality(exchange, symbol, rules, this.windowUs, this.weights);
      bySymbol.set(symbol, st);
    }
    return st;
  }

  onBook(book: SymbolBook, changes: LevelChanges): void {
    let st = this.cachedState;
    if (book !== this.cachedBook || st === undefined) {
      st = this.state(book.instrument.exchange, book.symbol);
      this.cachedBook = book;
      this.cachedState = st;
    }
    st.checkBook(book, changes);
    this.seen(book.localTs);
  }

  onTrade(trade: TradeEvent): void {
    this.state(trade.exchange, trade.symbol).checkTrade(trade);
    this.seen(trade.localTs);
  }

  onEvent(event: MarketEvent): void {
    if (event.type === 'book_state') {
      this.state(event.exchange, event.symbol).checkBookState(event.state, event.reason, event.localTs);
    } else if (event.type === 'l3_order') {
      this.state(event.exchange, event.symbol).checkL3(event);
    } else if (event.type === 'quality') {
      return; // our own output, echoed back through a bus
    }
    this.seen(event.localTs);
  }

  /** Give the instrument up front so trades arriving before the first book get size limits too. */
  setInstrument(instrument: Instrument): void {
    this.state(instrument.exchange, instrument.symbol).setInstrument(instrument);
  }

  /**
   * Reconcile with a book's FeedCounters (gaps, checksum failures, rejections) from outside the
   * listener path; onBook already does this with each SymbolBook's counters.
   */
  observeCounters(exchange: ExchangeId, symbol: string, counters: FeedCounters, localTs: Micros): void {
    this.state(exchange, symbol).observeCounters(counters, localTs);
    this.seen(localTs);
  }

  /** 0–100, or undefined for a pair the monitor has never seen. */
  score(exchange: ExchangeId, symbol: string, now: Micros = this.latestTs): number | undefined {
    return this.find(exchange, symbol)?.score(now);
  }

  /** Current issues of one pair (empty for a clean or unknown pair). */
  issues(exchange: ExchangeId, symbol: string, now: Micros = this.latestTs): QualityIssue[] {
    return this.find(exchange, symbol)?.issues(now) ?? [];
  }

  report(exchange: ExchangeId, symbol: string, now: Micros = this.latestTs): QualityReport | undefined {
    return this.find(exchange, symbol)?.report(now);
  }

  /** Every pair seen, in first-seen order. Allocates: not for the hot path. */
  snapshot(now: Micros = this.latestTs): QualityReport[] {
    const out: QualityReport[] = [];
    for (const bySymbol of this.byExchange.values())
      for (const st of bySymbol.values()) out.push(st.report(now));
    return out;
  }

  /** One QualityEvent per pair, timed `now` (localTs) and by the pair's latest venue time (exchangeTs). */
  events(now: Micros = this.latestTs): QualityEvent[] {
    const out: QualityEvent[] = [];
    for (const bySymbol of this.byExchange.values())
      for (const st of bySymbol.values()) out.push(st.event(now));
    return out;
  }

  /** Hand each pair's QualityEvent to `sink` (e.g. the normalized stream); returns how many. */
  emit(sink: (event: QualityEvent) => void, now: Micros = this.latestTs): number {
    const events = this.events(now);
    for (const e of events) sink(e);
    return events.length;
  }
}
