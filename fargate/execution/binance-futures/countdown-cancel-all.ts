/**
 * The USD-M dead-man switch: `POST /fapi/v1/countdownCancelAll` (symbol, countdownTime ms) makes the
 * venue cancel every open order of the symbol unless refreshed in time. Armed for each traded
 * symbol while trading, refreshed every `refreshMs` (default 30 s with a 120 s countdown, the
 * docs' example), stopped with countdownTime 0. A dead task stops refreshing, so its orders go.
 */
import type { CancelTimer, Clock } from '../../connectors/clock.ts';
import type { BinanceRest } from '../binance/binance-rest.ts';

export const COUNTDOWN_PATH = '/fapi/v1/countdownCancelAll';
const WEIGHT = 10;

export interface CountdownOptions {
  readonly countdownMs?: number;
  readonly refreshMs?: number;
  readonly onError?: (symbol: string, error: unknown) => void;
}

export class CountdownCancelAll {
  arms = 0;
  failures = 0;
  private readonly symbols = new Set<string>();
  private timer: CancelTimer | undefined;
  private readonly countdownMs: number;
  private readonly refreshMs: number;

  constructor(
    private readonly rest: BinanceRest,
    private readonly clock: Pick<Clock, 'setTimer'>,
    private readonly options: CountdownOptions = {},
  ) {
    this.countdownMs = options.countdownMs ?? 120_000;
    this.refreshMs = options.refreshMs ?? 30_000;
    if (this.refreshMs >= this.countdownMs)
      throw new RangeError('countdown refresh must come before the countdown ends');
  }

  /** Arm for `symbol` now and keep refreshing it. */
  async arm(symbol: string): Promise<void> {
    this.symbols.add(symbol);
    await this.send(symbol, this.countdownMs);
    if (!this.timer) this.schedule();
  }

  get armed(): ReadonlySet<string> {
    return this.symbols;
  }

  /** Stop refreshing and disarm every symbol (countdownTime 0). */
  async stop(): Promise<void> {
    this.timer?.();
    this.timer = undefined;
    const symbols = [...this.symbols];
    this.symbols.clear();
    await Promise.all(symbols.map((s) => this.send(s, 0)));
  }

  private schedule(): void {
    this.timer = this.clock.setTimer(this.refreshMs, () => {
      this.timer = undefined;
      if (this.symbols.size === 0) return;
      for (const s of this.symbols) void this.send(s, this.countdownMs);
      this.schedule();
    });
  }

  private async send(symbol: string, countdownMs: number): Promise<void> {
    try {
      await this.rest.signed('POST', COUNTDOWN_PATH, { symbol, countdownTime: String(countdownMs) }, WEIGHT);
      if (countdownMs > 0) this.arms++;
    } catch (error) {
      this.failures++;
      this.options.onError?.(symbol, error);
    }
  }
}
