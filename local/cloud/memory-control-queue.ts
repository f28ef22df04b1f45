/**
 * The control queue offline: no SQS emulator runs offline (docs/cloud-architecture.md, Offline), so the
 * control function's sends and the task's long poll meet in this process. Same shape as the SQS
 * side on both ends: `send` as the function's notify, `receive`/`delete` as the task's ControlQueue.
 * A received message stays invisible until deleted, as in SQS; one never deleted is not redelivered
 * here (the task's 250 ms poll of the item covers that case, in the cloud too).
 */
import type { ControlQueue, QueuedNotice } from '../../fargate/control/control-queue.ts';

export class MemoryControlQueue implements ControlQueue {
  private pending: QueuedNotice[] = [];
  private waiters: Array<() => void> = [];
  private next = 0;
  sent = 0;
  deleted = 0;

  send(body: string): void {
    this.sent++;
    this.pending.push({ body, receipt: `local-${this.next++}` });
    for (const wake of this.waiters.splice(0)) wake();
  }

  async receive(waitSeconds: number, signal: AbortSignal): Promise<QueuedNotice[]> {
    if (this.pending.length === 0 && !signal.aborted)
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, waitSeconds * 1000);
        this.waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    return this.pending.splice(0, 10);
  }

  async delete(_receipt: string): Promise<void> {
    this.deleted++;
  }
}
