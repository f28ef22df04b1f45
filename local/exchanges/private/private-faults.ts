/**
 * Faults on a simulator's private API, armed on demand: each call arms ONE fault that fires on the
 * next matching request or stream message; `injected[kind]` counts the faults that actually fired,
 * so a test can assert the fault happened before asserting how the client coped.
 */
export type PrivateFaultKind =
  | 'reject'
  | 'delayed_ack'
  | 'dropped_fill'
  | 'stream_disconnect'
  | 'duplicated_fill';

export interface ArmedReject {
  readonly code: number;
  readonly msg: string;
}

export class PrivateFaults {
  readonly injected: Record<PrivateFaultKind, number> = {
    reject: 0,
    delayed_ack: 0,
    dropped_fill: 0,
    stream_disconnect: 0,
    duplicated_fill: 0,
  };
  private reject: ArmedReject | undefined;
  private delayMs = 0;
  private dropFill = false;
  private duplicateFill = false;

  constructor(private readonly disconnect: () => number) {}

  /** The next new order is refused with this venue error (default: -2010 insufficient balance). */
  rejectNextOrder(code = -2010, msg = 'Account has insufficient balance for requested action.'): void {
    this.reject = { code, msg };
  }

  /** The next new order is placed at once, but its REST answer waits `ms`. */
  delayNextAck(ms: number): void {
    this.delayMs = ms;
  }

  /** The next fill's stream message is not sent (REST still shows the fill). */
  dropNextFillMessage(): void {
    this.dropFill = true;
  }

  /** The next fill's stream message is sent twice. */
  duplicateNextFillMessage(): void {
    this.duplicateFill = true;
  }

  /** Cut every private stream now (no close frame); returns how many. */
  disconnectPrivateStreams(): number {
    const n = this.disconnect();
    if (n > 0) this.injected.stream_disconnect++;
    return n;
  }

  takeReject(): ArmedReject | undefined {
    const r = this.reject;
    if (r) {
      this.reject = undefined;
      this.injected.reject++;
    }
    return r;
  }

  takeAckDelay(): number {
    const ms = this.delayMs;
    if (ms > 0) {
      this.delayMs = 0;
      this.injected.delayed_ack++;
    }
    return ms;
  }

  /** How many times to send the next fill message: 0 (dropped), 1, or 2 (duplicated). */
  takeFillCopies(): number {
    if (this.dropFill) {
      this.dropFill = false;
      this.injected.dropped_fill++;
      return 0;
    }
    if (this.duplicateFill) {
      this.duplicateFill = false;
      this.injected.duplicated_fill++;
      return 2;
    }
    return 1;
  }
}
