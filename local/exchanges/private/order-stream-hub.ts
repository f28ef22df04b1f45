/**
 * The private order-stream connections of one spot simulator (Kraken WS v2 `executions`, KuCoin
 * `/spotMarket/tradeOrdersV2`, Coinbase `user`): which socket belongs to which account once it has
 * authenticated and subscribed, a per-connection message sequence (Kraken's `sequence`, Coinbase's
 * `sequence_num`), and the cut of every socket (the `stream_disconnect` fault).
 */
import type { WebSocket } from 'ws';

/** Writes one message for a connection, given that connection's next sequence number. */
export type StreamMessage = (sequence: number) => string;

interface StreamConn {
  apiKey: string | undefined;
  sequence: number;
}

export class OrderStreamHub {
  private readonly conns = new Map<WebSocket, StreamConn>();
  /** Messages pushed to subscribed connections (a duplicated message counts twice). */
  pushed = 0;

  open(ws: WebSocket): void {
    this.conns.set(ws, { apiKey: undefined, sequence: 0 });
  }

  close(ws: WebSocket): void {
    this.conns.delete(ws);
  }

  /** The connection authenticated as `apiKey` and subscribed: pushes of that account reach it. */
  subscribe(ws: WebSocket, apiKey: string): void {
    const c = this.conns.get(ws);
    if (c) c.apiKey = apiKey;
  }

  subscribed(ws: WebSocket): boolean {
    return this.conns.get(ws)?.apiKey !== undefined;
  }

  /**
   * One message to every subscribed connection of `apiKey`, sent `copies` times: 0 numbers it but
   * sends nothing (a lost message leaves a gap in the sequence), 2 sends the same text twice.
   */
  push(apiKey: string, message: StreamMessage, copies = 1): void {
    for (const [ws, c] of this.conns) {
      if (c.apiKey !== apiKey) continue;
      const text = message(c.sequence++);
      for (let i = 0; i < copies; i++) {
        ws.send(text);
        this.pushed++;
      }
    }
  }

  /** Cuts every connection (no close frame); returns how many. */
  dropAll(): number {
    const n = this.conns.size;
    for (const ws of this.conns.keys()) ws.terminate();
    return n;
  }
}
