/**
 * The overlap of a planned connection switch: for a while two connections of one shard deliver the
 * same streams. A Handover sees every frame of both and hands the feed each update exactly once, in
 * an order the feed's sequence checks accept, until the new connection carries everything.
 */
import type { Micros } from '../../../core/market/events.ts';

export interface Handover {
  /** A frame from the connection being replaced. */
  fromOld(raw: string, localTs: Micros): void;
  /** A frame from the replacement connection. */
  fromNew(raw: string, localTs: Micros): void;
  /** True once the new connection carries every stream: the old one can be closed. */
  readonly complete: boolean;
  /** After finish(): true once nothing the new connection sends can repeat what the old one sent. */
  readonly drained: boolean;
  /** Frames dropped as duplicates so far. */
  readonly duplicates: number;
  /**
   * The old connection is gone (closed after `complete`, timed out, or lost): every stream belongs
   * to the new one now. Until `drained`, new frames still go through fromNew (repeats dropped).
   */
  finish(): void;
}
