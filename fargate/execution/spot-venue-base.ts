/**
 * What the Kraken, KuCoin and Coinbase spot adapters share: the execution-venue port over signed
 * REST, the order tracker, the instrument lookup by venue symbol, fills from the private order
 * stream with the REST fill history as fallback and reconciliation, and one rule for terminal
 * states.
 *
 * Fills: each venue's stream handler reports what its stream carries (`streamFill`), or asks for
 * the fill history at once when the stream only says an order traded (`readFillsForStream`).
 * `poll()` (a slow timer in the connection, after every cancel, and once after each stream
 * reconnect through `recover()`) reads the history from LOOKBACK_MS before the newest fill seen.
 * Every fill passes the tracker's FillDedup keyed by the venue's trade id, so a fill the stream and
 * a poll both saw is reported once. Terminal states (`settle`) wait until every fill the venue
 * shows for the order has been reported, so a cancel never overtakes its last fill.
 *
 * Design decision: a base class rather than composed helpers, because the three adapters differ
 * only in wire forms and each step (place, poll, state) calls the same tracker in the same order.
 */
import type { Micros } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import type { CheckedAmend, CheckedOrder } from '../../core/risk/order-check.ts';
import type { OrderId } from '../../core/strategy/order-types.ts';
import type { ExecutionReports, ExecutionVenue } from '../../core/trading/execution-venue.ts';
import type { AccountQuery, VenueBalance, VenueFill, VenueOrder, VenuePosition } from './account-query.ts';
import { type FillInput, OrderTracker, type TrackedOrder } from './order-tracker.ts';

/** The fill history is asked from this long before the newest fill seen (a late-listed fill keeps its time). */
export const LOOKBACK_MS = 60_000;

export interface SpotVenueOptions<R> {
  readonly rest: R;
  readonly instruments: readonly Instrument[];
  /** Event time of reports, µs (the wall clock live). */
  readonly nowMicros: () => Micros;
  readonly onHalt?: (code: number, message: string) => void;
}

/** Where an order stands on the venue, in one vocabulary for the three wire forms. */
export type OrderProgress = 'working' | 'filled' | 'canceled' | 'expired' | 'rejected';

export interface SpotVenueCounters {
  /** REST polls of fills and states (timer, cancels, recoveries). */
  polls: number;
  /** Catch-up polls after a stream reconnect. */
  recoveries: number;
  /** Fills first reported because of a stream message. */
  streamFills: number;
  /** Fills first reported by a poll (the stream missed them). */
  polledFills: number;
  /** Stream messages of the order channel read. */
  streamMessages: number;
  /** Stream messages refused by the parser (malformed, unknown shape). */
  badStreamMessages: number;
  /** Skips in the stream's message sequence (a lost message), each answered by a poll. */
  sequenceGaps: number;
}

export abstract class SpotVenueBase<R> implements ExecutionVenue, AccountQuery {
  readonly tracker: OrderTracker;
  readonly counters: SpotVenueCounters = {
    polls: 0,
    recoveries: 0,
    streamFills: 0,
    polledFills: 0,
    streamMessages: 0,
    badStreamMessages: 0,
    sequenceGaps: 0,
  };
  /** Venue symbol (and any alias the venue writes) → index in the kernel's instrument list. */
  protected readonly bySymbol = new Map<string, number>();
  protected readonly rest: R;
  protected readonly instruments: readonly Instrument[];
  /** Fills are asked from here (venue ms): LOOKBACK_MS before the newest fill seen. */
  private fillsFromMs: number;
  /** The last stream message sequence seen (undefined before the first). */
  private lastSequence: number | undefined;
  /** Stream-driven work in arrival order (a state after the fills it follows). */
  private streamWork: Promise<void> = Promise.resolve();

  constructor(
    readonly id: ExchangeId,
    options: SpotVenueOptions<R>,
    aliases: (inst: Instrument) => readonly string[] = () => [],
  ) {
    this.rest = options.rest;
    this.instruments = options.instruments;
    this.tracker = new OrderTracker(options.nowMicros, options.onHalt);
    // The kernel's whole list comes in (orders carry its indices): only this venue's are ours.
    for (const [i, inst] of options.instruments.entries()) {
      if (inst.exchange !== id) continue;
      this.bySymbol.set(inst.venueSymbol, i);
      for (const a of aliases(inst)) this.bySymbol.set(a, i);
    }
    this.fillsFromMs = Math.floor(options.nowMicros() / 1000) - LOOKBACK_MS;
  }

  connect(reports: ExecutionReports): void {
    this.tracker.reports = reports;
  }

  /** Resolves when every request sent so far, and the work stream messages started, is done. */
  async settled(): Promise<void> {
    await this.streamWork;
    await this.tracker.settled();
  }

