/**
 * The live runner's trading half: connector events → books → the trading kernel (strategy → risk →
 * OMS) → the execution venue, on one thread, with each event's receive time as the only clock.
 *
 * It listens on the connectors like the recorder does (a ConnectorListener per venue), keeps the
 * kernel's books pointing at the feeds' own SymbolBooks (no copy), and feeds the paper venue the
 * same messages so its simulated exchange matches our orders against the live book. A real venue's
 * adapter takes an exchange's orders instead (`useVenue`, fargate/trading/connect-venues.ts).
 *
 * At start the journal is replayed: the circuit breaker's last state (a kill survives a restart:
 * HALTED until reset with the admin token) and the positions from the journaled fills.
 */

import { parseRiskParams } from '../../config/risk.ts';
import { L2Book } from '../../core/book/l2-book.ts';
import type { LevelChanges } from '../../core/book/level-changes.ts';
import type { BookTrust, MarketEvent, TradeEvent } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { ClientOrderIds } from '../../core/oms/client-order-id.ts';
import type { JournalRecord } from '../../core/oms/journal/journal-record.ts';
import { adminTokenMatches } from '../../core/risk/admin-token.ts';
import { RiskGate } from '../../core/risk/risk-gate.ts';
import type { RiskParams } from '../../core/risk/risk-params.ts';
import type { FeeTable } from '../../core/sim/fees/fee-table.ts';
import { createQueueModel } from '../../core/sim/queue/queue-spec.ts';
import { seededRandom } from '../../core/sim/random.ts';
import type { SimConfig } from '../../core/sim/sim-config.ts';
import type { BookView } from '../../core/strategy/book-view.ts';
import type { StrategyParams } from '../../core/strategy/params.ts';
import { resolveParams } from '../../core/strategy/params.ts';
import { PerSymbolStrategy } from '../../core/strategy/per-symbol-strategy.ts';
import type { StrategyRegistry } from '../../core/strategy/registry.ts';
import type { ExecutionReports, ExecutionVenue } from '../../core/trading/execution-venue.ts';
import { PaperVenue } from '../../core/trading/paper-venue.ts';
import type {
  ControlResult,
  KillReport,
  TradingControl,
  TradingStatusJson,
} from '../../core/trading/trading-control.ts';
import { type JournalSink, type KernelAlert, TradingKernel } from '../../core/trading/trading-kernel.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import type { ConnectorListener } from '../connectors/connector-events.ts';
import { killAndConfirm } from './kill-and-confirm.ts';

export interface LiveTraderOptions {
  /** The instruments traded (their exchange and venue symbol pick the feed books). */
  readonly instruments: readonly Instrument[];
  readonly registry: StrategyRegistry;
  readonly strategy: string;
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly risk: RiskParams;
  readonly fees: FeeTable;
  readonly sim: SimConfig;
  readonly adminToken: string;
  readonly seed: number;
  /** Process instance (0..65535) and lease epoch: client order ids stay unique across restarts. */
  readonly instance: number;
  readonly epoch: number;
  readonly journal?: JournalSink;
  readonly onAlert?: (alert: KernelAlert) => void;
  readonly onDecision?: (wallMicros: number) => void;
}

export class LiveTrader {
  readonly kernel: TradingKernel;
  readonly paper: PaperVenue;
  readonly control: TradingControl;
  readonly strategyName: string;
  /** Exchange → venue or unified symbol → instrument index (no key string built per event). */
  private readonly index = new Map<ExchangeId, Map<string, number>>();
  private readonly byBook = new Map<SymbolBook, number>();
  private readonly books: Array<SymbolBook | undefined>;
  /** What the kernel reads while the paper venue runs what came due before a message (see kernelBook). */
  private readonly beforeViews: Array<{ book: BookView; trust: BookTrust }>;
  private readonly snapshotNext: Uint8Array;
  private readonly options: LiveTraderOptions;
  /** Real venues by exchange (`useVenue`); an exchange without one trades on the paper venue. */
  private readonly venues = new Map<ExchangeId, ExecutionVenue>();
  private started = false;

