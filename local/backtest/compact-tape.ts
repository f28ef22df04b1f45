/**
 * Drop the instruments a tape holds no rows for, renumbering the rest in their order.
 *
 * Why: a tape built with a symbols filter still lists every instrument its feeds saw (the filter
 * only keeps their rows off the tape), and a strategy without a `symbol` parameter trades the
 * tape's FIRST instrument — which, filtered out, would have no data. After compaction the first
 * instrument is the first one the user asked for.
 */
import type { Tape } from '../../core/backtest/tape/tape.ts';
import { TapeWriter } from '../../core/backtest/tape/tape-writer.ts';

export function compactTape(tape: Tape): Tape {
  const used = new Uint8Array(tape.instruments.length);
  for (let r = 0; r < tape.length; r++) used[tape.inst[r]!] = 1;
  if (used.every((u) => u === 1)) return tape;
  const map = new Int32Array(tape.instruments.length).fill(-1);
  const kept: Tape['instruments'][number][] = [];
  tape.instruments.forEach((instrument, i) => {
    if (!used[i]) return;
    map[i] = kept.length;
    kept.push(instrument);
  });
  const out = new TapeWriter(tape.length);
  for (let r = 0; r < tape.length; r++) out.copyRow(tape, r, map[tape.inst[r]!]!);
  return out.finish(kept, tape.sources);
}