  abstract submit(order: CheckedOrder, clientOrderId: string, now: Micros): void;
  abstract cancel(orderId: OrderId, clientOrderId: string, now: Micros): void;
  abstract cancelAll(): Promise<void>;
  abstract openOrders(): Promise<VenueOrder[]>;
  abstract balances(): Promise<VenueBalance[]>;
  abstract cancelVenueOrder(order: VenueOrder): Promise<void>;

  /** The venues' amend calls are not used: the strategy cancels and places again. */
  amend(amend: CheckedAmend, _clientOrderId: string, _now: Micros): void {
    this.tracker.refuseRequest(amend.request.id, 'venue_rejected', true);
  }

  async fills(sinceMs: number): Promise<VenueFill[]> {
    return (await this.fillsSince(sinceMs)).filter((f) => f.timeMs >= sinceMs);
  }

  async positions(): Promise<VenuePosition[]> {
    return [];
  }

  adopt(orderId: OrderId, order: VenueOrder): void {
    this.tracker.adopt(orderId, order);
  }

  /** Read new fills, then the state of every order still working. */
  async poll(): Promise<void> {
    this.counters.polls++;
    const working = this.tracker.working();
    await this.readFills(false);
    if (working.length > 0) await this.refreshStates(working);
  }

  /** The private stream is back after a disconnect: pushes sent meanwhile are gone, one poll fills the gap. */
  async recover(): Promise<void> {
    this.counters.recoveries++;
    await this.poll();
  }

  // --- for the venue adapters -------------------------------------------------------------

  /** This venue's instruments (the kernel's list holds every exchange's), with their indices. */
  protected own(): [number, Instrument][] {
    return [...this.instruments.entries()].filter(([, i]) => i.exchange === this.id);
  }

  /** The tracked order a venue message names: by venue id, else by our client id (a push can beat the REST answer). */
  protected orderOf(venueOrderId: string, clientOrderId: string): TrackedOrder | undefined {
    const byVenue = venueOrderId ? this.tracker.byVenueId(venueOrderId) : undefined;
    if (byVenue) return byVenue;
    const t = clientOrderId ? this.tracker.byClientId(clientOrderId) : undefined;
    if (t && venueOrderId) this.tracker.setVenueId(t, venueOrderId);
    return t;
  }

  /** A fill the stream carried whole. */
  protected streamFill(t: TrackedOrder, f: FillInput): void {
    if (this.tracker.fill(t, f)) this.counters.streamFills++;
  }

  /** Runs stream-driven work after the work earlier messages started (and before `settled` resolves). */
  protected afterStreamWork(work: () => Promise<void> | void): void {
    this.streamWork = this.streamWork.then(work).catch(() => {
      // A failed read leaves the gap to the next poll.
    });
  }

  /** The stream says an order traded but carries no trade id (or no fee): read the fill history now. */
  protected readFillsForStream(): Promise<void> {
    return this.readFills(true);
  }

  /**
   * An order's venue state: acked while working; terminal once the fills reported cover what the
   * venue shows executed (`executed`, size units) — a fill not yet listed holds the end back.
   */
  protected settle(t: TrackedOrder, progress: OrderProgress, executed: number): void {
    if (progress === 'working') {
      this.tracker.ack(t);
      return;
    }
    if (progress === 'rejected') {
      this.tracker.rejected(t, 'venue_rejected');
      return;
    }
    if (executed > t.reported) return;
    if (progress === 'filled') this.tracker.finished(t);
    else if (progress === 'canceled') this.tracker.canceled(t);
    else this.tracker.expired(t);
  }

  /** Count a stream message of the order channel; false (and counted bad) when the parser refused it. */
  protected streamMessage(parsed: boolean): boolean {
    this.counters.streamMessages++;
    if (!parsed) this.counters.badStreamMessages++;
    return parsed;
  }

  /**
   * A stream message's sequence (Kraken `sequence`, Coinbase `sequence_num`, per connection): one
   * that skips ahead means a message was lost, and a poll fills the gap. A restart (a new
   * connection) is no gap: the reconnect's recovery poll covers it.
   */
  protected streamSequence(sequence: number): void {
    const last = this.lastSequence;
    this.lastSequence = sequence;
    if (last === undefined || sequence <= last + 1) return;
    this.counters.sequenceGaps++;
    this.afterStreamWork(() => this.poll());
  }

  /** The venue's fill history from `startMs` (venue ms) on this venue's instruments. */
  protected abstract fillsSince(startMs: number): Promise<VenueFill[]>;
  /** Query the venue state of each working order and `settle` it. */
  protected abstract refreshStates(working: readonly TrackedOrder[]): Promise<void>;

  private async readFills(forStream: boolean): Promise<void> {
    for (const f of await this.fillsSince(this.fillsFromMs)) {
      if (f.timeMs - LOOKBACK_MS > this.fillsFromMs) this.fillsFromMs = f.timeMs - LOOKBACK_MS;
      const t = this.tracker.byVenueId(f.venueOrderId);
      if (!t || !this.tracker.fill(t, f)) continue;
      if (forStream) this.counters.streamFills++;
      else this.counters.polledFills++;
    }
  }
}
