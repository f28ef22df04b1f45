/**
 * Fault injection for one simulated venue, on demand (tests, the demo). Each fault is armed by a call
 * and fires once, on the next message (or request) it applies to; `injected` counts the faults that
 * actually fired, so a test can assert that the client detected every one of them.
 *
 * Message faults apply to BOOK frames (the ones a client's sequence or checksum can reveal) unless
 * the target says `kind: 'trade'`; a `symbol` narrows them to one venue symbol. On Kraken, whose
 * only gap detector is the checksum over the top 10 levels, message faults skip frames that change
 * nothing in the top 10: dropping one of those is invisible to any client (see README).
 */

export type FaultKind =
  | 'drop_connection'
  | 'drop_message'
  | 'duplicate_message'
  | 'reorder_messages'
  | 'corrupt_checksum'
  | 'stall'
  | 'refuse_snapshot';

export const FAULT_KINDS: readonly FaultKind[] = [
  'drop_connection',
  'drop_message',
  'duplicate_message',
  'reorder_messages',
  'corrupt_checksum',
  'stall',
  'refuse_snapshot',
];

export interface FaultTarget {
  /** Only frames of this venue symbol. */
  readonly symbol?: string;
  /** Which frames: book updates (default) or trades. */
  readonly kind?: 'book' | 'trade';
}

/** HTTP status of a refused snapshot: 503 (unavailable) or 429 (rate limited, with Retry-After). */
export type RefusalStatus = 429 | 503;

/** The fault API every simulated venue offers. */
export interface VenueFaults {
  /** Cut every open websocket connection now, without a close frame. Returns how many were cut. */
  dropConnection(): number;
  /** The next matching frame is not sent. */
  dropNextMessage(target?: FaultTarget): void;
  /** The next matching frame is sent twice. */
  duplicateNextMessage(target?: FaultTarget): void;
  /** The next matching frame is held back and sent after the following frame of the same symbol. */
  reorderNextMessages(target?: FaultTarget): void;
  /** Send nothing at all for `ms` milliseconds, then deliver the backlog in order. */
  stall(ms: number): void;
  /**
   * Refuse the next snapshot: a REST book request gets `status` with the venue's error body; on
   * venues whose snapshots come in-band (Kraken, Coinbase, Bybit) the next book subscription is
   * answered with the venue's subscription error instead.
   */
  refuseNextSnapshot(options?: { status?: RefusalStatus }): void;
  /** Faults that fired, by kind. */
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** Armed faults that have not fired yet. */
  pending(): number;
  /** Disarm everything not yet fired. */
  clearPending(): void;
}

/** Kraken: venues that send checksums. */
export interface ChecksumFaults extends VenueFaults {
  /** The next book update of the (matching) symbol carries a wrong checksum. */
  corruptNextChecksum(target?: { symbol?: string }): void;
}

/** Frame classes the send pipeline knows. */
export const Frame = {
  /** Replies, heartbeats, acks: never the target of message faults. */
  Control: 0,
  Book: 1,
  /** A book frame no client could verify (Kraken: nothing changes in the checksummed top 10). */
  BookUnverifiable: 2,
  Trade: 3,
} as const;
export type Frame = (typeof Frame)[keyof typeof Frame];

type MessageFault = 'drop_message' | 'duplicate_message' | 'reorder_messages' | 'corrupt_checksum';

interface Armed {
  readonly fault: MessageFault;
  readonly symbol: string | undefined;
  readonly frame: Frame;
}

/** What the server must do for the venue-wide faults. */
export interface FaultHost {
  dropAllConnections(): number;
  stallFor(ms: number): void;
}

export class FaultInjector implements ChecksumFaults {
  readonly injected: Record<FaultKind, number> = {
    drop_connection: 0,
    drop_message: 0,
    duplicate_message: 0,
    reorder_messages: 0,
    corrupt_checksum: 0,
    stall: 0,
    refuse_snapshot: 0,
  };
  private armed: Armed[] = [];
  private refusals: RefusalStatus[] = [];
  private readonly host: FaultHost;

  constructor(host: FaultHost) {
    this.host = host;
  }

  dropConnection(): number {
    this.injected.drop_connection++;
    return this.host.dropAllConnections();
  }

  dropNextMessage(target?: FaultTarget): void {
    this.arm('drop_message', target);
  }

  duplicateNextMessage(target?: FaultTarget): void {
    this.arm('duplicate_message', target);
  }

  reorderNextMessages(target?: FaultTarget): void {
    this.arm('reorder_messages', target);
  }

  corruptNextChecksum(target?: { symbol?: string }): void {
    this.arm('corrupt_checksum', target);
  }

  stall(ms: number): void {
    this.injected.stall++;
    this.host.stallFor(ms);
  }

  refuseNextSnapshot(options?: { status?: RefusalStatus }): void {
    this.refusals.push(options?.status ?? 503);
  }

  pending(): number {
    return this.armed.length + this.refusals.length;
  }

  clearPending(): void {
    this.armed = [];
    this.refusals = [];
  }

  private arm(fault: MessageFault, target?: FaultTarget): void {
    this.armed.push({
      fault,
      symbol: target?.symbol,
      frame: target?.kind === 'trade' ? Frame.Trade : Frame.Book,
    });
  }

  /** Is any message fault armed? (Cheap test for the send path.) */
  get hasMessageFaults(): boolean {
    return this.armed.length > 0;
  }

  /**
   * The armed fault (other than checksum corruption) that fires on this frame, if any; it is
   * consumed and counted.
   */
  takeMessageFault(frame: Frame, symbol: string): MessageFault | undefined {
    if (frame === Frame.Control || frame === Frame.BookUnverifiable) return undefined;
    const list = this.armed;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.fault === 'corrupt_checksum' || a.frame !== frame) continue;
      if (a.symbol !== undefined && a.symbol !== symbol) continue;
      list.splice(i, 1);
      this.injected[a.fault]++;
      return a.fault;
    }
    return undefined;
  }

  /** Should this book update of `symbol` carry a wrong checksum? Consumed and counted when true. */
  takeChecksumCorruption(symbol: string): boolean {
    const list = this.armed;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.fault !== 'corrupt_checksum') continue;
      if (a.symbol !== undefined && a.symbol !== symbol) continue;
      list.splice(i, 1);
      this.injected.corrupt_checksum++;
      return true;
    }
    return false;
  }

  /** The status to refuse this snapshot with, if a refusal is armed (consumed and counted). */
  takeRefusal(): RefusalStatus | undefined {
    const status = this.refusals.shift();
    if (status !== undefined) this.injected.refuse_snapshot++;
    return status;
  }
}
