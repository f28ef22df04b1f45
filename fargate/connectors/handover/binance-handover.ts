/**
 * Binance closes every websocket after 24 h. Instead of losing the books at that moment, the shard
 * opens a second connection ahead of time; this router then moves each stream across without a gap.
 *
 * Depth, per symbol with a trusted book (the book's update id is the reference):
 *  - the old connection keeps feeding the book while the new one's frames are held;
 *  - a held frame already in the book (u ≤ book) means the new connection runs behind but is
 *    contiguous from there; a held frame that joins the book (spot `U ≤ book + 1 < u`, futures
 *    `pu == book`: the feed's own continuity rules) means it is level. Either way the symbol now
 *    belongs to the new connection: the old connection's copies are dropped;
 *  - a held frame beyond the book waits for the old connection to catch up;
 *  - until the new connection has delivered past the book, its frames already in the book are
 *    dropped (futures would count a repeated `u == book` as a gap).
 * Symbols without a trusted book move at once (they are resyncing anyway).
 *
 * Trades (`t` / `a` ids, consecutive per symbol): the same rules on the highest id delivered
 * (seeded with the last trade the feed emitted before the overlap). For a symbol that never traded,
 * the new connection's trades wait until the symbol's depth has moved (the old connection has then
 * caught up with the new one); symbols without a depth stream move at once.
 *
 * `complete`: every depth stream belongs to the new connection — the old one can be closed.
 * `finish()`: the old connection is gone; whatever is held is delivered (a forced switch may cost a
 * resync, which the feed detects), and the router keeps dropping repeats until `drained`.
 *
 * Other frames of the new connection (acks, tickers) are copies and are dropped while both run.
 * Held frames keep their receive time unless that would step backwards: the feed sees
 * non-decreasing receive times. Frames are parsed only during the overlap (seconds, once a day).
 */
import type { Micros } from '../../../core/market/events.ts';
import { DepthScan, ScanResult } from '../../../core/venues/binance/depth-scanner.ts';
import { isCombined } from '../../../core/venues/binance/wire.ts';
import type { VenueFeed } from '../../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../../core/venues/symbol-book.ts';
import { isObject, parseJson } from '../../../core/venues/wire-guards.ts';
import type { Deliver } from '../protocols/venue-protocol.ts';
import type { Handover } from './handover.ts';

interface Held {
  readonly raw: string;
  readonly ts: Micros;
  /** Depth: U; trade: id. */
  readonly first: number;
  /** Depth: u; trade: id. */
  readonly last: number;
  /** Futures depth: pu; otherwise NaN. */
  readonly prev: number;
}

/** One stream of one symbol while it moves from the old connection to the new one. */
class StreamSwitch {
  /** The new connection feeds this stream; the old one's copies are dropped. */
  onNew = false;
  /** The new connection has delivered past everything the old one did. */
  caughtUp = false;
  held: Held[] = [];
  /** Trades: highest id delivered (NaN: none since the overlap began). */
  highest = Number.NaN;
  /** Trades: counted in tradesBehind. */
  counted = false;
  /** Trades: counted in tradesWaiting (new trades held until the old connection catches up). */
  waiting = false;
}

export class BinanceHandover implements Handover {
  duplicates = 0;
  private readonly scan = new DepthScan();
  private readonly books = new Map<string, SymbolBook>();
  private readonly depth = new Map<string, StreamSwitch>();
  private readonly trades = new Map<string, StreamSwitch>();
  /** Trade streams by symbol, to settle them when the symbol's depth moves. */
  private readonly tradesOf = new Map<string, StreamSwitch[]>();
  private depthOnOld = 0;
  private depthBehind = 0;
  private tradesBehind = 0;
  private tradesWaiting = 0;
  private sawNewData = false;
  private oldGone = false;
  private lastTs = 0;

  constructor(
    feed: VenueFeed,
    private readonly futures: boolean,
    private readonly deliverFn: Deliver,
    /** The id of the last trade the feed emitted for a venue symbol (NaN: none). */
    private readonly lastTradeId: (venueSymbol: string) => number = () => Number.NaN,
  ) {
    for (const sb of feed.books()) {
      const symbol = sb.venueSymbol.toUpperCase();
      this.books.set(symbol, sb);
      if (sb.trust === 'trusted') {
        this.depth.set(symbol, new StreamSwitch());
        this.depthOnOld++;
        this.depthBehind++;
      }
    }
  }

