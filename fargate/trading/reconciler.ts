/**
 * The reconciler: before the first order and every `intervalMs` (30 s by default), each venue's open
 * orders, recent fills and positions against the OMS (core/oms/reconciliation/reconcile.ts), the
 * venue being the source of truth. What it finds it applies to the kernel:
 * - a missing fill is reported to the kernel like any other (its de-duplication counts it once,
 *   however many times the stream and reconciliation both see it);
 * - an order the OMS does not know is cancelled, or adopted into the OMS (`unknownOrders`);
 * - an order the venue no longer has, and fills do not explain, is closed as cancelled;
 * - a position difference above the instrument's threshold trips the circuit breaker.
 * Every discrepancy is journaled and alerted (kernel.reconciliationMismatch).
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { formatDecimal } from '../../core/num/format-decimal.ts';
import { parseDecimal } from '../../core/num/parse-decimal.ts';
import { type Discrepancy, reconcile } from '../../core/oms/reconciliation/reconcile.ts';
import type { TradingKernel } from '../../core/trading/trading-kernel.ts';
import type { Clock } from '../connectors/clock.ts';
import type { AccountQuery, VenueFill, VenueOrder } from '../execution/account-query.ts';

export type UnknownOrderPolicy = 'cancel' | 'adopt';

export interface ReconciledVenue {
  readonly exchange: ExchangeId;
  readonly account: AccountQuery;
  /** The venue reports positions (derivatives); spot venues do not. */
  readonly hasPositions: boolean;
}

export interface ReconcilerOptions {
  readonly kernel: TradingKernel;
  readonly venues: readonly ReconciledVenue[];
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly unknownOrders?: UnknownOrderPolicy;
  /** Orders younger than this may be in flight and are never called vanished (default 5 s). */
  readonly graceMs?: number;
  /** How far back fills are asked for (default: since the session started, at most 24 h). */
  readonly fillsLookbackMs?: number;
  /** Tolerated position difference in BTC-equivalent, a decimal string (default "0.001"). */
  readonly positionToleranceBtc?: string;
  /** Prices in quote currency per BTC when no BTC book is traded (default 60 000). */
  readonly btcPriceFallback?: number;
  readonly log?: (line: string) => void;
}

export interface ReconcileReport {
  readonly at: number;
  readonly discrepancies: readonly Discrepancy<VenueFill, VenueOrder>[];
  readonly errors: readonly string[];
}

export class Reconciler {
  readonly counters = { passes: 0, discrepancies: 0, missingFills: 0, unknownOrders: 0, errors: 0 };
  lastReport: ReconcileReport | null = null;
  private readonly options: ReconcilerOptions;
  private readonly startedMs: number;
  private cancelTimer: (() => void) | undefined;
  private running: Promise<ReconcileReport> | undefined;

  constructor(options: ReconcilerOptions) {
    this.options = options;
    this.startedMs = Date.now();
  }

