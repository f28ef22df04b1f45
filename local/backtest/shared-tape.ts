/**
 * A tape in shared memory, for worker threads: the columns are copied ONCE into SharedArrayBuffers,
 * and every worker that receives the object maps the same memory (structured clone shares a
 * SharedArrayBuffer instead of copying it). Instruments and sources are small plain objects and are
 * cloned.
 *
 * Design decision (measured, see README.md): building the tape once in the main thread and sharing
 * it beats each worker replaying the captures itself — on the Binance USD-M BTCUSDT capture the
 * share costs tens of milliseconds in the main thread and nothing per worker, a rebuild about two
 * seconds of feed replay per worker.
 */
import { Tape, type TapeColumns, type TapeSource } from '../../core/backtest/tape/tape.ts';
import type { Instrument } from '../../core/market/instrument.ts';

export interface SharedTape {
  readonly length: number;
  readonly columns: TapeColumns;
  readonly exchOrder: Int32Array;
  readonly instruments: readonly Instrument[];
  readonly sources: readonly TapeSource[];
}

type TypedArray = Uint8Array | Uint16Array | Int32Array | Float64Array;

function shared<T extends TypedArray>(src: T, make: (buffer: SharedArrayBuffer) => T): T {
  const out = make(new SharedArrayBuffer(src.byteLength));
  out.set(src as never);
  return out;
}

export function shareTape(tape: Tape): SharedTape {
  return {
    length: tape.length,
    columns: {
      kind: shared(tape.kind, (b) => new Uint8Array(b)),
      flags: shared(tape.flags, (b) => new Uint8Array(b)),
      inst: shared(tape.inst, (b) => new Uint16Array(b)),
      exchTs: shared(tape.exchTs, (b) => new Float64Array(b)),
      localTs: shared(tape.localTs, (b) => new Float64Array(b)),
      price: shared(tape.price, (b) => new Float64Array(b)),
      size: shared(tape.size, (b) => new Float64Array(b)),
      aux: shared(tape.aux, (b) => new Float64Array(b)),
    },
    exchOrder: shared(tape.exchOrder, (b) => new Int32Array(b)),
    instruments: tape.instruments.map((i) => ({ ...i })),
    sources: tape.sources.map((s) => ({ ...s })),
  };
}

/** The Tape view of a shared tape (no copy: the columns stay in shared memory, read-only by use). */
export function tapeFromShared(s: SharedTape): Tape {
  return new Tape(
    s.length,
    s.columns,
    s.exchOrder,
    s.instruments.map((i) => Object.freeze({ ...i })),
    s.sources,
  );
}
