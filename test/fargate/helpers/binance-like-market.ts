/**
 * A tiny Binance stand-in for connector tests: one symbol, a true book, diffs with consecutive update
 * ids (spot U/u, futures also pu) and trades with consecutive ids, sent on the combined-stream
 * endpoint to every connection that subscribed, plus the REST depth snapshot. Each connection can be
 * delayed, to make one of two overlapping connections run ahead of the other.
 */
import { seededRandom } from '../../../core/sim/random.ts';
import { type ServerConnection, startTestServer, type TestServer } from './test-server.ts';

export interface BinanceLikeOptions {
  futures?: boolean;
  symbol?: string;
  /** Delay (ms) of every frame sent on the connection with this index. */
  delayMs?: (connectionIndex: number) => number;
  seed?: number;
  /** Close every connection this long after it opened (Binance's 24 h, shrunk). */
  maxConnectionAgeMs?: number;
  /** Refuse websocket upgrades while this returns false. */
  accept?: () => boolean;
  /** Send a ping frame with this payload to every new connection. */
  pingPayload?: string;
}

function cents(c: number): string {
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

function qty(units: number): string {
  return `${Math.floor(units / 1e8)}.${String(units % 1e8).padStart(8, '0')}`;
}

export class BinanceLikeMarket {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  lastId = 1_000_000;
  tradeId = 7_000;
  readonly restPaths: string[] = [];
  /** Pong payloads received per connection index. */
  readonly pongs: Array<{ connection: number; payload: string }> = [];
  server!: TestServer;
  private readonly subs = new Map<ServerConnection, Set<string>>();
  private readonly random;
  private timer: NodeJS.Timeout | undefined;
  private readonly symbol: string;
  private readonly lower: string;

  private constructor(private readonly o: BinanceLikeOptions) {
    this.random = seededRandom(o.seed ?? 7);
    this.symbol = o.symbol ?? 'BTCUSDT';
    this.lower = this.symbol.toLowerCase();
    for (let i = 1; i <= 20; i++) {
      this.bids.set(5_000_000 - i * 100, 100_000_000 + i);
      this.asks.set(5_000_000 + i * 100, 200_000_000 + i);
    }
  }

  static async start(options: BinanceLikeOptions = {}): Promise<BinanceLikeMarket> {
    const m = new BinanceLikeMarket(options);
    m.server = await startTestServer({
      ...(options.accept ? { accept: options.accept } : {}),
      onConnection: (conn) => {
        if (options.pingPayload) conn.ws.ping(options.pingPayload);
        m.subs.set(conn, new Set());
        conn.ws.on('pong', (data: Buffer) =>
          m.pongs.push({ connection: conn.index, payload: data.toString() }),
        );
        if (options.maxConnectionAgeMs)
          setTimeout(() => conn.ws.close(1000, 'max age'), options.maxConnectionAgeMs);
      },
      onMessage: (conn, text) => {
        const msg = JSON.parse(text) as { method?: string; params?: string[]; id?: number };
        if (msg.method === 'SUBSCRIBE' && msg.params) {
          for (const p of msg.params) m.subs.get(conn)?.add(p);
          conn.ws.send(JSON.stringify({ result: null, id: msg.id }));
        }
      },
      onHttp: (req, res) => {
        m.restPaths.push(req.url ?? '');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(m.snapshotBody()));
      },
    });
    return m;
  }

  get wsUrl(): string {
    return this.server.wsUrl('/stream');
  }

  snapshotBody(): { lastUpdateId: number; bids: string[][]; asks: string[][] } {
    const { bids, asks } = this.trueBookText();
    return { lastUpdateId: this.lastId, bids, asks };
  }

  /** The true book as wire strings, best first. */
  trueBookText(): { bids: string[][]; asks: string[][] } {
    const bids = [...this.bids].sort((a, b) => b[0] - a[0]).map(([p, q]) => [cents(p), qty(q)]);
    const asks = [...this.asks].sort((a, b) => a[0] - b[0]).map(([p, q]) => [cents(p), qty(q)]);
    return { bids, asks };
  }

  /** The true book in the feed's integer units (price scale 2, size scale 8), best first. */
  trueBookUnits(): { bids: number[][]; asks: number[][] } {
    const bids = [...this.bids].sort((a, b) => b[0] - a[0]);
    const asks = [...this.asks].sort((a, b) => a[0] - b[0]);
    return { bids, asks };
  }

  /** One diff (1–3 update ids) and one trade, sent to every subscribed connection. */
  tick(): void {
    const r = this.random;
    const U = this.lastId + 1;
    const u = this.lastId + 1 + Math.floor(r() * 3);
    const pu = this.lastId;
    this.lastId = u;
    const b: string[][] = [];
    const a: string[][] = [];
    for (const [side, out, sign] of [
      [this.bids, b, -1],
      [this.asks, a, 1],
    ] as const) {
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) {
        const price = 5_000_000 + sign * (1 + Math.floor(r() * 25)) * 100;
        const remove = r() < 0.25 && side.size > 5;
        const size = remove ? 0 : 1 + Math.floor(r() * 500_000_000);
        if (size === 0) side.delete(price);
        else side.set(price, size);
        out.push([cents(price), qty(size)]);
      }
    }
    const E = Date.now();
    const data: Record<string, unknown> = { e: 'depthUpdate', E, s: this.symbol, U, u };
    if (this.o.futures) {
      data.T = E;
      data.pu = pu;
    }
    data.b = b;
    data.a = a;
    const tradeId = ++this.tradeId;
    const trade = this.o.futures
      ? {
          e: 'aggTrade',
          E,
          s: this.symbol,
          a: tradeId,
          p: '50000.00',
          q: '0.01000000',
          f: tradeId,
          l: tradeId,
          T: E,
          m: true,
        }
      : { e: 'trade', E, s: this.symbol, t: tradeId, p: '50000.00', q: '0.01000000', T: E, m: true, M: true };
    for (const [conn, streams] of this.subs) {
      const depth = [...streams].find((s) => s.startsWith(`${this.lower}@depth`));
      const tradeStream = [...streams].find(
        (s) => s === `${this.lower}@trade` || s === `${this.lower}@aggTrade`,
      );
      if (depth) this.send(conn, JSON.stringify({ stream: depth, data }));
      if (tradeStream) this.send(conn, JSON.stringify({ stream: tradeStream, data: trade }));
    }
  }

  private send(conn: ServerConnection, text: string): void {
    const delay = this.o.delayMs?.(conn.index) ?? 0;
    const go = (): void => {
      if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(text);
    };
    if (delay > 0) setTimeout(go, delay);
    else go();
  }

  startTicking(everyMs = 5): void {
    this.stopTicking();
    this.timer = setInterval(() => this.tick(), everyMs);
  }

  stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Streams each connection subscribed to. */
  subscriptions(conn: ServerConnection): string[] {
    return [...(this.subs.get(conn) ?? [])];
  }

  async close(): Promise<void> {
    this.stopTicking();
    await this.server.close();
  }
}
