/**
 * HIFA, the four-stage signal pipeline, fed by the same events strategies see (book updates, trades,
 * tickers, quality and connection events) in backtests, sweeps and live alike:
 *   1 detect   Detector              imbalance, walls, micro-moves, trade flow
 *   2 context  InstrumentContext     1/5/15 s windows, VPIN, Kyle's λ, weighted mid, micro-price,
 *              CrossVenueGroup       VWAP deviation; mid correlation and lead-lag across venues
 *   3 assess   RiskAssessment        0–100 risk from position (host's OMS view), liquidity, venue health
 *   4 execute  VenueRouter, sizing   best venue by effective price with fees, liquidity-based size
 *   monitors   ArbitrageMonitor, FundingState
 * Every stage emits typed SignalEvents to the sink; counts by type are kept per instrument.
 *
 * Design: one slot per (exchange, symbol), created on first sight (setup allocates; events do not).
 * Everything per event is O(1) amortized or bounded by configuration (levels walked, venues in a
 * group, lags). Time is the events' receive time only; the optional `clock` (ms, e.g.
 * performance.now) is used solely to time the stages and never affects a decision, so a replay
 * gives the same signals with or without it.
 */
import type { MarketEvent, Micros, Side } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { Instrument } from '../market/instrument.ts';
import type { FeeTable } from '../sim/fees/fee-table.ts';
import type { BookView } from '../strategy/book-view.ts';
import { RiskAssessment } from './assess/risk-assessment.ts';
import { VenueHealth } from './assess/venue-health.ts';
import { assetOf, CrossVenueGroup } from './context/cross-venue.ts';
import { ContextFlag, InstrumentContext } from './context/instrument-context.ts';
import { DetectFlag, Detector } from './detect/detector.ts';
import { liquiditySize } from './execute/liquidity-size.ts';
import { type RouteCandidate, VenueRouter } from './execute/venue-router.ts';
import { ArbitrageMonitor } from './monitors/arbitrage-monitor.ts';
import { FUNDING_VENUES, FundingState } from './monitors/funding-monitor.ts';
import { SignalCounts, type SignalEvent, type SignalSink, type SignalType } from './signal-event.ts';
import type { SignalParams } from './signal-params.ts';
import { Stage, StageLatency } from './stage-latency.ts';

export interface SignalPipelineOptions {
  readonly fees?: FeeTable;
  readonly sink?: SignalSink;
  /** ms clock used only to time stages (performance.now); no timing without it. */
  readonly clock?: () => number;
  /** Where stage latencies go (shared across pipelines by a benchmark); a fresh one when absent. */
  readonly latency?: StageLatency;
  /** Net position in size units (the OMS view); 0 when absent. */
  readonly positionOf?: (instrument: Instrument) => number;
}

export class InstrumentSignals {
  readonly detector: Detector;
  readonly context: InstrumentContext;
  readonly assessment: RiskAssessment;
  readonly health = new VenueHealth();
  readonly counts = new SignalCounts();
  readonly funding: FundingState | undefined;
  readonly candidate: RouteCandidate;
  /** Suggested order size, size units (liquidity-based). */
  suggestedSize = 0;
  /** Routing result for a probe-size buy / sell: winning exchange (undefined: none). */
  bestBuyVenue: ExchangeId | undefined;
  bestSellVenue: ExchangeId | undefined;
  memberIndex = 0;

  constructor(
    readonly slot: number,
    readonly instrument: Instrument,
    readonly group: CrossVenueGroup,
    params: SignalParams,
    takerFee: number,
  ) {
    const probe = Math.max(1, Math.round(params.assess.slippageSize * 10 ** instrument.sizeScale));
    const maxPos = Math.max(1, Math.round(params.assess.maxPosition * 10 ** instrument.sizeScale));
    this.detector = new Detector(params);
    this.context = new InstrumentContext(
      params,
      instrument.tickSize,
      10 ** -(instrument.priceScale + instrument.sizeScale),
    );
    this.assessment = new RiskAssessment(params, probe, maxPos);
    this.candidate = { instrument, book: undefined, takerFee, usable: false };
    this.funding =
      instrument.kind === 'perp' && FUNDING_VENUES.includes(instrument.exchange)
        ? new FundingState(instrument.exchange, instrument.symbol)
        : undefined;
  }

