/**
 * The quality state of one (exchange, symbol): the validators' memory (clocks, recent ids, counter
 * watch, instrument-derived size limits), the current conditions, lifetime counts and the recent
 * occurrence times that feed the score. The monitor routes inputs here; this class decides.
 *
 * checkBook runs on the hot path: it allocates nothing (typed arrays, numbers, preallocated rings).
 */
import type { LevelChanges } from '../book/level-changes.ts';
import type { BookTrust, L3OrderEvent, Micros, QualityEvent, TradeEvent } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { Instrument } from '../market/instrument.ts';
import type { FeedCounters } from '../venues/feed-types.ts';
import type { SymbolBook } from '../venues/symbol-book.ts';
import { ISSUE_COUNT, Issue, QUALITY_ISSUES, type QualityIssue } from './issue-codes.ts';
import { qualityScore, saturatingCount } from './quality-score.ts';
import { RecentTimes } from './recent-times.ts';
import type { SymbolRules } from './symbol-rules.ts';
import { isCrossedBook } from './validators/crossed-book.ts';
import { DuplicateOrderIds } from './validators/duplicate-order-ids.ts';
import { MonotonicClock } from './validators/monotonic-clock.ts';
import { RecentIds } from './validators/recent-ids.ts';
import { breakOfBookState, CounterWatch } from './validators/sequence-breaks.ts';
import {
  checkLevelSize,
  checkTradeSize,
  type SizeLimits,
  SizeVerdict,
  sizeLimitsFor,
  UNCHECKED_SIZES,
} from './validators/size-sanity.ts';
import { isSpreadTooWide } from './validators/spread.ts';
import { isStale } from './validators/staleness.ts';

export interface QualityReport {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  /** 0–100, see quality-score.ts. */
  readonly score: number;
  /** Issues current at the report's time: occurred within the window, or a condition still true. */
  readonly issues: readonly QualityIssue[];
  /** Lifetime occurrences per issue (episodes for conditions; a stale episode still going counts). */
  readonly counts: Readonly<Record<QualityIssue, number>>;
}

export class SymbolQuality {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly rules: SymbolRules;
  private readonly windowUs: Micros;
  private readonly weights: Float64Array;
  private readonly recent: RecentTimes[] = [];
  private readonly totals = new Float64Array(ISSUE_COUNT);
  /** Scratch for window counts (reused by every score). */
  private readonly inWindow = new Float64Array(ISSUE_COUNT);

  // Conditions (true while they last) and when they last ended (0 = never).
  private crossed = false;
  private wide = false;
  private crossedEndedAt: Micros = 0;
  private wideEndedAt: Micros = 0;

  // Validator memory.
  private instrument: Instrument | undefined;
  private levelLimits: SizeLimits = UNCHECKED_SIZES;
  private tradeLimits: SizeLimits = UNCHECKED_SIZES;
  private readonly bookExchangeClock: MonotonicClock;
  private readonly bookLocalClock: MonotonicClock;
  private readonly tradeExchangeClock: MonotonicClock;
  private readonly tradeLocalClock: MonotonicClock;
  private readonly tradeIds: RecentIds;
  private readonly orderIds: DuplicateOrderIds;
  private readonly counterWatch = new CounterWatch();
  private snapshotsSeen = 0;
  private hasBook = false;
  private lastBookTs: Micros = 0;
  private lastTradeTs: Micros = 0;
  /** Latest venue time seen on any stream (0 = none). */
  lastExchangeTs: Micros = 0;

  constructor(
    exchange: ExchangeId,
    symbol: string,
    rules: SymbolRules,
    windowUs: Micros,
    weights: Float64Array,
  ) {
    this.exchange = exchange;
    this.symbol = symbol;
    this.rules = rules;
    this.windowUs = windowUs;
    this.weights = weights;
    for (let i = 0; i < ISSUE_COUNT; i++) this.recent.push(new RecentTimes(saturatingCount(weights[i]!)));
    const tol = rules.clockToleranceUs;
    this.bookExchangeClock = new MonotonicClock(tol);
    this.bookLocalClock = new MonotonicClock(tol);
    this.tradeExchangeClock = new MonotonicClock(tol);
    this.tradeLocalClock = new MonotonicClock(tol);
    this.tradeIds = new RecentIds(rules.recentIds);
    this.orderIds = new DuplicateOrderIds(rules.recentIds);
  }

