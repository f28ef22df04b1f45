/**
 * The reference models' book: two Maps from canonical price to canonical size, the model's trust
 * in it, and what changed since the checker last looked. As plain as a book can be: correctness
 * by inspection, not speed.
 */
import { compareDecimal, decimalsOf, withDecimals } from './decimal-text.ts';
import type { Level } from './wire-values.ts';

/** awaiting: no snapshot yet; broken: the model saw the book become unknowable (why says how). */
export type ReferenceTrust = 'awaiting' | 'trusted' | 'broken';

export class ReferenceBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  trust: ReferenceTrust = 'awaiting';
  why = 'no snapshot yet';
  /** Prices written since the checker last looked. */
  readonly dirtyBids = new Set<string>();
  readonly dirtyAsks = new Set<string>();
  /** Replaced since the checker last looked (it then compares every level). */
  rebuilt = false;
  /** Fraction digits the venue writes, from the last snapshot (the most common count). */
  priceDecimals = 0;
  sizeDecimals = 0;
  /** Best price per side; null when unknown (found again by a scan when asked). */
  private bestBid: string | null = null;
  private bestAsk: string | null = null;

  set(isBid: boolean, price: string, size: string): void {
    const side = isBid ? this.bids : this.asks;
    const best = isBid ? this.bestBid : this.bestAsk;
    let next = best;
    if (size === '0') {
      side.delete(price);
      if (price === best) next = null;
    } else {
      side.set(price, size);
      if (best !== null && (isBid ? compareDecimal(price, best) > 0 : compareDecimal(price, best) < 0))
        next = price;
    }
    if (isBid) this.bestBid = next;
    else this.bestAsk = next;
    (isBid ? this.dirtyBids : this.dirtyAsks).add(price);
  }

  /** The best price of a side; undefined when it is empty. */
  best(isBid: boolean): string | undefined {
    const cached = isBid ? this.bestBid : this.bestAsk;
    if (cached !== null) return cached;
    let best: string | undefined;
    for (const p of (isBid ? this.bids : this.asks).keys()) {
      if (best === undefined || (isBid ? compareDecimal(p, best) > 0 : compareDecimal(p, best) < 0)) best = p;
    }
    if (best === undefined) return undefined;
    if (isBid) this.bestBid = best;
    else this.bestAsk = best;
    return best;
  }

  /** Book := the snapshot's levels. */
  replace(bids: readonly Level[], asks: readonly Level[]): void {
    this.bids.clear();
    this.asks.clear();
    this.bestBid = null;
    this.bestAsk = null;
    for (const l of bids) this.set(true, l.price, l.size);
    for (const l of asks) this.set(false, l.price, l.size);
    this.priceDecimals = mostCommon([...bids, ...asks].map((l) => decimalsOf(l.wirePrice)));
    this.sizeDecimals = mostCommon([...bids, ...asks].map((l) => decimalsOf(l.wireSize)));
    this.rebuilt = true;
  }

  /** A method, not a field read: callers re-read it after applying (TypeScript would narrow a field). */
  isTrusted(): boolean {
    return this.trust === 'trusted';
  }

  trustNow(): void {
    this.trust = 'trusted';
    this.why = '';
  }

  break(why: string): void {
    this.trust = 'broken';
    this.why = why;
  }

  /** Best first. */
  sorted(isBid: boolean): string[] {
    const prices = [...(isBid ? this.bids : this.asks).keys()].sort(compareDecimal);
    return isBid ? prices.reverse() : prices;
  }

  /** The best `n` prices of a side, best first (one pass, for small n). */
  top(isBid: boolean, n: number): string[] {
    const out: string[] = [];
    const better = (a: string, b: string) => (isBid ? compareDecimal(a, b) > 0 : compareDecimal(a, b) < 0);
    for (const p of (isBid ? this.bids : this.asks).keys()) {
      if (out.length === n && !better(p, out[n - 1]!)) continue;
      let i = out.length === n ? n - 1 : out.length;
      while (i > 0 && better(p, out[i - 1]!)) {
        out[i] = out[i - 1]!;
        i--;
      }
      out[i] = p;
    }
    return out;
  }

  /** Keep the best `depth` levels per side. */
  truncate(depth: number): void {
    for (const isBid of [true, false]) {
      const side = isBid ? this.bids : this.asks;
      if (side.size <= depth) continue;
      for (const price of this.sorted(isBid).slice(depth)) this.set(isBid, price, '0');
    }
  }

  crossed(): boolean {
    const bid = this.best(true);
    const ask = this.best(false);
    return bid !== undefined && ask !== undefined && compareDecimal(bid, ask) >= 0;
  }

  /** `[[price, size], …]` best first, written with the venue's fraction digits. */
  wireLevels(isBid: boolean): Array<[string, string]> {
    const side = isBid ? this.bids : this.asks;
    return this.sorted(isBid).map((p) => [
      withDecimals(p, this.priceDecimals),
      withDecimals(side.get(p)!, this.sizeDecimals),
    ]);
  }
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}
