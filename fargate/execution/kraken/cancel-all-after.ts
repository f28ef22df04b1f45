/**
 * Kraken's dead-man switch: `CancelAllOrdersAfter` with `timeout` (s) cancels every order of the key
 * when the timer runs out; each call restarts it and `timeout=0` disarms it. Armed when order entry
 * starts and refreshed well inside the timeout (Kraken's advice: every 15–30 s with 60), so a
 * process that dies or loses the venue leaves nothing resting for more than a minute. A failed
 * refresh is told to `onError` and tried again at the next tick: the venue-side timer still runs.
 */
import type { CancelTimer, Clock } from '../../connectors/clock.ts';
import type { KrakenRest } from './kraken-rest.ts';

export interface CancelAllAfterOptions {
  /** Seconds the venue waits before cancelling (default 60). */
  readonly timeoutS?: number;
  /** Refresh period, ms (default 20 000). */
  readonly refreshMs?: number;
  readonly onError?: (error: unknown) => void;
}

export class CancelAllAfter {
  refreshes = 0;
  failures = 0;
  /** The venue's `triggerTime` of the last successful arm ('0' once disarmed). */
  triggerTime = '';
  private timer: CancelTimer | undefined;
  private readonly timeoutS: number;
  private readonly refreshMs: number;

  constructor(
    private readonly rest: KrakenRest,
    private readonly clock: Pick<Clock, 'setTimer'>,
    private readonly options: CancelAllAfterOptions = {},
  ) {
    this.timeoutS = options.timeoutS ?? 60;
    this.refreshMs = options.refreshMs ?? 20_000;
    if (!(this.refreshMs < this.timeoutS * 1000)) throw new Error('refresh must come before the timeout');
  }

  get armed(): boolean {
    return this.timer !== undefined;
  }

  /** Arm now (throws when the venue refuses) and keep refreshing. */
  async arm(): Promise<void> {
    await this.send(this.timeoutS);
    this.schedule();
  }

  /** Stop refreshing and disarm on the venue. */
  async stop(): Promise<void> {
    this.timer?.();
    this.timer = undefined;
    await this.send(0);
  }

  private schedule(): void {
    this.timer = this.clock.setTimer(this.refreshMs, () => {
      this.send(this.timeoutS).catch((error: unknown) => {
        this.failures++;
        this.options.onError?.(error);
      });
      this.schedule();
    });
  }

  private async send(timeoutS: number): Promise<void> {
    const result = await this.rest.call('CancelAllOrdersAfter', { timeout: String(timeoutS) });
    if (timeoutS > 0) this.refreshes++;
    const trigger =
      typeof result === 'object' && result !== null
        ? (result as { triggerTime?: unknown }).triggerTime
        : undefined;
    this.triggerTime = typeof trigger === 'string' ? trigger : '';
  }
}