  get complete(): boolean {
    return this.depthOnOld === 0 && this.tradesWaiting === 0 && this.sawNewData;
  }

  /** After finish(): nothing the new connection sends can repeat what the old one delivered. */
  get drained(): boolean {
    return this.oldGone && this.depthBehind === 0 && this.tradesBehind === 0;
  }

  fromOld(raw: string, localTs: Micros): void {
    if (this.scan.scan(raw) === ScanResult.Depth) {
      const symbol = this.symbol(raw);
      const sw = this.depth.get(symbol);
      if (!sw || sw.onNew) {
        this.duplicates++;
        return;
      }
      this.deliver(raw, localTs, false);
      this.settleDepth(symbol, sw);
      return;
    }
    this.other(raw, localTs, false);
  }

  fromNew(raw: string, localTs: Micros): void {
    if (this.scan.scan(raw) === ScanResult.Depth) {
      this.sawNewData = true;
      const symbol = this.symbol(raw);
      const sw = this.depth.get(symbol);
      const s = this.scan;
      if (!sw) {
        this.deliver(raw, localTs, true);
        return;
      }
      if (sw.onNew) {
        this.newDepth(symbol, sw, raw, localTs, s.finalId);
        return;
      }
      sw.held.push({ raw, ts: localTs, first: s.firstId, last: s.finalId, prev: s.prevFinalId });
      this.settleDepth(symbol, sw);
      return;
    }
    this.other(raw, localTs, true);
  }

  finish(): void {
    this.oldGone = true;
    this.sawNewData = true;
    for (const [symbol, sw] of this.depth) {
      if (sw.onNew) continue;
      this.takeOver(sw);
      if (sw.held.length > 0) {
        // Frames beyond the book that the old connection never caught up with: hand them over; a
        // missing bridge is a gap the feed detects (and resyncs).
        this.setCaughtUp(sw);
        const held = sw.held;
        sw.held = [];
        for (const h of held) this.deliver(h.raw, h.ts, true);
      } else {
        this.flushDepth(symbol, sw);
      }
    }
    for (const sw of this.trades.values()) {
      if (sw.onNew) continue;
      sw.onNew = true;
      this.flushTrades(sw);
    }
  }

  private symbol(raw: string): string {
    return raw.slice(this.scan.symbolStart, this.scan.symbolEnd).toUpperCase();
  }

  private deliver(raw: string, ts: Micros, fromNew: boolean): void {
    const t = ts < this.lastTs ? this.lastTs : ts;
    this.lastTs = t;
    this.deliverFn(raw, t, fromNew);
  }

  private takeOver(sw: StreamSwitch): void {
    if (sw.onNew) return;
    sw.onNew = true;
    this.depthOnOld--;
  }

  /** The symbol's depth moved: trades that waited for it may move too. */
  private depthMoved(symbol: string): void {
    for (const t of this.tradesOf.get(symbol) ?? []) if (!t.onNew) this.settleTrades(symbol, t);
  }

  private setCaughtUp(sw: StreamSwitch): void {
    if (sw.caughtUp) return;
    sw.caughtUp = true;
    this.depthBehind--;
  }

  /** A depth frame of the new connection for a symbol it owns. */
  private newDepth(symbol: string, sw: StreamSwitch, raw: string, ts: Micros, last: number): void {
    if (!sw.caughtUp) {
      const sb = this.books.get(symbol);
      if (sb?.trust === 'trusted' && last <= sb.sequence) {
        this.duplicates++;
        return;
      }
      this.setCaughtUp(sw);
    }
    this.deliver(raw, ts, true);
  }

