/**
 * The kill as the control plane runs it: the kernel halts and sends every cancel at once, then this
 * waits (wall time, bounded) until the venues have confirmed them all, and reports how long it took.
 */
import type { KillReport } from '../../core/trading/trading-control.ts';
import type { TradingKernel } from '../../core/trading/trading-kernel.ts';

export function killAndConfirm(
  kernel: TradingKernel,
  reason: string,
  timeoutMs = 5_000,
): Promise<KillReport> {
  const started = performance.now();
  const at = new Date().toISOString();
  const sent = kernel.kill(reason);
  return new Promise((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const report: KillReport = {
        at,
        reason,
        cancelled: Math.max(0, sent - kernel.orders.openCount),
        cancelLatencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
      kernel.lastKill = report;
      resolve(report);
    };
    const timer = setTimeout(finish, timeoutMs);
    kernel.whenFlat(finish);
  });
}