  get exchange(): ExchangeId {
    return this.instrument.exchange;
  }

  get symbol(): string {
    return this.instrument.symbol;
  }
}

interface GroupState {
  readonly group: CrossVenueGroup;
  readonly members: InstrumentSignals[];
  readonly candidates: RouteCandidate[];
  lastBookAt: Float64Array;
}

export class SignalPipeline {
  readonly slots: InstrumentSignals[] = [];
  readonly latency: StageLatency;
  readonly arbitrage: ArbitrageMonitor;
  readonly totals = new SignalCounts();
  private readonly bySymbol = new Map<string, Map<string, InstrumentSignals>>();
  private readonly groups = new Map<string, GroupState>();
  private readonly groupList: GroupState[] = [];
  private readonly router: VenueRouter;
  private readonly event: SignalEvent = {
    type: 'imbalance',
    exchange: 'binance',
    symbol: '',
    ts: 0,
    value: 0,
    direction: 0,
    detail: 0,
  };
  private readonly sampleUs: number;
  private gridStep = Number.NaN;

  constructor(
    readonly params: SignalParams,
    private readonly options: SignalPipelineOptions = {},
  ) {
    this.latency = options.latency ?? new StageLatency();
    this.arbitrage = new ArbitrageMonitor(params.arbitrage);
    this.router = new VenueRouter(params.arbitrage.maxLevels * 10);
    this.sampleUs = params.context.crossVenueSampleMs * 1000;
  }

  /** The slot of an instrument, created on first sight. */
  slotOf(instrument: Instrument): InstrumentSignals {
    const s = this.find(instrument.exchange, instrument.symbol);
    return s ?? this.create(instrument);
  }

  find(exchange: ExchangeId, symbol: string): InstrumentSignals | undefined {
    return this.bySymbol.get(exchange)?.get(symbol);
  }

  /** A book changed (after a whole venue message); `book` is read during the call only. */
  onBook(instrument: Instrument, book: BookView, localTs: Micros, exchangeTs: Micros, trusted = true): void {
    const s = this.slotOf(instrument);
    const clock = this.options.clock;
    const t0 = clock ? clock() : 0;
    const f1 = s.detector.onBook(book, localTs);
    const t1 = clock ? clock() : 0;
    this.advanceGrid(localTs);
    const f2 = s.context.onBook(book, localTs);
    const g = this.groups.get(s.group.asset)!;
    s.group.setMid(s.memberIndex, trusted ? book.mid() * 10 ** -instrument.priceScale : Number.NaN);
    const t2 = clock ? clock() : 0;
    s.health.onBook(localTs, exchangeTs);
    s.health.trusted = trusted;
    const position = this.options.positionOf ? this.options.positionOf(instrument) : 0;
    const risky = s.assessment.assess(book, position, s.health, localTs);
    const t3 = clock ? clock() : 0;
    s.candidate.book = book;
    s.candidate.usable = trusted;
    g.lastBookAt[s.memberIndex] = localTs;
    this.execute(s, g, localTs);
    const t4 = clock ? clock() : 0;
    if (clock) {
      this.latency.record(Stage.Detect, (t1 - t0) * 1000);
      this.latency.record(Stage.Context, (t2 - t1) * 1000);
      this.latency.record(Stage.Assess, (t3 - t2) * 1000);
      this.latency.record(Stage.Execute, (t4 - t3) * 1000);
      this.latency.record(Stage.All, (t4 - t0) * 1000);
    }
    // Emitting is outside the timed stages: the sink is the host's code.
    if (f1 !== 0) this.emitDetect(s, f1, localTs);
    if (f2 & ContextFlag.VwapDeviation)
      this.emit(
        s,
        'vwap_deviation',
        localTs,
        s.context.vwapDeviationBps,
        s.context.vwapDeviationBps > 0 ? 1 : -1,
        0,
      );
    if (risky) this.emit(s, 'risk', localTs, s.assessment.score, 0, s.assessment.slippageBps);
    if (g.members.length > 1) {
      const found = this.arbitrage.check(s.group.asset, g.candidates, s.memberIndex, g.lastBookAt, localTs);
      if (found > 0)
        this.emit(s, 'arbitrage', localTs, this.arbitrage.lastEdgeBps, 0, this.arbitrage.lastSize);
    }
  }

