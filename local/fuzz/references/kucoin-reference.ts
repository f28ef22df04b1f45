/**
 * KuCoin spot level-2 reference (kucoin.com docs "Orderbook – Increment", level-2 calibration):
 * buffer updates until a REST snapshot; updates ending at or before the book's sequence are in it;
 * an update chains when `sequenceStart ≤ sequence + 1`; inside one, a change whose own seq is at or
 * below the snapshot's sequence is skipped, price "0" changes nothing, size "0" deletes. A snapshot
 * for a trusted book is ignored.
 */
import type { Json } from '../json-reader.ts';
import type { ReferenceBook } from '../reference-book.ts';
import { ReferenceBooks, type ReferenceModel, type ReferenceSnapshot } from '../reference-model.ts';
import { field, type Level, levels, readFrame, sequence, text } from '../wire-values.ts';

interface Update {
  readonly symbol: string;
  readonly start: number;
  readonly end: number;
  readonly bids: Level[];
  readonly asks: Level[];
}

interface Sync {
  id: number;
  snapshotId: number;
  buffer: Update[];
}

const changeSequence = (rest: readonly Json[]) => sequence(rest[0]);

function readUpdate(v: Json): Update | undefined {
  if (field(v, 'type') !== 'message' || field(v, 'subject') !== 'trade.l2update') return undefined;
  const d = field(v, 'data');
  const symbol = field(d, 'symbol');
  const start = sequence(field(d, 'sequenceStart'));
  const end = sequence(field(d, 'sequenceEnd'));
  const changes = field(d, 'changes');
  const bids = levels(field(changes, 'bids'), 0, changeSequence);
  const asks = levels(field(changes, 'asks'), 0, changeSequence);
  if (typeof symbol !== 'string' || start === undefined || end === undefined || !bids || !asks)
    return undefined;
  return { symbol, start, end, bids, asks };
}

function readSnapshot(v: Json): { id: number; bids: Level[]; asks: Level[] } | undefined {
  const d = field(v, 'data');
  const id = sequence(field(d, 'sequence'));
  const bids = levels(field(d, 'bids'));
  const asks = levels(field(d, 'asks'));
  if (text(field(v, 'code')) !== '200000' || id === undefined || !bids || !asks) return undefined;
  return { id, bids, asks };
}

export class KucoinReference implements ReferenceModel {
  private readonly refBooks = new ReferenceBooks();
  private readonly syncs = new Map<string, Sync>();

  book(venueSymbol: string): ReferenceBook | undefined {
    return this.refBooks.get(venueSymbol);
  }

  books(): Iterable<ReferenceBook> {
    return this.refBooks.all();
  }

  private sync(symbol: string): Sync {
    let s = this.syncs.get(symbol);
    if (!s) {
      s = { id: -1, snapshotId: -1, buffer: [] };
      this.syncs.set(symbol, s);
    }
    return s;
  }

  onMessage(raw: string): void {
    const r = readFrame(raw, readUpdate);
    if (!r.ok) return;
    const u = r.value;
    const book = this.refBooks.of(u.symbol);
    const s = this.sync(u.symbol);
    if (book.trust === 'trusted') this.apply(book, s, u);
    else s.buffer.push(u);
  }

  onSnapshot(venueSymbol: string, body: string): void {
    const r = readFrame(body, readSnapshot);
    const book = this.refBooks.of(venueSymbol);
    if (!r.ok || book.trust === 'trusted') return;
    const snap = r.value;
    const s = this.sync(venueSymbol);
    const pending = s.buffer.filter((u) => u.end > snap.id);
    if (pending[0] && pending[0].start > snap.id + 1) return; // too old: the next snapshot may do
    book.replace(snap.bids, snap.asks);
    s.id = snap.id;
    s.snapshotId = snap.id;
    s.buffer = [];
    if (book.crossed()) {
      book.break('crossed snapshot');
      s.buffer = pending;
      return;
    }
    book.trustNow();
    for (const u of pending) {
      if (book.isTrusted()) this.apply(book, s, u);
      else s.buffer.push(u);
    }
  }

  private apply(book: ReferenceBook, s: Sync, u: Update): void {
    if (u.end <= s.id) return;
    if (u.start > s.id + 1) {
      book.break(`gap: update ${u.start}..${u.end} after ${s.id}`);
      s.buffer = [u];
      return;
    }
    for (const [isBid, side] of [
      [true, u.bids],
      [false, u.asks],
    ] as const) {
      for (const l of side) {
        if (l.extra! <= s.snapshotId || l.price === '0') continue;
        book.set(isBid, l.price, l.size);
      }
    }
    s.id = u.end;
    if (book.crossed()) book.break('crossed after update');
  }

  snapshotOf(venueSymbol: string): ReferenceSnapshot | undefined {
    const book = this.refBooks.get(venueSymbol);
    if (book?.trust !== 'trusted') return undefined;
    const data = {
      sequence: String(this.sync(venueSymbol).id),
      time: 0,
      bids: book.wireLevels(true),
      asks: book.wireLevels(false),
    };
    return { method: 'rest', body: JSON.stringify({ code: '200000', data }) };
  }
}
