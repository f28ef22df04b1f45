/**
 * The cloud control wiring of a running trader: the control poller (queue + 250 ms item poll) and
 * the position report writer over one control table, started together and stopped together.
 * The task starts it when CONTROL_TABLE is set (CONTROL_QUEUE_URL adds the queue).
 */
import type { TradingControl } from '../../core/trading/trading-control.ts';
import type { Clock } from '../connectors/clock.ts';
import { ControlPoller } from './control-poller.ts';
import type { ControlQueue } from './control-queue.ts';
import type { ControlTable } from './control-table.ts';
import { PositionReportWriter } from './position-report-writer.ts';

export interface CloudControlOptions {
  readonly table: ControlTable;
  readonly queue?: ControlQueue;
  readonly control: TradingControl;
  readonly adminToken: string;
  readonly owner: string;
  readonly clock: Clock;
  readonly pollEveryMs?: number;
  readonly reportEveryMs?: number;
  readonly log: (line: string) => void;
}

export interface CloudControl {
  readonly poller: ControlPoller;
  readonly reports: PositionReportWriter;
  stop(): Promise<void>;
}

export async function startCloudControl(options: CloudControlOptions): Promise<CloudControl> {
  const reports = new PositionReportWriter({
    table: options.table,
    control: options.control,
    owner: options.owner,
    clock: options.clock,
    ...(options.reportEveryMs !== undefined ? { everyMs: options.reportEveryMs } : {}),
    log: options.log,
  });
  const poller = new ControlPoller({
    table: options.table,
    ...(options.queue ? { queue: options.queue } : {}),
    control: options.control,
    adminToken: options.adminToken,
    clock: options.clock,
    ...(options.pollEveryMs !== undefined ? { pollEveryMs: options.pollEveryMs } : {}),
    onApplied: () => reports.report(),
    log: options.log,
  });
  await reports.report();
  await poller.start();
  reports.start();
  options.log(`cloud control: polling ${options.table.tableName}${options.queue ? ' and its queue' : ''}`);
  return {
    poller,
    reports,
    stop: async () => {
      await poller.stop();
      await reports.stop();
    },
  };
}
