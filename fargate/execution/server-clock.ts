/**
 * The venue's clock as we estimate it: local wall time plus a measured offset. The offset is the
 * server time minus the midpoint of the request's round trip (NTP's estimate); re-measured at start,
 * periodically, and whenever the venue says our timestamp is outside its recvWindow.
 */

export interface WallClock {
  /** Wall-clock milliseconds since the epoch (Date.now for the real thing). */
  nowMs(): number;
}

export const systemWallClock: WallClock = { nowMs: () => Date.now() };

export class ServerClock {
  /** Server minus local, ms. */
  offsetMs = 0;
  /** Round trip of the last measurement, ms. */
  lastRttMs = Number.NaN;
  syncs = 0;

  constructor(private readonly local: WallClock = systemWallClock) {}

  /** The venue's time now, integer ms: what goes in `timestamp`. */
  nowMs(): number {
    return Math.round(this.local.nowMs() + this.offsetMs);
  }

  /** Measure the offset with `serverTimeMs`, which asks the venue's time endpoint. */
  async sync(serverTimeMs: () => Promise<number>): Promise<void> {
    const sent = this.local.nowMs();
    const server = await serverTimeMs();
    const received = this.local.nowMs();
    this.lastRttMs = received - sent;
    this.offsetMs = server - (sent + received) / 2;
    this.syncs++;
  }
}
