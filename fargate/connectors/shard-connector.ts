/**
 * One connection's worth of a venue's symbols ("shard"), with its own feed, kept connected:
 *
 *  - connect → (welcome) → subscribe → frames go, with their receive time, to the raw tap and the feed;
 *  - the feed's snapshot requests: 'rest' → GET through the venue's rate limiter (one in flight per
 *    symbol), 'resubscribe' → the venue's unsubscribe/subscribe for that book (at most one per symbol
 *    per resubscribeCooldownMs; deferred ones are skipped if the book recovered meanwhile), or a new
 *    connection where the venue cannot resubscribe one symbol;
 *  - connection lost → feed.onDisconnect (every book stale), 'disconnected', then reconnect with
 *    exponential backoff and jitter ('reconnecting'); the fresh subscription re-snapshots the books;
 *    'connected' reports the gap (lost → subscribed again); an alert after N failures in a row, and
 *    a 'resolved' alert when data flows again;
 *  - venues with a connection age limit (Binance, 24 h): a replacement connection is opened ahead of
 *    the limit and a Handover moves every stream across, then the old connection is closed — no gap;
 *  - the feed (or a listener it calls) throws: the frame is counted as a 'feed_error' rejection, one
 *    line per interval is logged (LogThrottle: repeats counted), and the connection is treated as
 *    broken — the feed's state is unknown after an exception, so every book goes stale and the usual
 *    reconnect (with its backoff) re-snapshots them. The backoff is reset only once every book is
 *    trusted again, so a feed that throws on every frame backs off instead of reconnecting in a loop.
 *
 * Why one feed per shard: a lost connection makes only its own books stale. One feed per venue would
 * turn every drop into a resync of all the venue's symbols (thousands of REST snapshots on Binance).
 */
import type { ConnectionState, MarketEvent, Micros, TradeEvent } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Random } from '../../core/sim/random.ts';
import type { FeedListener, SnapshotRequest, VenueFeed } from '../../core/venues/feed-types.ts';
import { heldBackNote, LogThrottle } from '../rate-limit/log-throttle.ts';
import { Backoff, type BackoffPolicy } from './backoff.ts';
import type { CancelTimer, Clock } from './clock.ts';
import {
  type ConnectionRef,
  type ConnectorListener,
  type LogLevel,
  newShardStats,
  type RawTap,
  type ShardStats,
} from './connector-events.ts';
import type { Handover } from './handover/handover.ts';
import type { ConnectTarget, VenueProtocol } from './protocols/venue-protocol.ts';
import type { RestClient } from './rest-client.ts';
import { VenueSocket } from './venue-socket.ts';

export interface RotationPolicy {
  /** Connection age at which the replacement is opened. */
  readonly rotateAfterMs: number;
  /** Longest overlap before switching anyway. */
  readonly syncTimeoutMs: number;
  /** Wait before another try when the replacement fails. */
  readonly retryMs: number;
}

export interface ShardOptions {
  exchange: ExchangeId;
  index: number;
  symbols: readonly string[];
  protocol: VenueProtocol;
  createFeed: (listener: FeedListener) => VenueFeed;
  listener: ConnectorListener;
  rawTap?: RawTap | undefined;
  clock: Clock;
  random: Random;
  rest: RestClient;
  reconnect: BackoffPolicy & { readonly alertAfterFailures: number };
  idleTimeoutMs: number;
  resubscribeCooldownMs: number;
  rotation?: RotationPolicy | undefined;
  /** Rate limit of feed-error log lines, shared by a venue's shards (default: one line per 10 s). */
  feedErrorLog?: LogThrottle | undefined;
}

