/**
 * A zeroed tape of `capacity` rows in exchange order (row i is the i-th the exchange sees): the
 * buffer a caller fills one message at a time and hands to the simulated exchange, as the paper
 * venue does with each live message.
 */
import type { Instrument } from '../../market/instrument.ts';
import { Tape } from './tape.ts';

export function emptyTape(capacity: number, instruments: readonly Instrument[]): Tape {
  const exchOrder = new Int32Array(capacity);
  for (let i = 0; i < capacity; i++) exchOrder[i] = i;
  return new Tape(
    capacity,
    {
      kind: new Uint8Array(capacity),
      flags: new Uint8Array(capacity),
      inst: new Uint16Array(capacity),
      exchTs: new Float64Array(capacity),
      localTs: new Float64Array(capacity),
      price: new Float64Array(capacity),
      size: new Float64Array(capacity),
      aux: new Float64Array(capacity),
    },
    exchOrder,
    instruments,
    [],
  );
}
