/** Fan one feed's output out to several listeners (book printer, quality monitor, recorder…). */
import type { FeedListener } from './feed-types.ts';

export function combineListeners(...listeners: FeedListener[]): FeedListener {
  const books = listeners.filter((l) => l.onBook);
  const trades = listeners.filter((l) => l.onTrade);
  const events = listeners.filter((l) => l.onEvent);
  const requests = listeners.filter((l) => l.onSnapshotRequest);
  const rejects = listeners.filter((l) => l.onReject);
  const out: FeedListener = {};
  if (books.length === 1) out.onBook = books[0]!.onBook!.bind(books[0]);
  else if (books.length > 1)
    out.onBook = (b, c) => {
      for (const l of books) l.onBook!(b, c);
    };
  if (trades.length > 0)
    out.onTrade = (t) => {
      for (const l of trades) l.onTrade!(t);
    };
  if (events.length > 0)
    out.onEvent = (e) => {
      for (const l of events) l.onEvent!(e);
    };
  if (requests.length > 0)
    out.onSnapshotRequest = (r) => {
      for (const l of requests) l.onSnapshotRequest!(r);
    };
  if (rejects.length > 0)
    out.onReject = (r, d, raw) => {
      for (const l of rejects) l.onReject!(r, d, raw);
    };
  return out;
}