  constructor(options: LiveTraderOptions) {
    this.options = options;
    const { instruments } = options;
    instruments.forEach((inst, i) => {
      let bySymbol = this.index.get(inst.exchange);
      if (!bySymbol) {
        bySymbol = new Map();
        this.index.set(inst.exchange, bySymbol);
      }
      bySymbol.set(inst.venueSymbol, i);
      bySymbol.set(inst.symbol, i);
    });
    this.books = instruments.map(() => undefined);
    this.beforeViews = instruments.map(() => ({ book: NO_VIEW, trust: 'awaiting_snapshot' as BookTrust }));
    this.snapshotNext = new Uint8Array(instruments.length);
    const definition = options.registry.get(options.strategy);
    const params = resolveParams(definition.params, options.overrides ?? {});
    const symbols = instruments.map((i) => i.symbol);
    this.strategyName = options.strategy;
    this.paper = new PaperVenue({
      instruments,
      queue: createQueueModel(options.sim.queue),
      partialFills: options.sim.partialFills,
      liquidityConsumption: options.sim.liquidityConsumption,
      entryUs: latencyOf(options.sim, 'entryUs'),
      responseUs: latencyOf(options.sim, 'responseUs'),
      fees: instruments.map((i) =>
        options.fees.rates(i.exchange, i.venueSymbol, options.sim.feeTiers[i.exchange]),
      ),
    });
    let kernel: TradingKernel | undefined;
    const gate = new RiskGate(instruments, options.risk, { nowMicros: () => kernel?.time ?? 0 });
    kernel = new TradingKernel({
      instruments,
      books: (i) => this.kernelBook(i),
      venueOf: (i) => this.venues.get(instruments[i]!.exchange) ?? this.paper,
      gate,
      clientIds: new ClientOrderIds({ prefix: 'tp', instance: options.instance, epoch: options.epoch }),
      strategy: new PerSymbolStrategy(definition, symbols, params),
      strategyName: options.strategy,
      params,
      random: seededRandom(options.seed),
      ...(options.journal ? { journal: options.journal } : {}),
      ...(options.onAlert ? { onAlert: options.onAlert } : {}),
      ...(options.onDecision ? { onDecision: options.onDecision, wallMs: () => performance.now() } : {}),
    });
    this.kernel = kernel;
    this.paper.connect(kernel);
    this.control = this.controlPlane(definition.params);
  }

  /** Send this exchange's orders to a real venue's adapter (before the first event) instead of paper. */
  useVenue(exchange: ExchangeId, venue: ExecutionVenue & { connect(reports: ExecutionReports): void }): void {
    if (this.started)
      throw new Error('useVenue: the trader has started; venues are chosen before the first event');
    venue.connect(this.kernel);
    this.venues.set(exchange, venue);
  }