  /** The book or the held frames changed: can the new connection take the symbol over? */
  private settleDepth(symbol: string, sw: StreamSwitch): void {
    const sb = this.books.get(symbol);
    if (sb?.trust !== 'trusted') {
      // The book broke on the old connection: it resyncs from the new one.
      this.takeOver(sw);
      this.setCaughtUp(sw);
      const held = sw.held;
      sw.held = [];
      for (const h of held) this.deliver(h.raw, h.ts, true);
      this.depthMoved(symbol);
      return;
    }
    const h = sw.held[0];
    if (!h) return;
    const behindOrLevel =
      h.last <= sb.sequence || (this.futures ? h.prev === sb.sequence : h.first <= sb.sequence + 1);
    if (!behindOrLevel) return; // ahead of the book: wait for the old connection
    this.takeOver(sw);
    this.flushDepth(symbol, sw);
    this.depthMoved(symbol);
  }

  private flushDepth(symbol: string, sw: StreamSwitch): void {
    const held = sw.held;
    sw.held = [];
    for (const x of held) this.newDepth(symbol, sw, x.raw, x.ts, x.last);
  }

  private other(raw: string, localTs: Micros, fromNew: boolean): void {
    const parsed = parseJson(raw);
    const msg: unknown = isCombined(parsed) ? parsed.data : parsed;
    const id = isObject(msg)
      ? msg.e === 'trade'
        ? msg.t
        : msg.e === 'aggTrade'
          ? msg.a
          : undefined
      : undefined;
    if (!isObject(msg) || typeof id !== 'number' || typeof msg.s !== 'string') {
      // Not a trade: while both connections run, the new one's copy is a duplicate.
      if (fromNew && !this.oldGone) this.duplicates++;
      else this.deliver(raw, localTs, fromNew);
      return;
    }
    const symbol = msg.s.toUpperCase();
    const key = `${String(msg.e)}|${symbol}`;
    let sw = this.trades.get(key);
    if (!sw) {
      sw = new StreamSwitch();
      sw.highest = this.lastTradeId(symbol);
      if (!Number.isNaN(sw.highest)) {
        sw.counted = true;
        this.tradesBehind++;
      }
      this.trades.set(key, sw);
      const list = this.tradesOf.get(symbol);
      if (list) list.push(sw);
      else this.tradesOf.set(symbol, [sw]);
    }
    if (!fromNew) {
      if (sw.onNew) {
        this.duplicates++;
        return;
      }
      this.deliver(raw, localTs, false);
      if (!(id <= sw.highest)) sw.highest = id;
      if (!sw.counted) {
        sw.counted = true;
        this.tradesBehind++;
      }
      this.settleTrades(symbol, sw);
      return;
    }
    this.sawNewData = true;
    if (sw.onNew) {
      this.newTrade(sw, raw, localTs, id);
      return;
    }
    sw.held.push({ raw, ts: localTs, first: id, last: id, prev: Number.NaN });
    if (!sw.waiting) {
      sw.waiting = true;
      this.tradesWaiting++;
    }
    this.settleTrades(symbol, sw);
  }

  private newTrade(sw: StreamSwitch, raw: string, ts: Micros, id: number): void {
    if (id <= sw.highest) {
      this.duplicates++;
      return;
    }
    sw.highest = id;
    if (!sw.caughtUp) {
      sw.caughtUp = true;
      if (sw.counted) this.tradesBehind--;
    }
    this.deliver(raw, ts, true);
  }

  private settleTrades(symbol: string, sw: StreamSwitch): void {
    const h = sw.held[0];
    if (!h) return;
    let behindOrLevel: boolean;
    if (Number.isNaN(sw.highest)) {
      const d = this.depth.get(symbol);
      behindOrLevel = d === undefined || d.onNew;
    } else behindOrLevel = h.first <= sw.highest + 1;
    if (!behindOrLevel) return;
    sw.onNew = true;
    this.flushTrades(sw);
  }

  private flushTrades(sw: StreamSwitch): void {
    if (sw.waiting) {
      sw.waiting = false;
      this.tradesWaiting--;
    }
    const held = sw.held;
    sw.held = [];
    for (const x of held) this.newTrade(sw, x.raw, x.ts, x.first);
    if (Number.isNaN(sw.highest) && !sw.caughtUp) sw.caughtUp = true;
  }
}
