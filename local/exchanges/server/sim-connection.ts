/** One client websocket on a simulated venue, with the venue's per-connection state `S`. */
import type { WebSocket } from 'ws';

export class SimConnection<S> {
  readonly id: number;
  readonly ws: WebSocket;
  readonly state: S;
  /** Frames written to the socket (after faults; a duplicated frame counts twice). */
  framesSent = 0;
  /** Frames received from the client. */
  framesReceived = 0;
  /** Simulator time of the last frame written (µs), for heartbeats. */
  lastSentAt = 0;
  /** Frames held back while the venue stalls. */
  stalled: string[] = [];
  /** A frame held back by a reorder fault, released after the next frame of `heldSymbol`. */
  held: string | undefined;
  heldSymbol = '';
  /** Ping sent and no pong yet since (µs), 0 when none outstanding. */
  pingOutstandingSince = 0;

  constructor(id: number, ws: WebSocket, state: S) {
    this.id = id;
    this.ws = ws;
    this.state = state;
  }

  get open(): boolean {
    return this.ws.readyState === 1;
  }
}
