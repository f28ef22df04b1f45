/**
 * The task's position report: its TradingStatusJson (positions, open orders, PnL, trading state)
 * written to the control table every few seconds and after each applied control change. The
 * control function's GET /status answers from it, and the reconcile function checks it against
 * the venues' own numbers — an old report is itself an alarm (the task is dead or cut off).
 *
 * Off the hot path: one status() and one PutItem per interval; a failed write is logged and
 * counted, and the next interval tries again.
 */
import type { TradingControl } from '../../core/trading/trading-control.ts';
import type { CancelTimer, Clock } from '../connectors/clock.ts';
import type { ControlTable } from './control-table.ts';

export const REPORT_EVERY_MS = 5_000;

export interface PositionReportWriterOptions {
  readonly table: ControlTable;
  readonly control: TradingControl;
  /** The task's lease owner, so a report names who wrote it. */
  readonly owner: string;
  readonly clock: Clock;
  readonly everyMs?: number;
  readonly log: (line: string) => void;
}

export class PositionReportWriter {
  private timer: CancelTimer | undefined;
  private stopped = false;
  private writing: Promise<void> = Promise.resolve();
  failures = 0;
  written = 0;

  constructor(private readonly options: PositionReportWriterOptions) {}

  start(): void {
    this.schedule();
  }

  /** Write one report now (after a control change, and on the interval). */
  report(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const { table, control, clock, owner } = this.options;
      try {
        await table.writeReport({
          atMs: Math.floor(clock.nowMicros() / 1000),
          owner,
          status: control.status(),
        });
        this.written++;
      } catch (error) {
        this.failures++;
        this.options.log(`position report failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.writing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.();
    await this.writing;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimer(this.options.everyMs ?? REPORT_EVERY_MS, () => {
      void this.report().then(() => this.schedule());
    });
  }
}
