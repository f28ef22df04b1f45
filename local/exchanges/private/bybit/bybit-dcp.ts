/**
 * Disconnect-cancel (DCP) on the simulator, as docs/execution.md (Bybit, Safety) describes it: per
 * account and product (DERIVATIVES, SPOT) a window of 3–300 s (default 10) set by
 * `POST /v5/order/disconnected-cancel-all`; the private connections subscribed to the product's
 * `dcp.*` topic are the guard. When the last of them drops (a close without unsubscribing), a timer
 * of the window starts; a new subscription before it ends stops it; when it ends, every open order
 * of the product is cancelled (`cancelType CancelByDCP`). Unsubscribing is a clean exit: no timer.
 */
export type DcpProduct = 'DERIVATIVES' | 'SPOT';

export const DCP_TOPICS: Readonly<Record<string, DcpProduct>> = {
  'dcp.future': 'DERIVATIVES',
  'dcp.spot': 'SPOT',
};
export const DCP_DEFAULT_WINDOW_S = 10;

export class BybitDcp {
  /** Times the window ran out and orders were cancelled. */
  fired = 0;
  private readonly windows = new Map<string, number>();
  private readonly guards = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly cancelAll: (apiKey: string, product: DcpProduct) => void) {}

  setWindow(apiKey: string, product: DcpProduct, seconds: number): void {
    this.windows.set(key(apiKey, product), seconds);
  }

  windowOf(apiKey: string, product: DcpProduct): number {
    return this.windows.get(key(apiKey, product)) ?? DCP_DEFAULT_WINDOW_S;
  }

  /** A connection subscribed to the product's dcp topic. */
  guard(apiKey: string, product: DcpProduct, connId: string): void {
    const k = key(apiKey, product);
    let set = this.guards.get(k);
    if (!set) {
      set = new Set();
      this.guards.set(k, set);
    }
    set.add(connId);
    const t = this.timers.get(k);
    if (t) clearTimeout(t);
    this.timers.delete(k);
  }

  /** The connection unsubscribed (`lost` false) or dropped (`lost` true). */
  unguard(apiKey: string, product: DcpProduct, connId: string, lost: boolean): void {
    const k = key(apiKey, product);
    const set = this.guards.get(k);
    if (!set?.delete(connId) || set.size > 0 || !lost) return;
    const t = setTimeout(() => {
      this.timers.delete(k);
      this.fired++;
      this.cancelAll(apiKey, product);
    }, this.windowOf(apiKey, product) * 1000);
    t.unref();
    this.timers.set(k, t);
  }

  /** Windows running now (a guard lost, its orders not yet cancelled). */
  get pending(): number {
    return this.timers.size;
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

function key(apiKey: string, product: DcpProduct): string {
  return `${apiKey} ${product}`;
}
