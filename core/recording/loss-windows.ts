/**
 * Data-loss windows from a recording's state events (book_state and connection rows of the event
 * table), for `cli validate`. Pure: the adapter reads the rows, this turns them into windows.
 *
 * A book is lost from the moment its feed marks it 'stale' (or 'resyncing') until the next 'trusted'
 * (or the end of its session); a connection from 'disconnected'/'reconnecting' until 'connected'.
 * Only after the book was trusted (the connection connected) once in the session: its start, before
 * the first snapshot, is not a loss — nothing was there to lose. Nor is a connection (or a book
 * stale because its connection dropped) still down when the session ends: that is the recorder's
 * own shutdown (`npm start` stopping closes every connection), and the time after a session is
 * downtime, shown by the sessions' ranges.
 * The cause comes from the feed's reason (core/venues/feed-core.ts): "gap: …" and "checksum
 * mismatch…" are sequence breaks, "disconnected" a reconnect, anything else an untrusted book.
 */
import type { GapFinding, LossCause } from './validation-report.ts';

export interface StateRow {
  readonly session: number;
  readonly exchange: string;
  /** Path-safe symbol; ALL for connection events. */
  readonly symbol: string;
  readonly localTs: number;
  readonly type: 'book_state' | 'connection';
  readonly state: string;
  readonly detail: string;
}

export function lossCause(reason: string): LossCause {
  if (reason.startsWith('gap') || reason.startsWith('checksum')) return 'sequence_break';
  if (reason === 'disconnected') return 'reconnect';
  return 'untrusted_book';
}

const LOST_BOOK = new Set(['stale', 'resyncing']);
const LOST_CONNECTION = new Set(['disconnected', 'reconnecting']);

/**
 * Rows in recorder order (session, then rec_seq); `sessionEnd` gives each session's last receive
 * time, where a window still open ends.
 */
export function lossWindows(
  rows: readonly StateRow[],
  sessionEnd: ReadonlyMap<number, number>,
): GapFinding[] {
  const open = new Map<string, { cause: LossCause; from: number; detail: string; session: number }>();
  const out: GapFinding[] = [];
  const seenGood = new Set<string>();
  const close = (key: string, exchange: string, stream: string, to: number): void => {
    const w = open.get(key);
    if (!w) return;
    open.delete(key);
    out.push({
      cause: w.cause,
      exchange,
      stream,
      session: w.session,
      fromTs: w.from,
      toTs: to,
      gapMicros: Math.max(0, to - w.from),
      detail: w.detail,
    });
  };
  for (const r of rows) {
    const key = `${r.session}\u0000${r.type}\u0000${r.exchange}\u0000${r.symbol}`;
    const lost = r.type === 'book_state' ? LOST_BOOK.has(r.state) : LOST_CONNECTION.has(r.state);
    if (lost) {
      if (seenGood.has(key) && !open.has(key))
        open.set(key, {
          cause: r.type === 'connection' ? 'reconnect' : lossCause(r.detail),
          from: r.localTs,
          detail: r.detail || r.state,
          session: r.session,
        });
    } else if (r.state === 'trusted' || r.state === 'connected') {
      seenGood.add(key);
      close(key, r.exchange, r.symbol, r.localTs);
    }
  }
  for (const [key, w] of [...open.entries()]) {
    if (w.cause === 'reconnect') continue;
    const [, , exchange = '', symbol = ''] = key.split('\u0000');
    close(key, exchange, symbol, Math.max(w.from, sessionEnd.get(w.session) ?? w.from));
  }
  return out.sort((a, b) => b.gapMicros - a.gapMicros || a.fromTs - b.fromTs);
}
