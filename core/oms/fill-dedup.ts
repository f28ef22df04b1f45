/**
 * Remembers the venue trade ids already applied, in bounded memory, so a replayed or re-reported
 * fill is applied once.
 *
 * Ids live in a scope (the store uses instrument × side): Binance trade ids count per symbol, and a
 * self-trade gives our buy and our sell the same trade id, so a bare (venue, trade id) key would
 * drop real fills.
 *
 * Two bounds, both documented limits of what is recognised:
 * - Age: an entry is forgotten once the newest event time seen is more than `maxAgeUs` (default
 *   24 h) past its own event time. Entries are pruned from the oldest arrival, so an entry that
 *   arrived with an old timestamp behind a newer one waits for the newer one to go first.
 * - Count: at most `maxEntries` (default 100 000); adding to a full set evicts the oldest arrival
 *   even if it is younger than `maxAgeUs`. Size it above the fills one day can bring.
 *
 * A ring of (scope, id, ts) in arrival order plus one Set per scope: O(1) add, lookup and eviction,
 * no allocation per entry beyond the Set's own.
 */
import type { Micros } from '../market/events.ts';

export const DAY_US = 86_400_000_000;

export interface FillDedupOptions {
  readonly maxAgeUs?: Micros;
  readonly maxEntries?: number;
}

export class FillDedup {
  readonly maxAgeUs: Micros;
  readonly maxEntries: number;
  /** Entries forgotten because of age / because the set was full. */
  prunedByAge = 0;
  evictedByCap = 0;
  private readonly sets = new Map<number, Set<string>>();
  private readonly ringScope: Int32Array;
  private readonly ringId: (string | undefined)[];
  private readonly ringTs: Float64Array;
  private head = 0;
  private count = 0;
  private newestTs = Number.NEGATIVE_INFINITY;

  constructor(options: FillDedupOptions = {}) {
    this.maxAgeUs = options.maxAgeUs ?? DAY_US;
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!(this.maxEntries >= 1) || !Number.isInteger(this.maxEntries)) {
      throw new RangeError(`FillDedup: maxEntries must be a positive integer, got ${this.maxEntries}`);
    }
    this.ringScope = new Int32Array(this.maxEntries);
    this.ringId = new Array<string | undefined>(this.maxEntries).fill(undefined);
    this.ringTs = new Float64Array(this.maxEntries);
  }

  get size(): number {
    return this.count;
  }

  has(scope: number, tradeId: string): boolean {
    return this.sets.get(scope)?.has(tradeId) === true;
  }

  /** Records the id (a no-op when already known) and prunes what has aged out as of `ts`. */
  add(scope: number, tradeId: string, ts: Micros): void {
    if (ts > this.newestTs) this.newestTs = ts;
    this.prune();
    let set = this.sets.get(scope);
    if (set === undefined) {
      set = new Set();
      this.sets.set(scope, set);
    } else if (set.has(tradeId)) return;
    if (this.count === this.maxEntries) {
      this.dropOldest();
      this.evictedByCap++;
    }
    const slot = (this.head + this.count) % this.maxEntries;
    this.ringScope[slot] = scope;
    this.ringId[slot] = tradeId;
    this.ringTs[slot] = ts;
    this.count++;
    set.add(tradeId);
  }

  private prune(): void {
    const cutoff = this.newestTs - this.maxAgeUs;
    while (this.count > 0 && this.ringTs[this.head]! < cutoff) {
      this.dropOldest();
      this.prunedByAge++;
    }
  }

  private dropOldest(): void {
    const id = this.ringId[this.head]!;
    this.sets.get(this.ringScope[this.head]!)?.delete(id);
    this.ringId[this.head] = undefined;
    this.head = (this.head + 1) % this.maxEntries;
    this.count--;
  }
}