  /** Size limits need the instrument's scales (learnt from the book, or given up front). */
  setInstrument(instrument: Instrument): void {
    this.instrument = instrument;
    const r = this.rules;
    const { priceScale, sizeScale } = instrument;
    this.levelLimits = sizeLimitsFor(r.maxLevelSize, r.maxLevelNotional, priceScale, sizeScale);
    this.tradeLimits = sizeLimitsFor(r.maxTradeSize, r.maxTradeNotional, priceScale, sizeScale);
  }

  private record(issue: number, ts: Micros, times = 1): void {
    this.totals[issue]! += times;
    const ring = this.recent[issue]!;
    for (let i = 0; i < times && i < ring.capacity; i++) ring.record(ts);
  }

  /** After every applied snapshot or update of the book (hot path). */
  checkBook(sb: SymbolBook, changes: LevelChanges): void {
    const localTs = sb.localTs;
    if (sb.instrument !== this.instrument) this.setInstrument(sb.instrument);
    this.observeCounters(sb.counters, localTs);

    // A snapshot restarts the book's clocks: the feed replays diffs it buffered while waiting for
    // the snapshot with their original (earlier) times right after it.
    if (sb.counters.snapshots !== this.snapshotsSeen) {
      this.snapshotsSeen = sb.counters.snapshots;
      this.bookExchangeClock.reset();
      this.bookLocalClock.reset();
    } else {
      if (this.bookExchangeClock.wentBackwards(sb.exchangeTs))
        this.record(Issue.ExchangeTsBackwards, localTs);
      if (this.bookLocalClock.wentBackwards(localTs)) this.record(Issue.LocalTsBackwards, localTs);
    }
    if (sb.exchangeTs > this.lastExchangeTs) this.lastExchangeTs = sb.exchangeTs;

    // Book silence longer than the allowed age ends here: one stale episode.
    if (isStale(this.lastBookTs, localTs, this.rules.maxAgeUs)) this.record(Issue.StaleData, localTs);
    if (localTs > this.lastBookTs) this.lastBookTs = localTs;
    this.hasBook = true;

    // Crossed / wide: only a trusted book says anything about the venue.
    let crossed = false;
    let wide = false;
    if (sb.trust === 'trusted') {
      const bid = sb.book.bestBid();
      const ask = sb.book.bestAsk();
      crossed = isCrossedBook(bid, ask);
      wide = isSpreadTooWide(bid, ask, this.rules.maxSpreadBps);
    }
    if (crossed && !this.crossed) this.record(Issue.CrossedBook, localTs);
    else if (!crossed && this.crossed) this.crossedEndedAt = localTs;
    if (wide && !this.wide) this.record(Issue.WideSpread, localTs);
    else if (!wide && this.wide) this.wideEndedAt = localTs;
    this.crossed = crossed;
    this.wide = wide;

    // Levels written by this message: one occurrence per message and kind, not per level.
    let nonpositive = false;
    let oversized = false;
    const limits = this.levelLimits;
    for (let i = 0; i < changes.count; i++) {
      const v = checkLevelSize(changes.priceAt(i), changes.sizeAt(i), limits);
      if (v === SizeVerdict.Nonpositive) nonpositive = true;
      else if (v === SizeVerdict.Oversized) oversized = true;
    }
    if (nonpositive) this.record(Issue.NonpositiveSize, localTs);
    if (oversized) this.record(Issue.OversizedLevel, localTs);
  }

  /** A book's counters: gaps, checksum failures and rejections no event told us about. */
  observeCounters(counters: FeedCounters, localTs: Micros): void {
    const w = this.counterWatch;
    w.sync(counters);
    if (w.newGaps > 0) this.record(Issue.SequenceGap, localTs, w.newGaps);
    if (w.newChecksumsFailed > 0) this.record(Issue.ChecksumMismatch, localTs, w.newChecksumsFailed);
    if (w.newCrossed > 0) this.record(Issue.CrossedBook, localTs, w.newCrossed);
    if (w.newRejected > 0) this.record(Issue.RejectedInput, localTs, w.newRejected);
  }