/** Default interval of feed-error log lines. */
export const FEED_ERROR_LOG_INTERVAL_MS = 10_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An exception as one bounded line: its class and message (thrown by our code, but cut all the same). */
function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${typeof error}`;
  return text.length <= 160 ? text : `${text.slice(0, 160)}…`;
}

export class ShardConnector {
  readonly exchange: ExchangeId;
  readonly index: number;
  readonly symbols: readonly string[];
  readonly feed: VenueFeed;
  readonly stats: ShardStats = newShardStats();
  state: ConnectionState | 'idle' | 'stopped' = 'idle';

  private readonly o: ShardOptions;
  private readonly backoff: Backoff;
  private readonly listener: ConnectorListener;
  private readonly tap: RawTap | undefined;
  private active: VenueSocket | undefined;
  private standby: VenueSocket | undefined;
  private handover: Handover | undefined;
  private started = false;
  private stopped = false;
  private connections = 0;
  private awaitingFirstFrame = false;
  private alerted = false;
  /** The feed threw since the books were last all trusted: the failure streak (and backoff) goes on. */
  private feedFaulted = false;
  private readonly feedErrorLog: LogThrottle;
  /** When the last ready connection was lost (0: not in a gap). */
  private lostAt: Micros = 0;
  /** When the books started recovering from a lost connection (0: not recovering). */
  private recoveringSince: Micros = 0;
  private rotationStartedAt: Micros = 0;
  private reconnectTimer: CancelTimer | undefined;
  private rotationTimer: CancelTimer | undefined;
  private syncTimer: CancelTimer | undefined;
  private connectAbort = new AbortController();
  /** Aborted whenever the connection is lost: REST answers for a lost connection are useless. */
  private restAbort = new AbortController();
  private generation = 0;
  private readonly inflight = new Map<string, number>();
  private readonly lastResubscribe = new Map<string, number>();
  private readonly resubscribeTimers = new Map<string, CancelTimer>();
  private readonly refs = new WeakMap<VenueSocket, ConnectionRef>();
  /** Unified symbol → id of the last trade the feed emitted (rotating shards only). */
  private readonly lastTrade = new Map<string, string>();
  private lastActiveRef: ConnectionRef;

  constructor(options: ShardOptions) {
    this.o = options;
    this.exchange = options.exchange;
    this.index = options.index;
    this.symbols = options.symbols;
    this.listener = options.listener;
    this.tap = options.rawTap;
    this.backoff = new Backoff(options.reconnect, options.random);
    this.lastActiveRef = { shard: options.index, connection: 0 };
    this.feedErrorLog = options.feedErrorLog ?? new LogThrottle(FEED_ERROR_LOG_INTERVAL_MS);
    const user = options.listener;
    const userTrade = user.onTrade?.bind(user);
    // Shards that may switch connections remember each symbol's last trade id (one Map.set per
    // trade) so the switch can tell a repeated trade from a new one.
    const rotates = options.rotation !== undefined && options.protocol.createHandover !== undefined;
    // The feed's listener: the user's, plus snapshot requests and book recovery for us. onBook (the
    // hot one) goes straight to the user's function.
    const feedListener: FeedListener = {
      onBook: user.onBook?.bind(user),
      onTrade: rotates
        ? (trade: TradeEvent) => {
            this.lastTrade.set(trade.symbol, trade.tradeId);
            userTrade?.(trade);
          }
        : userTrade,
      onReject: user.onReject?.bind(user),
      onEvent: (event: MarketEvent) => {
        if (event.type === 'book_state' && event.state === 'trusted') this.onBookTrusted(event.localTs);
        user.onEvent?.(event);
      },
      onSnapshotRequest: (request: SnapshotRequest) => {
        this.onSnapshotRequest(request);
        user.onSnapshotRequest?.(request);
      },
    };
    this.feed = options.createFeed(feedListener);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.reconnectTimer?.();
    this.rotationTimer?.();
    this.syncTimer?.();
    for (const cancel of this.resubscribeTimers.values()) cancel();
    this.resubscribeTimers.clear();
    this.connectAbort.abort(new Error('stopped'));
    this.restAbort.abort(new Error('stopped'));
    this.active?.close('stopping');
    this.standby?.close('stopping');
    this.active = undefined;
    this.standby = undefined;
    this.handover = undefined;
    this.emit('disconnected', 'stopped');
    this.state = 'stopped';
  }

  // ── connecting ────────────────────────────────────────────────────────────────────────────────

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.stopped) return;
    const target = await this.prepare();
    if (this.stopped || target === undefined) return;
    if (typeof target === 'string') {
      this.attemptFailed(target);
      return;
    }
    const socket = this.open(target);
    if (socket) this.active = socket;
    else this.attemptFailed(`cannot open ${target.displayUrl}`);
  }

  /** Where to connect; a string says why not; undefined: aborted. */
  private async prepare(): Promise<ConnectTarget | string | undefined> {
    this.connectAbort = new AbortController();
    const signal = this.connectAbort.signal;
    try {
      return await this.o.protocol.target({
        rest: this.o.rest,
        signal,
        connectId: `${this.exchange}-${this.index}-${this.connections + 1}-${Math.floor(this.o.clock.nowMs())}`,
      });
    } catch (error) {
      if (this.stopped || signal.aborted) return undefined;
      return `cannot prepare the connection: ${message(error)}`;
    }
  }

  private open(target: ConnectTarget): VenueSocket | undefined {
    const ref: ConnectionRef = { shard: this.index, connection: ++this.connections };
    const p = this.o.protocol;
    try {
      const socket: VenueSocket = new VenueSocket({
        target,
        clock: this.o.clock,
        idleTimeoutMs: this.o.idleTimeoutMs,
        sendIntervalMs: p.sendIntervalMs,
        pingIntervalMs: p.pingIntervalMs,
        ping: p.ping?.bind(p),
        isWelcome: p.isWelcome?.bind(p),
        counters: this.stats,
        handlers: {
          onReady: () =>
            socket === this.standby ? this.onStandbyReady(socket, ref) : this.onActiveReady(socket, ref),
          onFrame: (raw, ts) => this.onFrame(socket, raw, ts, ref),
          onClosed: (reason, wasReady) => {
            if (socket === this.standby) this.onStandbyClosed(reason);
            else if (socket === this.active) this.onActiveClosed(reason, wasReady);
          },
          onSent: this.tap?.sent ? (raw, ts) => this.tap?.sent?.(this.exchange, raw, ts, ref) : undefined,
        },
      });
      this.refs.set(socket, ref);
      return socket;
    } catch (error) {
      this.log('error', `cannot open ${target.displayUrl}: ${message(error)}`);
      return undefined;
    }
  }

  private onActiveReady(socket: VenueSocket, ref: ConnectionRef): void {
    const now = this.o.clock.nowMicros();
    this.subscribeAll(socket);
    this.stats.connects++;
    this.awaitingFirstFrame = true;
    let detail = `${socket.displayUrl}, ${this.symbols.length} symbols`;
    if (this.lostAt > 0) {
      const gap = now - this.lostAt;
      this.stats.lastGapMicros = gap;
      this.stats.totalGapMicros += gap;
      if (gap > this.stats.maxGapMicros) this.stats.maxGapMicros = gap;
      this.lostAt = 0;
      detail += `, reconnected after a gap of ${(gap / 1000).toFixed(1)} ms`;
      this.log('info', `reconnected after a gap of ${(gap / 1000).toFixed(1)} ms`);
    }
    this.tap?.connection?.(this.exchange, 'open', socket.displayUrl, now, ref);
    this.emit('connected', detail, now);
    this.armRotation(socket);
  }

  private subscribeAll(socket: VenueSocket): void {
    for (const m of this.o.protocol.subscribe(this.symbols)) socket.send(m);
    const now = this.o.clock.nowMs();
    for (const s of this.symbols) this.lastResubscribe.set(s, now);
  }

  /** Hot path: every frame of every connection of this shard. */
  private onFrame(socket: VenueSocket, raw: string, ts: Micros, ref: ConnectionRef): void {
    const h = this.handover;
    if (h !== undefined) {
      this.onHandoverFrame(h, socket, raw, ts);
      return;
    }
    this.deliver(raw, ts, ref);
  }

  /** Frames while two connections overlap, and on the new one until it cannot repeat the old one. */
  private onHandoverFrame(h: Handover, socket: VenueSocket, raw: string, ts: Micros): void {
    if (this.standby === undefined) {
      h.fromNew(raw, ts);
      if (h.drained) this.endHandover();
      return;
    }
    if (socket === this.standby) h.fromNew(raw, ts);
    else h.fromOld(raw, ts);
    if (h.complete && this.handover === h && this.standby !== undefined)
      this.finishRotation(false, 'every stream moved');
  }

  private endHandover(): void {
    const h = this.handover;
    this.syncTimer?.();
    this.syncTimer = undefined;
    this.handover = undefined;
    if (h) this.stats.overlapDuplicates += h.duplicates;
  }

  private deliver(raw: string, ts: Micros, ref: ConnectionRef): void {
    if (this.awaitingFirstFrame) this.firstFrame();
    this.stats.framesReceived++;
    this.tap?.frame(this.exchange, raw, ts, ref);
    try {
      this.feed.onMessage(raw, ts);
    } catch (error) {
      this.onFeedError(error, 'a frame', raw);
    }
  }

  /** Data flows on a fresh connection: the failure streak is over (unless the feed threw: see onBookTrusted). */
  private firstFrame(): void {
    this.awaitingFirstFrame = false;
    if (!this.feedFaulted) this.endFailureStreak();
  }

  private endFailureStreak(): void {
    this.backoff.reset();
    const failures = this.stats.consecutiveFailures;
    this.stats.consecutiveFailures = 0;
    if (this.alerted) {
      this.alerted = false;
      this.alert('resolved', failures, 'data is flowing again');
    }
  }

  // ── losing the connection ─────────────────────────────────────────────────────────────────────

  private onActiveClosed(reason: string, wasReady: boolean): void {
    this.forgetActive();
    this.rotationTimer?.();
    this.rotationTimer = undefined;
    if (this.standby?.ready && this.handover) {
      // The old connection went first (e.g. the 24 h limit hit mid-overlap): the replacement takes over.
      this.finishRotation(true, `old connection ${reason}`);
      return;
    }
    this.dropStandby();
    if (wasReady) this.lose(reason);
    else this.stats.failedAttempts++;
    this.countFailure(reason);
    this.scheduleReconnect(reason);
  }

  private forgetActive(): void {
    if (this.active) this.lastActiveRef = this.refs.get(this.active) ?? this.lastActiveRef;
    this.active = undefined;
  }

  /** A ready connection is gone: books stale, pending snapshot work void. */
  private lose(reason: string, quiet = false): void {
    const now = this.o.clock.nowMicros();
    const ref = this.lastActiveRef;
    this.stats.disconnects++;
    if (this.lostAt === 0) this.lostAt = now;
    this.recoveringSince = now;
    this.awaitingFirstFrame = false;
    this.newGeneration();
    try {
      this.feed.onDisconnect(now);
    } catch (error) {
      this.countFeedError(error, 'a disconnect', '');
    }
    this.tap?.connection?.(this.exchange, 'lost', '', now, ref);
    this.emit('disconnected', reason, now);
    if (!quiet) this.log('warn', `connection lost: ${reason}`);
  }

  // ── the feed threw ────────────────────────────────────────────────────────────────────────────

  /**
   * The feed (or a listener it called) threw while handling `what`: count it, log it (rate-limited),
   * and drop the connection — the books it fed may be half-updated, so they go stale and are
   * re-snapshotted on the next connection, after the reconnect backoff.
   */
  private onFeedError(error: unknown, what: string, raw: string): void {
    this.countFeedError(error, what, raw);
    if (this.stopped) return;
    this.feedFaulted = true;
    const reason = `the feed threw on ${what}`;
    const socket = this.active;
    this.dropStandby();
    let detail = 'not connected';
    if (socket) {
      this.forgetActive();
      this.rotationTimer?.();
      this.rotationTimer = undefined;
      socket.close(reason);
      if (socket.ready) this.lose(reason, true);
      else this.stats.failedAttempts++;
      this.countFailure(reason);
      this.scheduleReconnect(reason);
      detail = `books stale, reconnecting in ${this.stats.lastReconnectDelayMs} ms`;
    }
    const held = this.feedErrorLog.admit('feed_error', this.o.clock.nowMs());
    if (held >= 0) this.log('error', `${reason} (${describeError(error)}): ${detail}${heldBackNote(held)}`);
  }

  /** A feed exception as a counted rejection (the feed's counters, so metrics and health see it). */
  private countFeedError(error: unknown, what: string, raw: string): void {
    this.stats.feedErrors++;
    const c = this.feed.counters;
    c.rejected++;
    c.rejectedByReason.feed_error = (c.rejectedByReason.feed_error ?? 0) + 1;
    try {
      this.listener.onReject?.('feed_error', `on ${what}: ${describeError(error)}`, raw);
    } catch {
      // A listener that throws on a rejection has nothing more to be told; it is counted above.
    }
  }

  private attemptFailed(reason: string): void {
    this.stats.failedAttempts++;
    this.countFailure(reason);
    this.scheduleReconnect(reason);
  }

  private countFailure(reason: string): void {
    const n = ++this.stats.consecutiveFailures;
    if (n === this.o.reconnect.alertAfterFailures) {
      this.alerted = true;
      this.alert('connection_failures', n, `${n} connection failures in a row, last: ${reason}`);
    }
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.stats.lastReconnectDelayMs = delay;
    this.emit('reconnecting', `attempt ${this.backoff.attempts} in ${delay} ms (${reason})`);
    this.reconnectTimer = this.o.clock.setTimer(delay, () => void this.connect());
  }

  /** Replace the connection now (a book needs a snapshot the venue only sends on a new one). */
  private reconnectNow(reason: string): void {
    const socket = this.active;
    if (!socket?.ready || this.standby || this.stopped) return;
    this.forgetActive();
    this.rotationTimer?.();
    this.rotationTimer = undefined;
    socket.close(reason);
    this.lose(reason);
    this.emit('reconnecting', `now (${reason})`);
    void this.connect();
  }

  private newGeneration(): void {
    this.generation++;
    this.restAbort.abort(new Error('connection lost'));
    this.restAbort = new AbortController();
    this.inflight.clear();
    for (const cancel of this.resubscribeTimers.values()) cancel();
    this.resubscribeTimers.clear();
  }

  private onBookTrusted(localTs: Micros): void {
    if (this.recoveringSince === 0 && !this.feedFaulted) return;
    for (const sb of this.feed.books()) if (sb.trust !== 'trusted') return;
    if (this.feedFaulted) {
      this.feedFaulted = false;
      this.endFailureStreak();
    }
    if (this.recoveringSince === 0) return;
    this.stats.lastRecoveryMicros = localTs - this.recoveringSince;
    this.recoveringSince = 0;
    this.log(
      'info',
      `all books trusted again ${(this.stats.lastRecoveryMicros / 1000).toFixed(1)} ms after the loss`,
    );
  }

  // ── snapshots ─────────────────────────────────────────────────────────────────────────────────

  private onSnapshotRequest(request: SnapshotRequest): void {
    this.stats.snapshotRequests++;
    if (request.method === 'rest') this.fetchSnapshot(request);
    else this.resubscribe(request);
  }

  private fetchSnapshot(request: SnapshotRequest): void {
    const symbol = request.venueSymbol;
    if (!request.path) {
      this.log('error', `${symbol}: REST snapshot request without a path`);
      return;
    }
    if (this.inflight.has(symbol)) return;
    const generation = this.generation;
    this.inflight.set(symbol, generation);
    const signal = this.restAbort.signal;
    this.o.rest.get(request.path, request.weight ?? 1, signal).then(
      (res) => {
        if (this.inflight.get(symbol) === generation) this.inflight.delete(symbol);
        if (this.stopped || generation !== this.generation) return;
        this.stats.snapshotsDelivered++;
        this.tap?.rest?.(this.exchange, res.url, symbol, res.body, res.receivedAt);
        try {
          this.feed.onSnapshot(symbol, res.body, res.receivedAt);
        } catch (error) {
          this.onFeedError(error, `the ${symbol} snapshot`, res.body);
        }
      },
      (error: unknown) => {
        if (this.inflight.get(symbol) === generation) this.inflight.delete(symbol);
        if (!signal.aborted) this.log('error', `${symbol}: snapshot failed: ${message(error)}`);
      },
    );
  }

  private resubscribe(request: SnapshotRequest): void {
    const symbol = request.venueSymbol;
    const messages = this.o.protocol.resubscribeBook(symbol, request.topic);
    if (!messages) {
      this.reconnectNow(`${symbol} needs a new snapshot (${request.reason})`);
      return;
    }
    // Not connected: the next connection subscribes everything afresh (snapshots included).
    if (!this.active?.ready || this.resubscribeTimers.has(symbol)) return;
    const now = this.o.clock.nowMs();
    const due = (this.lastResubscribe.get(symbol) ?? Number.NEGATIVE_INFINITY) + this.o.resubscribeCooldownMs;
    if (now >= due) {
      this.sendResubscribe(symbol, messages, request.reason);
      return;
    }
    this.resubscribeTimers.set(
      symbol,
      this.o.clock.setTimer(due - now, () => {
        this.resubscribeTimers.delete(symbol);
        if (!this.active?.ready || this.bookTrusted(symbol)) return;
        this.sendResubscribe(symbol, messages, request.reason);
      }),
    );
  }

  private sendResubscribe(symbol: string, messages: readonly string[], reason: string): void {
    const socket = this.active;
    if (!socket) return;
    for (const m of messages) socket.send(m);
    this.lastResubscribe.set(symbol, this.o.clock.nowMs());
    this.stats.resubscribes++;
    this.log('info', `${symbol}: resubscribing its book (${reason})`);
  }

  private lastTradeIdOf(venueSymbol: string): number {
    for (const sb of this.feed.books()) {
      if (sb.venueSymbol.toUpperCase() === venueSymbol)
        return Number(this.lastTrade.get(sb.symbol) ?? Number.NaN);
    }
    return Number.NaN;
  }

  private bookTrusted(venueSymbol: string): boolean {
    for (const sb of this.feed.books()) if (sb.venueSymbol === venueSymbol) return sb.trust === 'trusted';
    return false;
  }

  // ── planned rotation (connection age limit) ───────────────────────────────────────────────────

  private armRotation(socket: VenueSocket): void {
    const r = this.o.rotation;
    if (!r || !this.o.protocol.createHandover) return;
    this.rotationTimer?.();
    const age = this.o.clock.nowMs() - socket.openedAtMs;
    this.rotationTimer = this.o.clock.setTimer(Math.max(0, r.rotateAfterMs - age), () => {
      this.rotationTimer = undefined;
      void this.startRotation();
    });
  }

  private async startRotation(): Promise<void> {
    if (this.stopped || !this.active?.ready || this.standby) return;
    this.log('info', 'opening a replacement connection ahead of the connection age limit');
    const target = await this.prepare();
    if (this.stopped || !this.active?.ready || target === undefined) return;
    if (typeof target === 'string') {
      this.retryRotation(target);
      return;
    }
    this.rotationStartedAt = this.o.clock.nowMicros();
    this.standby = this.open(target);
    if (!this.standby) this.retryRotation('could not open the replacement');
  }

  private onStandbyReady(socket: VenueSocket, newRef: ConnectionRef): void {
    const r = this.o.rotation;
    const create = this.o.protocol.createHandover;
    const oldRef = this.active && this.refs.get(this.active);
    if (!r || !create || !oldRef) return;
    this.endHandover(); // a previous switch's tail, if still running
    this.handover = create.call(
      this.o.protocol,
      this.feed,
      this.symbols,
      (raw, ts, fromNew) => this.deliver(raw, ts, fromNew ? newRef : oldRef),
      (venueSymbol) => this.lastTradeIdOf(venueSymbol),
    );
    this.subscribeAll(socket);
    this.syncTimer = this.o.clock.setTimer(r.syncTimeoutMs, () => {
      this.syncTimer = undefined;
      this.finishRotation(true, `not every stream lined up within ${r.syncTimeoutMs} ms`);
    });
  }

  private onStandbyClosed(reason: string): void {
    this.dropStandby();
    this.retryRotation(`replacement connection ${reason}`);
  }

  private retryRotation(reason: string): void {
    const r = this.o.rotation;
    if (!r || this.stopped) return;
    this.log('warn', `rotation postponed ${r.retryMs} ms: ${reason}`);
    this.rotationTimer?.();
    this.rotationTimer = this.o.clock.setTimer(r.retryMs, () => {
      this.rotationTimer = undefined;
      void this.startRotation();
    });
  }

  private dropStandby(): void {
    this.endHandover();
    const s = this.standby;
    this.standby = undefined;
    s?.close('rotation abandoned');
  }

  private finishRotation(forced: boolean, why: string): void {
    const h = this.handover;
    const next = this.standby;
    if (!h || !next) return;
    this.syncTimer?.();
    this.syncTimer = undefined;
    this.standby = undefined;
    const old = this.active;
    this.active = next;
    old?.close('replaced by a newer connection');
    h.finish();
    this.stats.rotations++;
    if (forced) this.stats.forcedRotations++;
    if (h.drained) this.endHandover();
    else {
      // Keep dropping repeats on the new connection for a while (bounded: stop parsing after syncTimeoutMs).
      const r = this.o.rotation;
      this.syncTimer = this.o.clock.setTimer(r?.syncTimeoutMs ?? 60_000, () => {
        this.syncTimer = undefined;
        this.endHandover();
      });
    }
    const now = this.o.clock.nowMicros();
    const overlapMs = ((now - this.rotationStartedAt) / 1000).toFixed(1);
    const detail = `switched to a new connection after ${overlapMs} ms of overlap (${why})`;
    this.tap?.connection?.(
      this.exchange,
      'open',
      next.displayUrl,
      now,
      this.refs.get(next) ?? this.lastActiveRef,
    );
    this.emit('connected', detail, now);
    this.log(forced ? 'warn' : 'info', detail);
    this.armRotation(next);
  }

  // ── output ────────────────────────────────────────────────────────────────────────────────────

  private emit(state: ConnectionState, detail: string, localTs: Micros = this.o.clock.nowMicros()): void {
    this.state = state;
    this.listener.onEvent?.({
      type: 'connection',
      exchange: this.exchange,
      symbol: '',
      exchangeTs: 0,
      localTs,
      state,
      detail: `#${this.index} ${detail}`,
    });
  }

  private alert(kind: 'connection_failures' | 'resolved', failures: number, detail: string): void {
    this.listener.onAlert?.({
      type: 'alert',
      kind,
      exchange: this.exchange,
      shard: this.index,
      localTs: this.o.clock.nowMicros(),
      consecutiveFailures: failures,
      detail,
    });
    this.log(kind === 'resolved' ? 'info' : 'error', `ALERT ${kind}: ${detail}`);
  }

  private log(level: LogLevel, text: string): void {
    this.listener.onLog?.(level, this.exchange, `#${this.index} ${text}`);
  }
}