  /** One pass now (a pass already running is joined, not doubled). */
  runOnce(): Promise<ReconcileReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The first pass now, then one every interval until `stop`. */
  async start(): Promise<ReconcileReport> {
    const first = await this.runOnce();
    this.schedule();
    return first;
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private schedule(): void {
    this.cancelTimer = this.options.clock.setTimer(this.options.intervalMs ?? 30_000, () => {
      this.runOnce().then(
        () => this.schedule(),
        () => this.schedule(),
      );
    });
  }

  private async pass(): Promise<ReconcileReport> {
    const { kernel, clock } = this.options;
    const errors: string[] = [];
    const all: Discrepancy<VenueFill, VenueOrder>[] = [];
    const sinceMs = Math.max(
      this.startedMs - 60_000,
      Date.now() - (this.options.fillsLookbackMs ?? 24 * 3_600_000),
    );
    for (const venue of this.options.venues) {
      let snapshot: {
        open: VenueOrder[];
        fills: VenueFill[];
        positions: Awaited<ReturnType<AccountQuery['positions']>> | undefined;
      };
      try {
        const [open, fills, positions] = await Promise.all([
          venue.account.openOrders(),
          venue.account.fills(sinceMs),
          venue.hasPositions ? venue.account.positions() : Promise.resolve(undefined),
        ]);
        snapshot = { open, fills, positions };
      } catch (error) {
        this.counters.errors++;
        errors.push(`${venue.exchange}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const now = clock.nowMicros();
      const instruments = kernel.instruments.flatMap((inst, i) =>
        inst.exchange === venue.exchange ? [i] : [],
      );
      const found = reconcile(
        {
          byId: (id) => kernel.orders.get(id),
          byClientOrderId: (id) => kernel.orders.byClientOrderId(id),
          byVenueOrderId: (e, id) => kernel.orders.byVenueOrderId(e, id),
          forEachOpen: (fn) => kernel.orders.forEachOpen(fn),
          hasFill: (id, tradeId) => kernel.orders.hasFill(id, tradeId),
          position: (i) => kernel.position(i),
          isOwn: (id) => kernel.ownsClientOrderId(id),
        },
        {
          exchange: venue.exchange,
          instruments,
          openOrders: snapshot.open,
          fills: snapshot.fills,
          positions: snapshot.positions,
        },
        {
          now,
          graceMicros: (this.options.graceMs ?? 5_000) * 1000,
          positionThreshold: (i) => this.threshold(i),
        },
      );
      for (const d of found) await this.apply(venue, d, now);
      all.push(...found);
    }
    this.counters.passes++;
    this.counters.discrepancies += all.length;
    const report = { at: clock.nowMicros(), discrepancies: all, errors };
    this.lastReport = report;
    return report;
  }

  private async apply(
    venue: ReconciledVenue,
    d: Discrepancy<VenueFill, VenueOrder>,
    now: number,
  ): Promise<void> {
    const { kernel } = this.options;
    switch (d.kind) {
      case 'missing_fill': {
        this.counters.missingFills++;
        const f = d.fill;
        const inst = kernel.instruments[f.instrument]!;
        kernel.reconciliationMismatch(
          `${venue.exchange} ${inst.symbol}: fill ${f.tradeId} of order ${d.orderId} missing (${f.side} ${formatDecimal(f.size, inst.sizeScale)} @ ${formatDecimal(f.price, inst.priceScale)}); taken from the venue`,
          false,
          now,
        );
        kernel.filled(d.orderId, f.tradeId, f.price, f.size, Number(f.fee), f.feeAsset, f.maker, now);
        return;
      }
      case 'unknown_order': {
        this.counters.unknownOrders++;
        const o = d.order;
        const inst = kernel.instruments[o.instrument]!;
        const what = `${venue.exchange} ${inst.symbol}: ${d.own ? 'our' : 'foreign'} order ${o.clientOrderId || o.venueOrderId} unknown to the OMS`;
        if ((this.options.unknownOrders ?? 'cancel') === 'adopt') {
          const id = kernel.adoptOrder(
            o.instrument,
            o.side,
            o.price,
            o.size,
            o.filled,
            o.clientOrderId,
            o.venueOrderId,
            now,
          );
          if (id !== undefined) venue.account.adopt(id, o);
          kernel.reconciliationMismatch(
            `${what}; adopted${id !== undefined ? ` as ${id}` : ' (refused)'}`,
            false,
            now,
          );
          return;
        }
        kernel.reconciliationMismatch(`${what}; cancelling it`, false, now);
        try {
          await venue.account.cancelVenueOrder(o);
        } catch (error) {
          this.counters.errors++;
          this.options.log?.(`reconcile: cancel of ${o.venueOrderId} failed: ${String(error)}`);
        }
        return;
      }
      case 'vanished_order':
        kernel.reconciliationMismatch(
          `${venue.exchange}: order ${d.orderId} (${d.clientOrderId}) is no longer on the venue; closed as cancelled`,
          false,
          now,
        );
        kernel.canceled(d.orderId, now);
        return;
      case 'position_break': {
        const inst = kernel.instruments[d.instrument]!;
        kernel.reconciliationMismatch(
          `${venue.exchange} ${inst.symbol}: position ${formatDecimal(d.ours, inst.sizeScale)} here, ${formatDecimal(d.venue, inst.sizeScale)} on the venue (tolerance ${formatDecimal(d.threshold, inst.sizeScale)} ${inst.base})`,
          true,
          now,
        );
        return;
      }
    }
  }

  /** 0.001 BTC-equivalent in the instrument's size units, at the BTC and instrument mids. */
  private threshold(instrument: number): number {
    const { kernel } = this.options;
    const inst: Instrument = kernel.instruments[instrument]!;
    const tolerance = this.options.positionToleranceBtc ?? '0.001';
    if (inst.base === 'BTC' || inst.base === 'XBT') return parseDecimal(tolerance, inst.sizeScale);
    // Another base: the tolerance's value in quote currency, in this instrument's size units.
    const quotePerBtc = this.btcPrice();
    const mid = kernel.mid(instrument) / 10 ** inst.priceScale;
    if (!(mid > 0)) return Number.POSITIVE_INFINITY;
    return Math.floor(((Number(tolerance) * quotePerBtc) / mid) * 10 ** inst.sizeScale);
  }

  private btcPrice(): number {
    const { kernel } = this.options;
    for (let i = 0; i < kernel.instruments.length; i++) {
      const inst = kernel.instruments[i]!;
      if (inst.base !== 'BTC' && inst.base !== 'XBT') continue;
      const mid = kernel.mid(i);
      if (mid > 0) return mid / 10 ** inst.priceScale;
    }
    return this.options.btcPriceFallback ?? 60_000;
  }
}
