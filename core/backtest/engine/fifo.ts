/**
 * A FIFO of timed messages. Requests to the venue and its responses each travel over one ordered
 * connection, so the engine never lets a message overtake an earlier one (arrival = max(send +
 * latency, previous arrival)): a FIFO is then also ordered by time, and no heap is needed.
 */
export interface Timed {
  readonly t: number;
}

export class TimedFifo<T extends Timed> {
  private items: Array<T | undefined> = new Array(64);
  private head = 0;
  private tail = 0;
  /** Arrival time of the last message pushed (messages never arrive before it). */
  lastT = Number.NEGATIVE_INFINITY;

  get size(): number {
    return this.tail - this.head;
  }

  /** Time of the next message, +∞ when empty. */
  nextT(): number {
    return this.head < this.tail
      ? this.items[this.head & (this.items.length - 1)]!.t
      : Number.POSITIVE_INFINITY;
  }

  push(item: T): void {
    if (this.tail - this.head === this.items.length) this.grow();
    this.items[this.tail & (this.items.length - 1)] = item;
    this.tail++;
    if (item.t > this.lastT) this.lastT = item.t;
  }

  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const mask = this.items.length - 1;
    const item = this.items[this.head & mask];
    this.items[this.head & mask] = undefined;
    this.head++;
    return item;
  }

  private grow(): void {
    const n = this.items.length;
    const next: Array<T | undefined> = new Array(n * 2);
    for (let i = 0; i < n; i++) next[i] = this.items[(this.head + i) & (n - 1)];
    this.items = next;
    this.tail = n;
    this.head = 0;
  }
}
