/**
 * The books a tape ends with, as `cli books` lines: every book row (Clear, Snapshot, Depth) applied
 * to an L2 book per instrument. Used where books come from stored rows rather than a venue feed
 * (recorded-rows-tape.ts), so the printed top of book is the one a backtest on the tape would see.
 */
import { L2Book } from '../../book/l2-book.ts';
import type { BookLine, BooksSummary } from '../../capture/books-summary.ts';
import { formatDecimalTrimmed } from '../../num/format-decimal.ts';
import type { FeedCounters } from '../../venues/feed-types.ts';
import { EventFlag, EventKind } from './event-kind.ts';
import type { Tape } from './tape.ts';

function text(units: number, scale: number): string | null {
  return Number.isNaN(units) ? null : formatDecimalTrimmed(units, scale);
}

/** `counters`: the build's totals (messages, trades, …); the lines' own counts come from the tape. */
export function tapeBooks(tape: Tape, counters: FeedCounters): BooksSummary {
  const books = tape.instruments.map(() => new L2Book());
  const messages = new Float64Array(tape.instruments.length);
  const changes = new Float64Array(tape.instruments.length);
  const seen = new Uint8Array(tape.instruments.length);
  for (let r = 0; r < tape.length; r++) {
    const k = tape.kind[r]!;
    const i = tape.inst[r]!;
    if (k === EventKind.Clear) {
      books[i]!.clear();
      seen[i] = 1;
    } else if (k === EventKind.Snapshot || k === EventKind.Depth) {
      books[i]!.set((tape.flags[r]! & EventFlag.Bid) !== 0, tape.price[r]!, tape.size[r]!);
      changes[i]!++;
    } else continue;
    if ((tape.flags[r]! & EventFlag.Eom) !== 0) messages[i]!++;
  }
  const lines: BookLine[] = [];
  tape.instruments.forEach((inst, i) => {
    if (!seen[i]) return;
    const b = books[i]!;
    const bid = text(b.bestBid(), inst.priceScale);
    const ask = text(b.bestAsk(), inst.priceScale);
    lines.push({
      exchange: inst.exchange,
      symbol: inst.symbol,
      venueSymbol: inst.venueSymbol,
      trusted: true,
      trust: 'trusted',
      bestBid: bid === null ? null : Number(bid),
      bestAsk: ask === null ? null : Number(ask),
      bestBidText: bid,
      bestAskText: ask,
      bidLevels: b.bids.count,
      askLevels: b.asks.count,
      messages: messages[i]!,
      levelChanges: changes[i]!,
      gaps: 0,
      checksumsVerified: 0,
      checksumsFailed: 0,
      qualityScore: null,
    });
  });
  lines.sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol));
  return { ...counters, rejectedByReason: { ...counters.rejectedByReason }, books: lines };
}
