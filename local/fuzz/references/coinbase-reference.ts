/**
 * Coinbase Exchange level2 reference (docs.cdp.coinbase.com exchange websocket channels): the
 * in-band `snapshot` replaces the book; `l2update` changes are absolute sizes ("buy" → bid, "sell"
 * → ask), 0 deletes. No sequence numbers: an l2update this model cannot read but can attribute to a
 * product breaks that product's book (its content is lost and nothing later would reveal it).
 */
import type { Json } from '../json-reader.ts';
import type { ReferenceBook } from '../reference-book.ts';
import { ReferenceBooks, type ReferenceModel, type ReferenceSnapshot } from '../reference-model.ts';
import { field, type Level, levels, readFrame } from '../wire-values.ts';

interface BookMessage {
  readonly product: string;
  readonly snapshot: boolean;
  readonly bids: Level[];
  readonly asks: Level[];
}

function readMessage(v: Json): BookMessage | undefined {
  const type = field(v, 'type');
  const product = field(v, 'product_id');
  if (typeof product !== 'string') return undefined;
  if (type === 'snapshot') {
    const bids = levels(field(v, 'bids'));
    const asks = levels(field(v, 'asks'));
    return bids && asks ? { product, snapshot: true, bids, asks } : undefined;
  }
  if (type !== 'l2update') return undefined;
  const changes = field(v, 'changes');
  if (!Array.isArray(changes)) return undefined;
  const bids: Level[] = [];
  const asks: Level[] = [];
  for (const c of changes) {
    if (!Array.isArray(c)) return undefined;
    const [level] = levels([c], 1) ?? [];
    const side = c[0];
    if (!level || (side !== 'buy' && side !== 'sell')) return undefined;
    (side === 'buy' ? bids : asks).push(level);
  }
  return { product, snapshot: false, bids, asks };
}

/** The product of an l2update, however broken the rest of it is. */
function updatedProduct(v: Json | undefined): string | undefined {
  const product = field(v, 'product_id');
  return field(v, 'type') === 'l2update' && typeof product === 'string' ? product : undefined;
}

export class CoinbaseReference implements ReferenceModel {
  private readonly refBooks = new ReferenceBooks();

  book(venueSymbol: string): ReferenceBook | undefined {
    return this.refBooks.get(venueSymbol);
  }

  books(): Iterable<ReferenceBook> {
    return this.refBooks.all();
  }

  onMessage(raw: string): void {
    const r = readFrame(raw, readMessage);
    if (!r.ok) {
      const product = updatedProduct(r.parsed);
      const book = product === undefined ? undefined : this.refBooks.get(product);
      if (book?.trust === 'trusted') book.break(`unreadable l2update (${r.why})`);
      return;
    }
    const m = r.value;
    const book = this.refBooks.of(m.product);
    if (m.snapshot) {
      book.replace(m.bids, m.asks);
      book.trustNow();
    } else if (book.trust === 'trusted') {
      for (const l of m.bids) book.set(true, l.price, l.size);
      for (const l of m.asks) book.set(false, l.price, l.size);
    } else {
      return;
    }
    if (book.crossed()) book.break('crossed');
  }

  /** A level2 stream has no REST snapshot that lines up with it. */
  onSnapshot(): void {}

  snapshotOf(venueSymbol: string): ReferenceSnapshot | undefined {
    const book = this.refBooks.get(venueSymbol);
    if (book?.trust !== 'trusted') return undefined;
    const frame = {
      type: 'snapshot',
      product_id: venueSymbol,
      bids: book.wireLevels(true),
      asks: book.wireLevels(false),
    };
    return { method: 'frame', body: JSON.stringify(frame) };
  }
}
