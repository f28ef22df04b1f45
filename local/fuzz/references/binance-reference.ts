/**
 * Binance spot / USD-M reference (binance-spot-api-docs "How to manage a local order book
 * correctly"; developers.binance.com for futures): buffer diffs until a REST snapshot; a snapshot
 * older than the first diff that ends after it is not used; diffs ending at or before the book's id
 * are already in it; spot chains when `U ≤ id + 1`, futures when `pu == id` (the first diff after a
 * snapshot may instead straddle it, `U ≤ id`); sizes are absolute, 0 deletes. A snapshot for a
 * trusted book is ignored (the book is at least as fresh).
 */
import type { Json } from '../json-reader.ts';
import type { ReferenceBook } from '../reference-book.ts';
import { ReferenceBooks, type ReferenceModel, type ReferenceSnapshot } from '../reference-model.ts';
import { field, type Level, levels, readFrame, sequence } from '../wire-values.ts';

interface Diff {
  readonly symbol: string;
  readonly first: number;
  readonly last: number;
  readonly previous: number | undefined;
  readonly bids: Level[];
  readonly asks: Level[];
}

interface Sync {
  id: number;
  straddleAllowed: boolean;
  buffer: Diff[];
}

function readDiff(v: Json): Diff | undefined {
  const d = field(v, 'data') ?? v;
  const symbol = field(d, 's');
  if (field(d, 'e') !== 'depthUpdate' || typeof symbol !== 'string') return undefined;
  const first = sequence(field(d, 'U'));
  const last = sequence(field(d, 'u'));
  const pu = field(d, 'pu');
  const previous = pu === undefined ? undefined : sequence(pu);
  const bids = levels(field(d, 'b'));
  const asks = levels(field(d, 'a'));
  if (first === undefined || last === undefined || !bids || !asks) return undefined;
  if (pu !== undefined && previous === undefined) return undefined;
  // Binance symbols are case-insensitive (stream names spell them in lower case).
  return { symbol: symbol.toUpperCase(), first, last, previous, bids, asks };
}

function readSnapshot(v: Json): { id: number; bids: Level[]; asks: Level[] } | undefined {
  const id = sequence(field(v, 'lastUpdateId'));
  const bids = levels(field(v, 'bids'));
  const asks = levels(field(v, 'asks'));
  return id === undefined || !bids || !asks ? undefined : { id, bids, asks };
}

export class BinanceReference implements ReferenceModel {
  private readonly refBooks = new ReferenceBooks();
  private readonly syncs = new Map<string, Sync>();

  constructor(private readonly futures: boolean) {}

  book(venueSymbol: string): ReferenceBook | undefined {
    return this.refBooks.get(venueSymbol);
  }

  books(): Iterable<ReferenceBook> {
    return this.refBooks.all();
  }

  private sync(symbol: string): Sync {
    let s = this.syncs.get(symbol);
    if (!s) {
      s = { id: -1, straddleAllowed: false, buffer: [] };
      this.syncs.set(symbol, s);
    }
    return s;
  }

  onMessage(raw: string): void {
    const r = readFrame(raw, readDiff);
    if (!r.ok) return;
    const d = r.value;
    const book = this.refBooks.of(d.symbol);
    const s = this.sync(d.symbol);
    if (book.trust === 'trusted') this.apply(book, s, d);
    else s.buffer.push(d);
  }

  onSnapshot(venueSymbol: string, body: string): void {
    const r = readFrame(body, readSnapshot);
    const book = this.refBooks.of(venueSymbol);
    if (!r.ok || book.trust === 'trusted') return;
    const snap = r.value;
    const s = this.sync(venueSymbol);
    const pending = s.buffer.filter((d) => d.last > snap.id);
    const first = pending[0];
    if (first && !this.bridges(first, snap.id, true)) return; // too old: the next snapshot may do
    book.replace(snap.bids, snap.asks);
    s.id = snap.id;
    s.straddleAllowed = true;
    s.buffer = [];
    if (book.crossed()) {
      book.break('crossed snapshot');
      s.buffer = pending;
      return;
    }
    book.trustNow();
    for (const d of pending) {
      if (book.isTrusted()) this.apply(book, s, d);
      else s.buffer.push(d);
    }
  }

  /** Does `d` (ending after `id`) continue a book at `id`? */
  private bridges(d: Diff, id: number, straddleAllowed: boolean): boolean {
    if (!this.futures) return d.first <= id + 1;
    return d.previous === id || (straddleAllowed && d.first <= id);
  }

  private apply(book: ReferenceBook, s: Sync, d: Diff): void {
    if (d.last <= s.id) return;
    if (!this.bridges(d, s.id, s.straddleAllowed)) {
      book.break(`gap: diff ${d.first}..${d.last} after ${s.id}`);
      s.buffer = [d];
      return;
    }
    for (const l of d.bids) book.set(true, l.price, l.size);
    for (const l of d.asks) book.set(false, l.price, l.size);
    s.id = d.last;
    s.straddleAllowed = false;
    if (book.crossed()) book.break('crossed after diff');
  }

  snapshotOf(venueSymbol: string): ReferenceSnapshot | undefined {
    const book = this.refBooks.get(venueSymbol);
    if (book?.trust !== 'trusted') return undefined;
    const body = {
      lastUpdateId: this.sync(venueSymbol).id,
      bids: book.wireLevels(true),
      asks: book.wireLevels(false),
    };
    return { method: 'rest', body: JSON.stringify(body) };
  }
}
