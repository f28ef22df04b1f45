/**
 * A tape repeated `times` times back to back, each copy shifted in time (for benchmarks that need
 * more events than one capture holds). Each copy starts with the capture's opening snapshot, so the
 * book resets at every seam; only the strategy's state carries over.
 */
import type { Tape } from './tape.ts';
import { TapeWriter } from './tape-writer.ts';

/** Gap between copies, µs: longer than any feed latency, so exchange-time order stays by copy. */
const SEAM_US = 1_000_000;

export function loopTape(tape: Tape, times: number): Tape {
  const n = tape.length;
  const out = new TapeWriter(n * times);
  const span = n > 0 ? tape.endTs - Math.min(tape.startTs, tape.exchTs[tape.exchOrder[0]!]!) + SEAM_US : 0;
  for (let k = 0; k < times; k++) {
    const shift = k * span;
    for (let r = 0; r < n; r++) out.copyRow(tape, r, tape.inst[r]!, shift);
  }
  return out.finish(tape.instruments, tape.sources);
}