  /** Which venue each traded exchange's orders go to ('paper' or the exchange id). */
  get execution(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const inst of this.options.instruments)
      out[inst.exchange] = this.venues.get(inst.exchange)?.id ?? 'paper';
    return out;
  }

  /** Rebuild from a journal's records (before start): the breaker's last state, positions from fills. */
  restore(record: JournalRecord): void {
    if (record.kind === 'state') this.kernel.gate.breaker.restore(record.breaker);
    else if (record.kind === 'fill') {
      const i = this.instrumentOf(record.exchange, record.symbol);
      if (i >= 0)
        this.kernel.restoreFill(
          i,
          record.side,
          record.price,
          record.size,
          record.fee / 10 ** record.feeScale,
          record.feeCurrency,
        );
    }
  }

  /** The listener to add to a venue's connector. */
  listenerFor(exchange: ExchangeId): ConnectorListener {
    return {
      onBook: (sb: SymbolBook, changes: LevelChanges) => this.onBook(exchange, sb, changes),
      onTrade: (t: TradeEvent) => this.onTrade(t),
      onEvent: (e: MarketEvent) => this.onEvent(e),
    };
  }

  /**
   * The kernel's book of instrument i: the feed's SymbolBook — or, while the paper venue runs the
   * requests and reports due before the message just written, that book as it was before it.
   */
  private kernelBook(i: number): { readonly book: BookView; readonly trust: BookTrust } | undefined {
    const sb = this.books[i];
    const before = sb ? this.paper.bookBefore(i) : undefined;
    if (!before) return sb;
    const v = this.beforeViews[i]!;
    v.book = before;
    v.trust = sb!.trust;
    return v;
  }

  private instrumentOf(exchange: ExchangeId, symbol: string): number {
    return this.index.get(exchange)?.get(symbol) ?? -1;
  }

  private ensureStarted(now: number): void {
    if (this.started) return;
    this.started = true;
    this.kernel.start(now);
  }

  private onBook(exchange: ExchangeId, sb: SymbolBook, changes: LevelChanges): void {
    // A feed keeps its SymbolBook objects: look the instrument up once per book, not per message.
    let i = this.byBook.get(sb);
    if (i === undefined) {
      i = this.instrumentOf(exchange, sb.venueSymbol);
      this.byBook.set(sb, i);
    }
    if (i < 0) return;
    const now = sb.localTs;
    this.ensureStarted(now);
    this.books[i] = sb;
    const snapshot = this.snapshotNext[i] === 1;
    this.snapshotNext[i] = 0;
    this.paper.onBook(i, sb.book, changes, snapshot, now);
    this.kernel.onBook(i, now);
  }

  private onTrade(t: TradeEvent): void {
    const i = this.instrumentOf(t.exchange, t.symbol);
    if (i < 0) return;
    this.ensureStarted(t.localTs);
    this.paper.onTrade(i, t.price, t.size, t.side, t.localTs);
    this.kernel.onTrade(i, t.price, t.size, t.side, t.exchangeTs, t.localTs);
  }

  private onEvent(e: MarketEvent): void {
    if (e.type === 'book_snapshot') {
      const i = this.instrumentOf(e.exchange, e.symbol);
      if (i >= 0) this.snapshotNext[i] = 1;
    } else if (e.type === 'book_state') {
      const i = this.instrumentOf(e.exchange, e.symbol);
      if (i < 0) return;
      this.ensureStarted(e.localTs);
      if (e.state !== 'trusted') this.paper.onBookLost(i, e.localTs);
      this.kernel.onBookTrust(i, e.state, e.localTs);
    }
  }

  private controlPlane(specs: Parameters<typeof resolveParams>[0]): TradingControl {
    const kernel = this.kernel;
    const adminToken = this.options.adminToken;
    const authorized = (token: string): ControlResult | null =>
      adminTokenMatches(token, adminToken)
        ? null
        : { ok: false, status: 401, problems: ['admin token required'] };
    return {
      status: (): TradingStatusJson => kernel.status(),
      kill: (reason: string): Promise<KillReport> => killAndConfirm(kernel, reason || 'manual kill'),
      reset: (token: string): ControlResult => {
        const r = kernel.reset(token, adminToken);
        if (r === 'reset') return { ok: true, detail: `trading ${kernel.tradingState}` };
        if (r === 'not_halted') return { ok: false, status: 409, problems: ['trading is not halted'] };
        return { ok: false, status: 401, problems: ['admin token required'] };
      },
      riskParams: () => kernel.gate.params,
      setRiskParams: (body: unknown, token: string): ControlResult => {
        const denied = authorized(token);
        if (denied) return denied;
        const parsed = parseRiskParams(body);
        if ('problems' in parsed) return { ok: false, status: 400, problems: parsed.problems };
        const problems = kernel.swapRiskParams(body as never, parsed);
        return problems.length > 0 ? { ok: false, status: 400, problems } : { ok: true };
      },
      setStrategyParams: (body: unknown, token: string): ControlResult => {
        const denied = authorized(token);
        if (denied) return denied;
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          return { ok: false, status: 400, problems: ['expected a JSON object of parameter values'] };
        let params: StrategyParams;
        try {
          params = resolveParams(specs, { ...kernel.strategyParams, ...(body as Record<string, unknown>) });
        } catch (error) {
          return {
            ok: false,
            status: 400,
            problems: [error instanceof Error ? error.message : String(error)],
          };
        }
        kernel.setStrategyParams(params);
        return { ok: true };
      },
    };
  }
}

/** Placeholder until a view is first handed out. */
const NO_VIEW: BookView = new L2Book();

function latencyOf(sim: SimConfig, key: 'entryUs' | 'responseUs'): number {
  const l = sim.latency as Record<string, unknown>;
  return typeof l[key] === 'number' ? (l[key] as number) : 5_000;
}
