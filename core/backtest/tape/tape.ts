/**
 * The event tape: a recorded session as columns of typed arrays, in receive-time (localTs) order,
 * with a second ordering by exchange time for the simulated exchange (hftbacktest's EXCH/LOCAL rows:
 * the exchange sees events at exchange time, the strategy at local time; see core/sim).
 *
 * Columns (row i):
 *   kind[i]    EventKind            flags[i]  EventFlag bits (side, aggressor, end of message)
 *   inst[i]    index into `instruments`
 *   exchTs[i]  exchange time µs, corrected onto the local clock (see clock-skew.ts); ≤ localTs[i]
 *   localTs[i] receive time µs, non-decreasing
 *   price[i], size[i]  integer units of the instrument (doubles hold them exactly)
 *   aux[i]     L3 rows: order id (interned number); Funding rows: next funding time
 *
 * Design decisions:
 * - Struct of arrays, not an array of event objects: a replay walks memory linearly, allocates
 *   nothing and does not re-parse JSON (the ~10× that hftbacktest's npz files buy over raw feeds).
 * - Times are Float64 µs, not BigInt ns: µs since 1970 stay exact in a double until 2255 and doubles
 *   are an order of magnitude faster than BigInt in V8.
 * - `exchOrder` is a permutation instead of a second copy of the columns: the two orders differ
 *   only where feed latency jitters (a few hundred rows per 6 minutes of Binance BTCUSDT), so the
 *   indirection is nearly sequential and costs 4 bytes per row instead of 57.
 */
import type { Micros } from '../../market/events.ts';
import type { ExchangeId } from '../../market/exchange.ts';
import type { Instrument } from '../../market/instrument.ts';

/** Where a tape's rows came from (one per capture), for reports. */
export interface TapeSource {
  readonly name: string;
  readonly exchange: ExchangeId;
  readonly rows: number;
  /** µs subtracted from the venue's clock to put it on our receive clock (see clock-skew.ts). */
  readonly clockOffsetUs: number;
  /** Median corrected feed latency (localTs − exchTs) of the source's rows, µs. */
  readonly medianFeedLatencyUs: number;
}

export interface TapeColumns {
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly inst: Uint16Array;
  readonly exchTs: Float64Array;
  readonly localTs: Float64Array;
  readonly price: Float64Array;
  readonly size: Float64Array;
  readonly aux: Float64Array;
}

export class Tape implements TapeColumns {
  readonly length: number;
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly inst: Uint16Array;
  readonly exchTs: Float64Array;
  readonly localTs: Float64Array;
  readonly price: Float64Array;
  readonly size: Float64Array;
  readonly aux: Float64Array;
  /** Row indices in exchange-time order (stable: ties keep receive order, so messages stay whole). */
  readonly exchOrder: Int32Array;
  readonly instruments: readonly Instrument[];
  readonly sources: readonly TapeSource[];
  /** True when the tape holds order-level rows (the L3 FIFO queue model needs them). */
  readonly hasL3: boolean;

  constructor(
    length: number,
    columns: TapeColumns,
    exchOrder: Int32Array,
    instruments: readonly Instrument[],
    sources: readonly TapeSource[],
  ) {
    this.length = length;
    this.kind = columns.kind;
    this.flags = columns.flags;
    this.inst = columns.inst;
    this.exchTs = columns.exchTs;
    this.localTs = columns.localTs;
    this.price = columns.price;
    this.size = columns.size;
    this.aux = columns.aux;
    this.exchOrder = exchOrder;
    this.instruments = instruments;
    this.sources = sources;
    let l3 = false;
    for (let i = 0; i < length; i++) {
      const k = columns.kind[i]!;
      if (k >= 10 && k <= 13) {
        l3 = true;
        break;
      }
    }
    this.hasL3 = l3;
  }

  /** Receive time of the first row (NaN when empty). */
  get startTs(): Micros {
    return this.length > 0 ? this.localTs[0]! : Number.NaN;
  }

  /** Receive time of the last row (NaN when empty). */
  get endTs(): Micros {
    return this.length > 0 ? this.localTs[this.length - 1]! : Number.NaN;
  }

  /** Index of an instrument by unified or venue symbol (optionally on one exchange); -1 if absent. */
  instrumentIndex(symbol: string, exchange?: ExchangeId): number {
    return this.instruments.findIndex(
      (i) =>
        (exchange === undefined || i.exchange === exchange) &&
        (i.symbol === symbol || i.venueSymbol === symbol),
    );
  }

  /**
   * A short deterministic digest of the content (FNV-1a over the row count, the instruments and a
   * sample of rows): part of a run id, so two different tapes do not share one.
   */
  fingerprint(): string {
    let h = 0x811c9dc5;
    const mix = (x: number) => {
      // Fold a double into 32 bits through its decimal text (exact for our integers).
      const s = String(x);
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    };
    mix(this.length);
    for (const i of this.instruments) {
      mix(i.priceScale);
      mix(i.sizeScale);
      for (let c = 0; c < i.symbol.length; c++) h = Math.imul(h ^ i.symbol.charCodeAt(c), 0x01000193);
    }
    const step = Math.max(1, this.length >>> 10);
    for (let r = 0; r < this.length; r += step) {
      mix(this.kind[r]!);
      mix(this.localTs[r]!);
      mix(this.price[r]!);
      mix(this.size[r]!);
    }
    if (this.length > 0) mix(this.localTs[this.length - 1]!);
    return (h >>> 0).toString(16).padStart(8, '0');
  }
}
