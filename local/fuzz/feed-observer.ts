/**
 * A listener on a feed: a mirror of every book built only from onBook changes (cleared on each
 * book_snapshot event), the prices written since the checker last looked, which books were rebuilt
 * or changed trust, and the snapshot requests to answer. The mirror equals the feed's own book when
 * the feed reports every level it writes or drops (the fuzzer checks that; so do feed tests).
 */
import type { LevelChanges } from '../../core/book/level-changes.ts';
import type { MarketEvent } from '../../core/market/events.ts';
import type { FeedListener, SnapshotRequest } from '../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';

export interface ObservedBook {
  readonly mirrorBids: Map<number, number>;
  readonly mirrorAsks: Map<number, number>;
  readonly dirtyBids: Set<number>;
  readonly dirtyAsks: Set<number>;
  /** A snapshot or a trust change since the checker last looked. */
  rebuilt: boolean;
}

export class FeedObserver implements FeedListener {
  /** Venue symbols asked for, oldest first. */
  readonly requests: string[] = [];
  private readonly observed = new Map<string, ObservedBook>();

  of(symbol: string): ObservedBook {
    let o = this.observed.get(symbol);
    if (!o) {
      o = {
        mirrorBids: new Map(),
        mirrorAsks: new Map(),
        dirtyBids: new Set(),
        dirtyAsks: new Set(),
        rebuilt: true,
      };
      this.observed.set(symbol, o);
    }
    return o;
  }

  /** The checker has looked at every book. */
  looked(): void {
    for (const o of this.observed.values()) {
      o.dirtyBids.clear();
      o.dirtyAsks.clear();
      o.rebuilt = false;
    }
  }

  readonly onBook = (sb: SymbolBook, changes: LevelChanges): void => {
    const o = this.of(sb.symbol);
    for (let i = 0; i < changes.count; i++) {
      const isBid = changes.sideAt(i);
      const price = changes.priceAt(i);
      const size = changes.sizeAt(i);
      const mirror = isBid ? o.mirrorBids : o.mirrorAsks;
      if (size === 0) mirror.delete(price);
      else mirror.set(price, size);
      (isBid ? o.dirtyBids : o.dirtyAsks).add(price);
    }
  };

  readonly onEvent = (e: MarketEvent): void => {
    if (e.type === 'book_snapshot') {
      const o = this.of(e.symbol);
      o.mirrorBids.clear();
      o.mirrorAsks.clear();
      o.rebuilt = true;
    } else if (e.type === 'book_state') {
      this.of(e.symbol).rebuilt = true;
    }
  };

  readonly onSnapshotRequest = (r: SnapshotRequest): void => {
    this.requests.push(r.venueSymbol);
  };

  /** Where the mirror and the feed's book differ (undefined when equal); cheaper than comparing levels(). */
  difference(sb: SymbolBook): string | undefined {
    const o = this.of(sb.symbol);
    for (const [side, levels, name] of [
      [sb.book.bids, o.mirrorBids, 'bids'],
      [sb.book.asks, o.mirrorAsks, 'asks'],
    ] as const) {
      if (side.count !== levels.size) return `${name}: book ${side.count} levels, mirror ${levels.size}`;
      for (const [price, size] of levels) {
        if (side.sizeAtPrice(price) !== size)
          return `${name} ${price}: book ${side.sizeAtPrice(price)}, mirror ${size}`;
      }
    }
    return undefined;
  }

  /** The mirrored levels of `symbol`, best first (the shape of L2Book.snapshot()). */
  levels(symbol: string): { bids: Array<[number, number]>; asks: Array<[number, number]> } {
    const o = this.of(symbol);
    return {
      bids: [...o.mirrorBids].sort((a, b) => b[0] - a[0]),
      asks: [...o.mirrorAsks].sort((a, b) => a[0] - b[0]),
    };
  }
}
