/**
 * Duplicate detection with bounded memory: the last `capacity` ids in a ring, mirrored in a Set for
 * O(1) lookup. The oldest id is forgotten when a new one arrives at capacity, so memory stays flat on
 * an endless stream; a duplicate older than `capacity` ids goes unnoticed (the trade-off: venues
 * replay duplicates within seconds, around reconnects, not days later).
 */
export class RecentIds {
  readonly capacity: number;
  private readonly ring: string[];
  private readonly set = new Set<string>();
  private next = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`RecentIds capacity must be ≥ 1, got ${capacity}`);
    this.capacity = Math.floor(capacity);
    this.ring = new Array<string>(this.capacity).fill('');
  }

  get size(): number {
    return this.set.size;
  }

  /** True when `id` is among the remembered ids (a duplicate); otherwise remember it and return false. */
  seen(id: string): boolean {
    if (this.set.has(id)) return true;
    if (this.set.size === this.capacity) this.set.delete(this.ring[this.next]!);
    this.ring[this.next] = id;
    this.set.add(id);
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    return false;
  }

  clear(): void {
    this.set.clear();
    this.ring.fill('');
    this.next = 0;
  }
}
