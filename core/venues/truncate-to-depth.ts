/**
 * Venues that publish a book to a fixed depth (Kraken, Bybit) send no delete for a level pushed out
 * of it: after every message the book keeps only `depth` levels per side. The dropped levels are
 * recorded as removals (size 0) in the message's LevelChanges, so a listener that mirrors the book
 * from changes stays identical.
 */
import type { BookSide } from '../book/book-side.ts';
import type { LevelChanges } from '../book/level-changes.ts';
import type { SymbolBook } from './symbol-book.ts';

function truncateSide(changes: LevelChanges, side: BookSide, isBid: boolean, depth: number): void {
  for (let i = depth; i < side.count; i++) changes.push(isBid, side.priceAt(i), 0);
  side.truncate(depth);
}

export function truncateToDepth(changes: LevelChanges, sb: SymbolBook, depth: number): void {
  truncateSide(changes, sb.book.bids, true, depth);
  truncateSide(changes, sb.book.asks, false, depth);
}
