/**
 * Play a Timeline into a venue's truth at 1×, N× or maximum speed, looping.
 *
 * Loop boundary: each symbol's book is turned back into the recording's first book with ONE delta,
 * through the same path as every other change — so the venue's update ids keep increasing and a
 * client sees an ordinary update (no gap, no reset) where the recording starts over.
 *
 * Timing: step times come from the capture's receive times (`localTs`); at speed N a step recorded t
 * after the start is applied t/N after the (loop's) start. 'max' applies steps in batches of
 * `batch`, yielding to the event loop between batches (sockets drain, REST answers) and waiting while
 * `backpressure()` says a client is behind.
 */

import type { Clock } from '../clock.ts';
import type { TruthBook } from '../truth/truth-book.ts';
import type { VenueMarket } from '../truth/venue-market.ts';
import type { MarketSource } from './market-source.ts';
import type { Timeline } from './timeline.ts';

export type ReplaySpeed = number | 'max';

export interface ReplayOptions {
  /** 1 = as recorded; 10 = ten times faster; 'max' = as fast as the clients read. Default 1. */
  readonly speed?: ReplaySpeed;
  /** Start over at the end. Default true. */
  readonly loop?: boolean;
  /** 'max' speed: steps per batch. Default 200. */
  readonly batch?: number;
  /** 'max' speed: true while some client is too far behind (the source waits). */
  readonly backpressure?: () => boolean;
  readonly clock: Clock;
}

export class ReplaySource implements MarketSource {
  readonly timeline: Timeline;
  private readonly market: VenueMarket;
  private readonly speed: ReplaySpeed;
  private readonly loop: boolean;
  private readonly batch: number;
  private readonly backpressure: () => boolean;
  private readonly clock: Clock;
  private readonly truths: TruthBook[] = [];
  private readonly truthOf = new Map<string, TruthBook>();
  /** Index of the next step. */
  private next = 0;
  /** Recording time (µs since its start) reached when paused / at the loop's start. */
  private position = 0;
  /** Wall time the current stretch started at (µs), and the recording position at that moment. */
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private state: 'idle' | 'running' | 'paused' | 'stopped' = 'idle';
  /** Completed passes over the recording. */
  loops = 0;
  /** Steps applied (all passes). */
  applied = 0;

  constructor(market: VenueMarket, timeline: Timeline, options: ReplayOptions) {
    this.market = market;
    this.timeline = timeline;
    this.speed = options.speed ?? 1;
    this.loop = options.loop ?? true;
    this.batch = options.batch ?? 200;
    this.backpressure = options.backpressure ?? (() => false);
    this.clock = options.clock;
    if (this.speed !== 'max' && !(this.speed > 0))
      throw new Error(`replay speed must be > 0 or 'max', got ${this.speed}`);
    for (const [vs, instrument] of timeline.instruments) {
      if (market.get(vs)) throw new Error(`${market.exchange} ${vs}: already played by another source`);
      const t = market.addSymbol(instrument, timeline.initial.get(vs));
      this.truths.push(t);
      this.truthOf.set(vs, t);
    }
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** Symbols this source plays. */
  symbols(): readonly TruthBook[] {
    return this.truths;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.startedAt = this.clock();
    this.schedule(0);
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.position = this.elapsed();
    this.clearTimers();
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.startedAt = this.clock();
    this.schedule(0);
  }

  stop(): void {
    this.clearTimers();
    this.state = 'stopped';
  }

  /** Apply every remaining step of this pass now (tests; 'max' without waiting). Returns steps applied. */
  drain(): number {
    const before = this.applied;
    while (this.next < this.timeline.steps.length) this.apply(this.next++);
    return this.applied - before;
  }

  /** Recording position now (µs since the recording's start). */
  private elapsed(): number {
    if (this.speed === 'max') return this.position;
    return this.position + (this.clock() - this.startedAt) * this.speed;
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private schedule(ms: number): void {
    if (this.state !== 'running') return;
    if (ms <= 0 && this.speed === 'max') {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.tick();
      });
      return;
    }
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.tick();
      },
      Math.max(0, ms),
    );
  }

  private tick(): void {
    if (this.state !== 'running') return;
    const steps = this.timeline.steps;
    if (this.speed === 'max') {
      if (this.backpressure()) {
        this.schedule(2);
        return;
      }
      const stop = Math.min(steps.length, this.next + this.batch);
      while (this.next < stop) this.apply(this.next++);
      this.position = this.next < steps.length ? steps[this.next]!.at : this.timeline.duration;
    } else {
      const now = this.elapsed();
      while (this.next < steps.length && steps[this.next]!.at <= now) this.apply(this.next++);
    }
    if (this.next < steps.length) {
      const wait = this.speed === 'max' ? 0 : (steps[this.next]!.at - this.elapsed()) / this.speed / 1000;
      this.schedule(Math.ceil(wait));
      return;
    }
    // End of the recording: wait out its last stretch, then start over.
    const rest = this.speed === 'max' ? 0 : (this.timeline.duration - this.elapsed()) / this.speed / 1000;
    if (rest > 0) {
      this.schedule(Math.ceil(rest));
      return;
    }
    if (!this.loop) {
      this.state = 'stopped';
      return;
    }
    this.restart();
    this.schedule(0);
  }

  /** Loop boundary: every book back to the recording's first state, ids still increasing. */
  restart(): void {
    for (const t of this.truths) {
      const first = this.timeline.initial.get(t.venueSymbol);
      if (first) this.market.resetTo(t, first);
    }
    this.loops++;
    this.next = 0;
    this.position = 0;
    this.startedAt = this.clock();
  }

  private apply(index: number): void {
    const step = this.timeline.steps[index]!;
    const t = this.truthOf.get(step.venueSymbol);
    if (!t) return;
    if (step.delta) this.market.applyDelta(t, step.delta);
    if (step.trade) this.market.trade(t, step.trade.price, step.trade.size, step.trade.side);
    this.applied++;
  }
}
