/**
 * Growable column storage for building a tape; `finish` trims it and computes the exchange-time
 * order. Used by the capture builder, the merger and the transforms (loop, top-levels).
 */
import type { Instrument } from '../../market/instrument.ts';
import { exchangeOrder } from './exchange-order.ts';
import { Tape, type TapeColumns, type TapeSource } from './tape.ts';

export class TapeWriter implements TapeColumns {
  length = 0;
  kind: Uint8Array;
  flags: Uint8Array;
  inst: Uint16Array;
  exchTs: Float64Array;
  localTs: Float64Array;
  price: Float64Array;
  size: Float64Array;
  aux: Float64Array;

  constructor(capacity = 4096) {
    const n = Math.max(16, capacity);
    this.kind = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.inst = new Uint16Array(n);
    this.exchTs = new Float64Array(n);
    this.localTs = new Float64Array(n);
    this.price = new Float64Array(n);
    this.size = new Float64Array(n);
    this.aux = new Float64Array(n);
  }

  push(
    kind: number,
    flags: number,
    inst: number,
    exchTs: number,
    localTs: number,
    price: number,
    size: number,
    aux = 0,
  ): number {
    if (this.length === this.kind.length) this.grow();
    const i = this.length++;
    this.kind[i] = kind;
    this.flags[i] = flags;
    this.inst[i] = inst;
    this.exchTs[i] = exchTs;
    this.localTs[i] = localTs;
    this.price[i] = price;
    this.size[i] = size;
    this.aux[i] = aux;
    return i;
  }

  /** Copy row `r` of `from`, with another instrument index and time shift. */
  copyRow(from: TapeColumns, r: number, inst: number, shiftUs = 0): void {
    this.push(
      from.kind[r]!,
      from.flags[r]!,
      inst,
      from.exchTs[r]! + shiftUs,
      from.localTs[r]! + shiftUs,
      from.price[r]!,
      from.size[r]!,
      from.aux[r]!,
    );
  }

  /** Set flag bits on the last row written (e.g. end of message). */
  flagLast(bits: number): void {
    if (this.length > 0) this.flags[this.length - 1]! |= bits;
  }

  /** The tape of the rows written; the writer is done with (its columns become the tape's when little room is unused). */
  finish(instruments: readonly Instrument[], sources: readonly TapeSource[]): Tape {
    const n = this.length;
    // A day's tape is gigabytes: copying it to trim costs seconds and doubles the peak memory, so
    // the columns are handed over as views unless over a quarter of them would be unused room.
    const view = this.kind.length - n <= n >> 2;
    const trim = <T extends Uint8Array | Uint16Array | Float64Array>(a: T): T =>
      (view ? a.subarray(0, n) : a.slice(0, n)) as T;
    const columns: TapeColumns = {
      kind: trim(this.kind),
      flags: trim(this.flags),
      inst: trim(this.inst),
      exchTs: trim(this.exchTs),
      localTs: trim(this.localTs),
      price: trim(this.price),
      size: trim(this.size),
      aux: trim(this.aux),
    };
    return new Tape(n, columns, exchangeOrder(columns.exchTs, n), instruments, sources);
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.kind = g8(this.kind);
    this.flags = g8(this.flags);
    const inst = new Uint16Array(n);
    inst.set(this.inst);
    this.inst = inst;
    this.exchTs = g64(this.exchTs);
    this.localTs = g64(this.localTs);
    this.price = g64(this.price);
    this.size = g64(this.size);
    this.aux = g64(this.aux);
  }
}
