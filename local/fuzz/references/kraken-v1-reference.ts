/**
 * Kraken websocket v1 `book-N` reference (docs.kraken.com book-checksum-v1): the in-band snapshot
 * (`as`/`bs`) replaces the book; updates (`a`/`b`, in array order) set absolute volumes, 0 deletes;
 * after every message the book keeps the best N levels per side; the update's CRC-32 checksum `c`
 * over the top 10 asks (low → high) then bids (high → low), each price and volume written with the
 * snapshot's fraction digits, "." removed and leading zeros stripped, must match or the book is
 * broken. An update this model cannot read but can attribute to a pair breaks that pair's book.
 */
import { crc32 } from 'node:zlib';
import { withDecimals } from '../decimal-text.ts';
import type { Json } from '../json-reader.ts';
import type { ReferenceBook } from '../reference-book.ts';
import { ReferenceBooks, type ReferenceModel, type ReferenceSnapshot } from '../reference-model.ts';
import { isObject, type Level, levels, readFrame, sequence } from '../wire-values.ts';

const CHANNEL = /^book-(\d+)$/;
const CHECKSUM_LEVELS = 10;

interface BookMessage {
  readonly channelId: number;
  readonly pair: string;
  readonly depth: number;
  readonly snapshot: boolean;
  /** Per side, in wire order. */
  readonly bids: Level[];
  readonly asks: Level[];
  readonly checksum: number | undefined;
}

/** `[channelID, {…}(, {…}), "book-N", pair]`, read as far as telling its pair and depth. */
function header(v: Json | undefined): { pair: string; depth: number; objects: Json[] } | undefined {
  if (!Array.isArray(v) || v.length < 4 || v.length > 5) return undefined;
  const pair = v[v.length - 1];
  const channel = CHANNEL.exec(typeof v[v.length - 2] === 'string' ? (v[v.length - 2] as string) : '');
  if (typeof pair !== 'string' || !channel) return undefined;
  return { pair, depth: Number(channel[1]), objects: v.slice(1, v.length - 2) };
}

function readMessage(v: Json): BookMessage | undefined {
  const h = header(v);
  const channelId = Array.isArray(v) ? sequence(v[0]) : undefined;
  if (!h || channelId === undefined || !h.objects.every(isObject)) return undefined;
  const objects = h.objects as Array<Record<string, Json>>;
  const snapshot = objects.length === 1 && ('as' in objects[0]! || 'bs' in objects[0]!);
  const bids: Level[] = [];
  const asks: Level[] = [];
  let checksum: number | undefined;
  for (const o of objects) {
    for (const [key, value] of Object.entries(o)) {
      const side = snapshot ? { bs: bids, as: asks }[key] : { b: bids, a: asks }[key];
      if (side) {
        const read = levels(value);
        if (!read) return undefined;
        side.push(...read);
      } else if (key === 'c' && !snapshot) {
        checksum = sequence(value);
        if (checksum === undefined) return undefined;
      } else {
        return undefined;
      }
    }
  }
  return { channelId, pair: h.pair, depth: h.depth, snapshot, bids, asks, checksum };
}

function checksumOf(book: ReferenceBook): number {
  const digits = (value: string, decimals: number) =>
    withDecimals(value, decimals).replace('.', '').replace(/^0+/, '');
  let s = '';
  for (const isBid of [false, true]) {
    const side = isBid ? book.bids : book.asks;
    for (const p of book.top(isBid, CHECKSUM_LEVELS))
      s += digits(p, book.priceDecimals) + digits(side.get(p)!, book.sizeDecimals);
  }
  return crc32(s);
}

export class KrakenV1Reference implements ReferenceModel {
  private readonly refBooks = new ReferenceBooks();
  private readonly channels = new Map<string, { channelId: number; depth: number }>();

  book(venueSymbol: string): ReferenceBook | undefined {
    return this.refBooks.get(venueSymbol);
  }

  books(): Iterable<ReferenceBook> {
    return this.refBooks.all();
  }

  onMessage(raw: string): void {
    const r = readFrame(raw, readMessage);
    if (!r.ok) {
      const h = header(r.parsed);
      const book = h ? this.refBooks.get(h.pair) : undefined;
      if (book?.trust === 'trusted' && !isSnapshotShape(h!.objects))
        book.break(`unreadable update (${r.why})`);
      return;
    }
    const m = r.value;
    const book = this.refBooks.of(m.pair);
    if (m.snapshot) {
      book.replace(m.bids, m.asks);
      book.trustNow();
      this.channels.set(m.pair, { channelId: m.channelId, depth: m.depth });
    } else if (book.trust === 'trusted') {
      for (const l of m.asks) book.set(false, l.price, l.size);
      for (const l of m.bids) book.set(true, l.price, l.size);
    } else {
      return;
    }
    book.truncate(m.depth);
    if (m.checksum !== undefined && checksumOf(book) !== m.checksum) {
      book.break(`checksum ${m.checksum} ≠ ${checksumOf(book)}`);
      return;
    }
    if (book.crossed()) book.break('crossed');
  }

  /** Kraken's books come in-band only: a REST body changes nothing. */
  onSnapshot(): void {}

  snapshotOf(venueSymbol: string): ReferenceSnapshot | undefined {
    const book = this.refBooks.get(venueSymbol);
    const channel = this.channels.get(venueSymbol);
    if (book?.trust !== 'trusted' || !channel) return undefined;
    const entries = (isBid: boolean) => book.wireLevels(isBid).map(([p, v]) => [p, v, '0.000000']);
    const frame = [
      channel.channelId,
      { as: entries(false), bs: entries(true) },
      `book-${channel.depth}`,
      venueSymbol,
    ];
    return { method: 'frame', body: JSON.stringify(frame) };
  }
}

function isSnapshotShape(objects: readonly Json[]): boolean {
  return objects.length === 1 && isObject(objects[0]) && ('as' in objects[0] || 'bs' in objects[0]);
}
