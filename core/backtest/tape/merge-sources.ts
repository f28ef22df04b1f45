/**
 * Merge the rows built from several captures into one tape: a stable merge by receive time (ties:
 * the earlier source first, so each venue message stays contiguous), instruments unified by
 * exchange and symbol.
 */
import type { ExchangeId } from '../../market/exchange.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { ClockCorrection } from './clock-skew.ts';
import { EventKind } from './event-kind.ts';
import type { Tape, TapeSource } from './tape.ts';
import { TapeWriter } from './tape-writer.ts';

export interface SourceRows {
  readonly name: string;
  readonly exchange: ExchangeId;
  readonly writer: TapeWriter;
  /** Instrument of each local inst index. */
  readonly instruments: readonly Instrument[];
  readonly correction: ClockCorrection;
}

function describe(s: SourceRows): TapeSource {
  return {
    name: s.name,
    exchange: s.exchange,
    rows: s.writer.length,
    clockOffsetUs: s.correction.offsetUs,
    medianFeedLatencyUs: s.correction.medianLatencyUs,
  };
}

export function mergeSources(sources: readonly SourceRows[]): Tape {
  const sourceInfo = sources.map(describe);
  if (sources.length === 1) {
    const only = sources[0]!;
    return only.writer.finish(only.instruments, sourceInfo);
  }
  // One instrument per (exchange, symbol); where sources inferred different scales keep the finest.
  const table: Instrument[] = [];
  const byKey = new Map<string, number>();
  const maps: Int32Array[] = [];
  for (const s of sources) {
    const map = new Int32Array(s.instruments.length);
    s.instruments.forEach((inst, local) => {
      const key = `${inst.exchange}|${inst.symbol}`;
      let g = byKey.get(key);
      if (g === undefined) {
        g = table.length;
        table.push(inst);
        byKey.set(key, g);
      } else {
        const cur = table[g]!;
        if (inst.priceScale + inst.sizeScale > cur.priceScale + cur.sizeScale) table[g] = inst;
      }
      map[local] = g;
    });
    maps.push(map);
  }
  let total = 0;
  for (const s of sources) total += s.writer.length;
  const out = new TapeWriter(total);
  const pos = new Int32Array(sources.length);
  for (;;) {
    // k is small (a handful of captures): a linear scan for the earliest head is cheapest.
    let best = -1;
    let bestTs = Number.POSITIVE_INFINITY;
    for (let k = 0; k < sources.length; k++) {
      const w = sources[k]!.writer;
      const p = pos[k]!;
      if (p < w.length && w.localTs[p]! < bestTs) {
        bestTs = w.localTs[p]!;
        best = k;
      }
    }
    if (best < 0) break;
    const s = sources[best]!;
    const w = s.writer;
    const map = maps[best]!;
    // Copy the whole run of rows at this receive time (keeps messages contiguous).
    let p = pos[best]!;
    while (p < w.length && w.localTs[p] === bestTs) {
      const local = w.inst[p]!;
      const g = map[local]!;
      const from = s.instruments[local]!;
      const to = table[g]!;
      const r = out.length;
      out.copyRow(w, p, g);
      if (from.priceScale !== to.priceScale)
        out.price[r] = out.price[r]! * 10 ** (to.priceScale - from.priceScale);
      if (from.sizeScale !== to.sizeScale && out.kind[r] !== EventKind.Funding)
        out.size[r] = out.size[r]! * 10 ** (to.sizeScale - from.sizeScale);
      p++;
    }
    pos[best] = p;
  }
  return out.finish(table, sourceInfo);
}
