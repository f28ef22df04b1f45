/**
 * Test harness for the exchange simulators: a raw `ws` client (real subscribe messages, every frame
 * kept), a core feed driven by that client's frames the way a connector would (REST snapshots
 * fetched on request, in-band resubscribes delegated to the test), and `settle` — wait until the
 * client has received every frame the server wrote and every REST request has been answered.
 */
import { WebSocket } from 'ws';
import type { VenueFeed } from '../../../core/venues/feed-types.ts';
import { wallClock } from '../../../local/exchanges/clock.ts';
import type { VenueServer } from '../../../local/exchanges/server/venue-server.ts';

export class RawClient {
  readonly ws: WebSocket;
  readonly frames: string[] = [];
  closed = false;
  private readonly waiters: Array<{ pred: (f: string) => boolean; resolve: (f: string) => void }> = [];
  onFrame: ((frame: string) => void) | undefined;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const f = data.toString();
      this.frames.push(f);
      this.onFrame?.(f);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i]!;
        if (w.pred(f)) {
          this.waiters.splice(i, 1);
          w.resolve(f);
        }
      }
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  static connect(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The first frame (already received or future) matching `pred`. */
  waitFor(pred: (f: string) => boolean, timeoutMs = 5000): Promise<string> {
    const seen = this.frames.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return this.next(pred, timeoutMs);
  }

  /** The next frame from now on matching `pred`. */
  next(pred: (f: string) => boolean, timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      this.waiters.push(w);
      const t = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(
          new Error(`no matching frame within ${timeoutMs} ms (last: ${this.frames.at(-1)?.slice(0, 200)})`),
        );
      }, timeoutMs);
      w.resolve = (f) => {
        clearTimeout(t);
        resolve(f);
      };
    });
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    return until(() => this.closed, timeoutMs, 'connection close');
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Drives a core feed with a RawClient's frames, as a connector would. */
export class FeedClient {
  readonly feed: VenueFeed;
  client: RawClient;
  readonly rest: string;
  inFlight = 0;
  /** REST snapshot responses that were refused: status and body. */
  readonly refused: Array<{ status: number; body: string }> = [];
  /** Resubscribe requests the feed made (the test answers them). */
  readonly resubscribes: string[] = [];

  constructor(feed: VenueFeed, client: RawClient, rest: string) {
    this.feed = feed;
    this.client = client;
    this.rest = rest;
    client.onFrame = (f) => feed.onMessage(f, wallClock());
  }

  /** After a reconnect: the same feed reads the new connection. */
  rebind(client: RawClient): void {
    this.client = client;
    client.onFrame = (f) => this.feed.onMessage(f, wallClock());
  }

  /** Fetch a REST snapshot for the feed (what a connector does on a 'rest' SnapshotRequest). */
  fetchSnapshot(venueSymbol: string, path: string, attempt = 1): void {
    this.inFlight++;
    void fetch(this.rest + path)
      .then(async (res) => {
        const body = await res.text();
        if (res.status === 200) this.feed.onSnapshot(venueSymbol, body, wallClock());
        else this.refused.push({ status: res.status, body });
      })
      .catch((error: unknown) => {
        // A loaded machine can reset a loopback connection; a real connector retries, so does this client.
        if (attempt < 5) this.fetchSnapshot(venueSymbol, path, attempt + 1);
        else throw error;
      })
      .finally(() => {
        this.inFlight--;
      });
  }
}

/** Wait until every frame the server wrote reached the client and no REST request is open. */
export async function settle(
  server: VenueServer<unknown>,
  clients: FeedClient[] | RawClient[],
  timeoutMs = 10_000,
): Promise<void> {
  const raws = clients.map((c) => (c instanceof FeedClient ? c.client : c));
  const feeds = clients.filter((c): c is FeedClient => c instanceof FeedClient);
  let quiet = 0;
  await until(
    () => {
      const sent = server.connections().reduce((n, c) => n + c.framesSent, 0);
      const got = raws.filter((c) => !c.closed).reduce((n, c) => n + c.frames.length, 0);
      const busy = feeds.some((f) => f.inFlight > 0) || server.stalled;
      // Two quiet polls in a row: a REST answer may trigger another request.
      quiet = sent === got && !busy ? quiet + 1 : 0;
      return quiet >= 2;
    },
    timeoutMs,
    'the client to catch up',
  );
}

export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