  /** A public trade. Sizes and prices in the instrument's units. */
  onTrade(
    instrument: Instrument,
    price: number,
    size: number,
    side: Side | 'unknown',
    localTs: Micros,
  ): void {
    const s = this.slotOf(instrument);
    const clock = this.options.clock;
    const t0 = clock ? clock() : 0;
    const f1 = s.detector.onTrade(side, size, localTs);
    const t1 = clock ? clock() : 0;
    this.advanceGrid(localTs);
    const f2 = s.context.onTrade(price, size, side, localTs);
    const t2 = clock ? clock() : 0;
    if (clock) {
      this.latency.record(Stage.Detect, (t1 - t0) * 1000);
      this.latency.record(Stage.Context, (t2 - t1) * 1000);
      this.latency.record(Stage.All, (t2 - t0) * 1000);
    }
    if (f1 & DetectFlag.TradeFlow)
      this.emit(
        s,
        'trade_flow',
        localTs,
        s.detector.tradeFlowImbalance,
        s.detector.flowDirection,
        s.detector.buySellRatio,
      );
    if (f2 & ContextFlag.ToxicFlow) this.emit(s, 'toxic_flow', localTs, s.context.vpin.value(), 0, 0);
  }

  /** Off-hot-path events: funding tickers, quality scores, connection and book-state changes. */
  onEvent(event: MarketEvent, instrument?: Instrument): void {
    const s = instrument ? this.slotOf(instrument) : this.find(event.exchange, event.symbol);
    if (event.type === 'connection') {
      // A connection event names the venue, not a symbol: every stream of the venue counts it.
      if (event.state === 'reconnecting' || event.state === 'disconnected')
        for (const slot of this.slots) if (slot.exchange === event.exchange) slot.health.reconnects++;
      return;
    }
    if (!s) return;
    switch (event.type) {
      case 'derivative_ticker': {
        if (!s.funding) return;
        const scale = 10 ** -s.instrument.priceScale;
        const fired = s.funding.onTicker(
          event.fundingRate ?? Number.NaN,
          event.nextFundingTs ?? Number.NaN,
          event.markPrice === null ? Number.NaN : event.markPrice * scale,
          event.localTs,
          this.params.funding.alertRate,
        );
        if (fired)
          this.emit(
            s,
            'funding',
            event.localTs,
            s.funding.predictedRate,
            s.funding.predictedRate > 0 ? -1 : 1,
            s.funding.holdingCost(this.params.funding.notional),
          );
        return;
      }
      case 'quality':
        s.health.quality = event.score;
        return;
      case 'book_state':
        s.health.trusted = event.state === 'trusted';
        s.candidate.usable = s.health.trusted;
        return;
      default:
        return;
    }
  }

  private execute(s: InstrumentSignals, g: GroupState, now: Micros): void {
    const a = s.assessment;
    s.suggestedSize = liquiditySize(
      Math.min(a.bidDepth, a.askDepth),
      this.params.execute.participation,
      s.instrument.lotSize,
      s.instrument.minSize,
    );
    const maxAge = this.params.arbitrage.maxAgeMs * 1000;
    for (let i = 0; i < g.candidates.length; i++)
      if (!(now - g.lastBookAt[i]! <= maxAge)) g.candidates[i]!.usable = false;
    const q = this.params.assess.slippageSize;
    const buy = this.router.route(g.candidates, true, q);
    const buyVenue = buy >= 0 ? g.candidates[buy]!.instrument.exchange : undefined;
    const buyPrice = this.router.effectivePrice;
    const sell = this.router.route(g.candidates, false, q);
    const sellVenue = sell >= 0 ? g.candidates[sell]!.instrument.exchange : undefined;
    const changed = buyVenue !== s.bestBuyVenue || sellVenue !== s.bestSellVenue;
    s.bestBuyVenue = buyVenue;
    s.bestSellVenue = sellVenue;
    if (changed && buyVenue !== undefined)
      this.emit(s, 'route', now, buyPrice, 1, this.router.effectivePrice);
    // candidates whose book aged out are usable again on their next update
  }

