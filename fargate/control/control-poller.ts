/**
 * The task's cloud control port: what the control function writes (fargate/control/control-table.ts)
 * reaches the task's TradingControl — the same calls the local HTTP routes make — by two paths:
 *
 *   - the control queue, long-polled: a kill notice halts at once, any notice triggers a read of
 *     the control item (sub-second in practice);
 *   - a read of the control item every 250 ms, the fallback when a message is late or lost.
 *
 * Each new epoch is applied once (killed → kill, not killed → reset with the task's own admin
 * token, since the function already checked the caller's), each new params version once
 * (setRiskParams). After each the task writes its acknowledgement (the kernel's KillReport or
 * ControlResult) and a fresh position report, which the function answers with.
 *
 * At start the item's state is brought to the kernel: a kill recorded while no task ran halts the
 * new one, and the last accepted risk params are applied. Applies run one at a time, in order.
 */
import type { ControlAck, ControlNotice, ControlState } from '../../core/control/control-item.ts';
import { parseControlNotice } from '../../core/control/control-item.ts';
import type { ControlResult, KillReport, TradingControl } from '../../core/trading/trading-control.ts';
import type { CancelTimer, Clock } from '../connectors/clock.ts';
import type { ControlQueue } from './control-queue.ts';
import type { ControlTable } from './control-table.ts';

export const CONTROL_POLL_MS = 250;
/** SQS's longest long poll. */
const LONG_POLL_SECONDS = 20;

export interface ControlPollerOptions {
  readonly table: ControlTable;
  readonly queue?: ControlQueue;
  readonly control: TradingControl;
  /** The task's admin token: applies a reset or params change the function already authorized. */
  readonly adminToken: string;
  readonly clock: Clock;
  readonly pollEveryMs?: number;
  /** After each applied change (the position report writer reports at once). */
  readonly onApplied?: () => Promise<void>;
  readonly log: (line: string) => void;
}

export interface ControlPollerStats {
  polls: number;
  pollErrors: number;
  notices: number;
  kills: number;
  resets: number;
  paramChanges: number;
}

export class ControlPoller {
  private epoch = -1;
  private paramsVersion = -1;
  private readonly lastAck: { kill?: KillReport; reset?: ControlResult; params?: ControlResult } = {};
  private chain: Promise<void> = Promise.resolve();
  private timer: CancelTimer | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  private listening: Promise<void> | undefined;
  private readonly pollEveryMs: number;
  readonly stats: ControlPollerStats = {
    polls: 0,
    pollErrors: 0,
    notices: 0,
    kills: 0,
    resets: 0,
    paramChanges: 0,
  };

  constructor(private readonly options: ControlPollerOptions) {
    this.pollEveryMs = options.pollEveryMs ?? CONTROL_POLL_MS;
  }

  /** Bring the item's state to the kernel, then poll and listen. */
  async start(): Promise<void> {
    const state = await this.options.table.control();
    await this.serialized(() => this.adopt(state));
    this.schedule();
    if (this.options.queue) this.listening = this.listen(this.options.queue);
  }

  /** One poll of the control item (the timer calls it; tests call it directly). */
  poll(): Promise<void> {
    this.stats.polls++;
    return this.serialized(async () => {
      try {
        await this.apply(await this.options.table.control());
      } catch (error) {
        this.stats.pollErrors++;
        this.options.log(`control poll failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  /** A queue notice: a kill halts without waiting for the read; then the item decides. */
  async onNotice(body: string | undefined): Promise<void> {
    this.stats.notices++;
    const notice = parseControlNotice(body);
    if (notice?.killed && notice.epoch > this.epoch)
      await this.serialized(() => this.applyKill(notice.epoch, this.reasonOf(notice)));
    await this.poll();
  }

  /** Resolves when every apply started so far has finished. */
  settled(): Promise<void> {
    return this.chain;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.();
    this.abort.abort();
    await this.listening?.catch(() => undefined);
    await this.chain;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimer(this.pollEveryMs, () => {
      void this.poll().then(() => this.schedule());
    });
  }

  private async listen(queue: ControlQueue): Promise<void> {
    while (!this.stopped) {
      try {
        const messages = await queue.receive(LONG_POLL_SECONDS, this.abort.signal);
        for (const m of messages) {
          await this.onNotice(m.body);
          await queue.delete(m.receipt);
        }
      } catch (error) {
        if (this.stopped) return;
        this.options.log(
          `control queue receive failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        // The 250 ms poll carries on meanwhile; wait a little before asking the queue again.
        await new Promise<void>((resolve) => this.options.clock.setTimer(1_000, resolve));
      }
    }
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** At start: the kernel follows the item; nothing is acknowledged that was not applied now. */
  private async adopt(state: ControlState): Promise<void> {
    const halted = this.options.control.status().tradingState === 'HALTED';
    this.epoch = state.epoch;
    if (state.killed && !halted) await this.applyKill(state.epoch, this.reasonOf(state));
    if (state.riskParams !== undefined) await this.applyParams(state);
    this.paramsVersion = state.paramsVersion;
  }

  private async apply(state: ControlState): Promise<void> {
    if (state.epoch > this.epoch) {
      if (state.killed) await this.applyKill(state.epoch, this.reasonOf(state));
      else await this.applyReset(state.epoch);
    }
    if (state.paramsVersion > this.paramsVersion && state.riskParams !== undefined) {
      await this.applyParams(state);
      this.paramsVersion = state.paramsVersion;
    }
  }

  private async applyKill(epoch: number, reason: string): Promise<void> {
    if (epoch <= this.epoch && this.lastAck.kill) return;
    this.epoch = Math.max(this.epoch, epoch);
    this.stats.kills++;
    this.options.log(`control: kill (epoch ${epoch}): ${reason}`);
    this.lastAck.kill = await this.options.control.kill(reason);
    await this.acknowledge(epoch);
  }

  private async applyReset(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.stats.resets++;
    const result = this.options.control.reset(this.options.adminToken);
    this.options.log(`control: reset (epoch ${epoch}): ${result.ok ? 'done' : result.problems.join('; ')}`);
    this.lastAck.reset = result;
    await this.acknowledge(epoch);
  }

  private async applyParams(state: ControlState): Promise<void> {
    this.stats.paramChanges++;
    let result: ControlResult;
    try {
      result = this.options.control.setRiskParams(
        JSON.parse(state.riskParams ?? 'null'),
        this.options.adminToken,
      );
    } catch (error) {
      result = { ok: false, status: 400, problems: [`stored params unreadable: ${String(error)}`] };
    }
    this.options.log(
      `control: risk params version ${state.paramsVersion} ${result.ok ? 'applied' : `refused: ${result.problems.join('; ')}`}`,
    );
    this.lastAck.params = result;
    this.paramsVersion = state.paramsVersion;
    await this.acknowledge(this.epoch);
  }

  private async acknowledge(epoch: number): Promise<void> {
    const ack: ControlAck = {
      epoch,
      paramsVersion: Math.max(0, this.paramsVersion),
      atMs: Math.floor(this.options.clock.nowMicros() / 1000),
      ...this.lastAck,
    };
    try {
      await this.options.table.writeAck(ack);
      await this.options.onApplied?.();
    } catch (error) {
      this.options.log(
        `control acknowledgement failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private reasonOf(change: Pick<ControlNotice, 'reason' | 'actor'>): string {
    return change.actor ? `${change.reason} (by ${change.actor})` : change.reason;
  }
}