  checkTrade(t: TradeEvent): void {
    const localTs = t.localTs;
    if (this.tradeExchangeClock.wentBackwards(t.exchangeTs)) this.record(Issue.ExchangeTsBackwards, localTs);
    if (this.tradeLocalClock.wentBackwards(localTs)) this.record(Issue.LocalTsBackwards, localTs);
    if (t.exchangeTs > this.lastExchangeTs) this.lastExchangeTs = t.exchangeTs;
    if (t.tradeId !== '' && this.tradeIds.seen(t.tradeId)) this.record(Issue.DuplicateTradeId, localTs);
    const v = checkTradeSize(t.price, t.size, this.tradeLimits);
    if (v === SizeVerdict.Nonpositive) this.record(Issue.NonpositiveSize, localTs);
    else if (v === SizeVerdict.Oversized) this.record(Issue.OversizedTrade, localTs);
    // Trades judge staleness only for a symbol without a book (trading pauses are normal).
    if (!this.hasBook && isStale(this.lastTradeTs, localTs, this.rules.maxAgeUs))
      this.record(Issue.StaleData, localTs);
    if (localTs > this.lastTradeTs) this.lastTradeTs = localTs;
  }

  /** A book_state change: gaps and checksum mismatches, timed by the event. */
  checkBookState(state: BookTrust, reason: string, localTs: Micros): void {
    const issue = breakOfBookState(state, reason);
    if (issue < 0) return;
    this.counterWatch.accountFor(issue);
    this.record(issue, localTs);
  }

  checkL3(e: L3OrderEvent): void {
    if (this.orderIds.isDuplicate(e.action, e.orderId)) this.record(Issue.DuplicateOrderId, e.localTs);
  }

  private staleAt(now: Micros): boolean {
    return isStale(this.hasBook ? this.lastBookTs : this.lastTradeTs, now, this.rules.maxAgeUs);
  }

  /** Fill the scratch window counts for `now`; returns the score. */
  private evaluate(now: Micros): number {
    const from = now - this.windowUs;
    const counts = this.inWindow;
    for (let i = 0; i < ISSUE_COUNT; i++) counts[i] = this.recent[i]!.countBetween(from, now);
    // A condition that held at any time in the window counts at least once.
    if ((this.crossed || this.crossedEndedAt > from) && counts[Issue.CrossedBook] === 0)
      counts[Issue.CrossedBook] = 1;
    if ((this.wide || this.wideEndedAt > from) && counts[Issue.WideSpread] === 0)
      counts[Issue.WideSpread] = 1;
    if (this.staleAt(now) && counts[Issue.StaleData] === 0) counts[Issue.StaleData] = 1;
    return qualityScore(counts, this.weights);
  }

  score(now: Micros): number {
    return this.evaluate(now);
  }

  issues(now: Micros): QualityIssue[] {
    this.evaluate(now);
    const out: QualityIssue[] = [];
    for (let i = 0; i < ISSUE_COUNT; i++) if (this.inWindow[i]! > 0) out.push(QUALITY_ISSUES[i]!);
    return out;
  }

  report(now: Micros): QualityReport {
    const score = this.evaluate(now);
    const issues: QualityIssue[] = [];
    const counts = {} as Record<QualityIssue, number>;
    for (let i = 0; i < ISSUE_COUNT; i++) {
      const code = QUALITY_ISSUES[i]!;
      if (this.inWindow[i]! > 0) issues.push(code);
      counts[code] = this.totals[i]!;
    }
    if (this.staleAt(now)) counts.stale_data++;
    return { exchange: this.exchange, symbol: this.symbol, score, issues, counts };
  }

  event(now: Micros): QualityEvent {
    const r = this.report(now);
    return {
      type: 'quality',
      exchange: this.exchange,
      symbol: this.symbol,
      exchangeTs: this.lastExchangeTs,
      localTs: now,
      score: r.score,
      issues: r.issues,
    };
  }
}
