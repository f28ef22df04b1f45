/**
 * The book before a message, read without taking the message out of the live book: every read
 * must equal the same read on a book that never saw the message, and `end` must leave the live
 * book exactly as the message left it.
 */
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import { LevelChanges } from '../../../core/book/level-changes.ts';
import { PreMessageBook } from '../../../core/trading/pre-message-book.ts';

/** Deterministic uniform [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function levels(b: L2Book): string {
  return JSON.stringify(b.snapshot());
}

/** A book around 1000 (bids below, asks above) and a message of `n` changes near the touch, duplicates included. */
function scenario(seed: number, n: number) {
  const r = rng(seed);
  const live = new L2Book();
  const reference = new L2Book();
  for (let i = 0; i < 40; i++) {
    const bid = 1000 - 1 - Math.floor(r() * 30);
    const ask = 1000 + 1 + Math.floor(r() * 30);
    const q = 1 + Math.floor(r() * 9);
    for (const b of [live, reference]) {
      b.set(true, bid, q);
      b.set(false, ask, q);
    }
  }
  const changes = new LevelChanges();
  for (let i = 0; i < n; i++) {
    const isBid = r() < 0.5;
    // Moves the touch both ways: a bid may land where asks were (the message removes those first).
    const price = isBid ? 985 + Math.floor(r() * 20) : 996 + Math.floor(r() * 20);
    const size = r() < 0.4 ? 0 : 1 + Math.floor(r() * 9);
    const side = isBid ? live.bids : live.asks;
    side.set(price, size);
    changes.push(isBid, price, size, side.previousSize);
  }
  return { live, reference, changes, after: levels(live), r };
}

describe('PreMessageBook', () => {
  it('answers touch reads as the book before the message, without undoing it', () => {
    let lazy = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const { live, reference, changes, after, r } = scenario(seed, 1 + (seed % 25));
      if (reference.isCrossed()) continue;
      const before = new PreMessageBook(live, changes);
      before.begin(live, changes);
      expect(before.bestBid()).toBe(reference.bestBid());
      expect(before.bestAsk()).toBe(reference.bestAsk());
      expect(before.mid()).toBe(reference.mid());
      expect(before.microprice()).toBe(reference.microprice());
      expect(before.bids.bestSize()).toBe(reference.bids.bestSize());
      for (let k = 0; k < 10; k++) {
        const p = 980 + Math.floor(r() * 40);
        expect(before.bids.sizeAtPrice(p)).toBe(reference.bids.sizeAtPrice(p));
        expect(before.asks.sizeAtPrice(p)).toBe(reference.asks.sizeAtPrice(p));
      }
      if (!before.undone) lazy++;
      before.end();
      expect(levels(live)).toBe(after);
    }
    // The point of it: most messages never touch the live book.
    expect(lazy).toBeGreaterThan(200);
  });

  it('takes the message out for any other read, and puts it back at the end', () => {
    const { live, reference, changes, after } = scenario(7, 20);
    const before = new PreMessageBook(live, changes);
    before.begin(live, changes);
    expect(before.undone).toBe(false);
    expect(before.bids.priceAt(2)).toBe(reference.bids.priceAt(2));
    expect(before.undone).toBe(true);
    expect(before.asks.count).toBe(reference.asks.count);
    expect(before.bids.depth(5)).toBe(reference.bids.depth(5));
    expect(before.asks.nextWorse(before.bestAsk())).toBe(reference.asks.nextWorse(reference.bestAsk()));
    expect(levels(live)).toBe(levels(reference));
    before.end();
    expect(levels(live)).toBe(after);
  });
});
