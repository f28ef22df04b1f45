/**
 * Bybit v5 `orderbook.{depth}.{symbol}` reference (bybit-exchange.github.io v5 websocket
 * orderbook): a snapshot — or any message with `u = 1`, a service restart — replaces the book; a
 * delta applies when `u` is the previous `u + 1`, anything else breaks the book; sizes are absolute,
 * 0 deletes; the book holds at most `depth` levels per side. One depth per symbol: the first seen.
 */
import type { Json } from '../json-reader.ts';
import type { ReferenceBook } from '../reference-book.ts';
import { ReferenceBooks, type ReferenceModel, type ReferenceSnapshot } from '../reference-model.ts';
import { field, type Level, levels, readFrame, sequence, text } from '../wire-values.ts';

const TOPIC = /^orderbook\.(\d+)\.(.+)$/;

interface BookMessage {
  readonly symbol: string;
  readonly depth: number;
  readonly snapshot: boolean;
  readonly u: number;
  readonly seq: number | undefined;
  readonly ts: number | undefined;
  readonly bids: Level[];
  readonly asks: Level[];
}

interface Sync {
  depth: number;
  u: number;
  seq: number;
  ts: number;
}

function readMessage(v: Json): BookMessage | undefined {
  const topic = TOPIC.exec(text(field(v, 'topic')) ?? '');
  const type = field(v, 'type');
  const d = field(v, 'data');
  const u = sequence(field(d, 'u'));
  const bids = levels(field(d, 'b'));
  const asks = levels(field(d, 'a'));
  if (!topic || (type !== 'snapshot' && type !== 'delta') || field(d, 's') !== topic[2]) return undefined;
  if (u === undefined || !bids || !asks) return undefined;
  return {
    symbol: topic[2]!,
    depth: Number(topic[1]),
    snapshot: type === 'snapshot' || u === 1,
    u,
    seq: sequence(field(d, 'seq')),
    ts: sequence(field(v, 'ts')),
    bids,
    asks,
  };
}

export class BybitReference implements ReferenceModel {
  private readonly refBooks = new ReferenceBooks();
  private readonly syncs = new Map<string, Sync>();

  book(venueSymbol: string): ReferenceBook | undefined {
    return this.refBooks.get(venueSymbol);
  }

  books(): Iterable<ReferenceBook> {
    return this.refBooks.all();
  }

  onMessage(raw: string): void {
    const r = readFrame(raw, readMessage);
    if (!r.ok) return;
    const m = r.value;
    let s = this.syncs.get(m.symbol);
    if (!s) {
      s = { depth: m.depth, u: 0, seq: 0, ts: 0 };
      this.syncs.set(m.symbol, s);
    }
    if (m.depth !== s.depth) return; // another depth's stream: its own sequence, not this book's
    const book = this.refBooks.of(m.symbol);
    if (m.snapshot) {
      book.replace(m.bids, m.asks);
      book.trustNow();
    } else if (book.trust !== 'trusted') {
      return;
    } else if (m.u !== s.u + 1) {
      book.break(`gap: u ${m.u} after ${s.u}`);
      return;
    } else {
      for (const l of m.bids) book.set(true, l.price, l.size);
      for (const l of m.asks) book.set(false, l.price, l.size);
    }
    book.truncate(s.depth);
    s.u = m.u;
    s.seq = m.seq ?? s.seq;
    s.ts = m.ts ?? s.ts;
    if (book.crossed()) book.break('crossed');
  }

  /** Bybit has no REST snapshot that chains onto a stream: a REST body changes nothing. */
  onSnapshot(): void {}

  snapshotOf(venueSymbol: string): ReferenceSnapshot | undefined {
    const book = this.refBooks.get(venueSymbol);
    const s = this.syncs.get(venueSymbol);
    if (book?.trust !== 'trusted' || !s) return undefined;
    const data = { s: venueSymbol, b: book.wireLevels(true), a: book.wireLevels(false), u: s.u, seq: s.seq };
    const frame = {
      topic: `orderbook.${s.depth}.${venueSymbol}`,
      type: 'snapshot',
      ts: s.ts,
      data,
      cts: s.ts,
    };
    return { method: 'frame', body: JSON.stringify(frame) };
  }
}