  /** Sample every group's mids at each grid step that ended before `ts`. */
  private advanceGrid(ts: Micros): void {
    const step = Math.floor(ts / this.sampleUs);
    if (Number.isNaN(this.gridStep)) {
      this.gridStep = step;
      return;
    }
    if (step <= this.gridStep) return;
    // A gap longer than the whole window: only the last window's worth of steps matters.
    const limit = this.params.context.correlationSamples + 2 * this.params.context.maxLagSamples + 1;
    const steps = Math.min(step - this.gridStep, limit);
    for (let k = 0; k < steps; k++)
      for (let i = 0; i < this.groupList.length; i++) this.groupList[i]!.group.sample();
    this.gridStep = step;
  }

  private emitDetect(s: InstrumentSignals, flags: number, ts: Micros): void {
    const d = s.detector;
    if (flags & DetectFlag.Imbalance)
      this.emit(s, 'imbalance', ts, d.imbalance, d.imbalanceDirection, d.weightedImbalance);
    if (flags & DetectFlag.BidWall) this.emit(s, 'wall', ts, d.bidWallRatio, 1, d.bidWallPrice);
    if (flags & DetectFlag.AskWall) this.emit(s, 'wall', ts, d.askWallRatio, -1, d.askWallPrice);
    if (flags & DetectFlag.MicroMove)
      this.emit(s, 'micro_move', ts, d.microMoveBps, d.microMoveBps > 0 ? 1 : -1, 0);
  }

  private emit(
    s: InstrumentSignals,
    type: SignalType,
    ts: Micros,
    value: number,
    direction: -1 | 0 | 1,
    detail: number,
  ): void {
    s.counts.add(type);
    this.totals.add(type);
    const sink = this.options.sink;
    if (!sink) return;
    const e = this.event;
    e.type = type;
    e.exchange = s.exchange;
    e.symbol = s.symbol;
    e.ts = ts;
    e.value = value;
    e.direction = direction;
    e.detail = detail;
    sink(e);
  }

  private create(instrument: Instrument): InstrumentSignals {
    const asset = assetOf(instrument.symbol);
    let g = this.groups.get(asset);
    if (!g) {
      g = {
        group: new CrossVenueGroup(
          asset,
          this.params.context.correlationSamples,
          this.params.context.maxLagSamples,
        ),
        members: [],
        candidates: [],
        lastBookAt: new Float64Array(0),
      };
      this.groups.set(asset, g);
      this.groupList.push(g);
    }
    const fee =
      this.options.fees?.rates(
        instrument.exchange,
        instrument.venueSymbol,
        this.params.execute.feeTiers[instrument.exchange],
      ).taker ?? 0;
    const s = new InstrumentSignals(this.slots.length, instrument, g.group, this.params, fee);
    s.memberIndex = g.group.add(s.slot);
    g.members.push(s);
    g.candidates.push(s.candidate);
    const at = new Float64Array(g.members.length).fill(Number.NaN);
    at.set(g.lastBookAt);
    g.lastBookAt = at;
    this.slots.push(s);
    let m = this.bySymbol.get(instrument.exchange);
    if (!m) {
      m = new Map();
      this.bySymbol.set(instrument.exchange, m);
    }
    m.set(instrument.symbol, s);
    return s;
  }

  /** The cross-venue group of an asset ("BTC/USDT"), with its members. */
  group(asset: string): { group: CrossVenueGroup; members: readonly InstrumentSignals[] } | undefined {
    return this.groups.get(asset);
  }

  assets(): string[] {
    return [...this.groups.keys()];
  }
}
