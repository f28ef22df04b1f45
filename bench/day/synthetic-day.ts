/**
 * A synthetic trading day from the real USD-M BTCUSDT capture (hftbacktest form, ~6 minutes), looped
 * `loops` times into one hftbacktest file that `cli books` and `cli backtest` read like any capture.
 *
 * Loop k is the capture's lines with everything a correct reader checks moved on consistently:
 * depth and bookTicker update ids (U, u, pu) by k × the id span (shifted-rounds.ts: a feed drops
 * replayed ids), receive times and the venue's E/T times by k × the capture's duration, trade ids by
 * k × their span. Every loop after the first opens with shifted-rounds.ts' bridge diff (the book the
 * previous loop left → the snapshot's book, on the one id between loops) and drops what only made
 * sense before the first sync: the REST snapshot and the diffs older than it. So the feed syncs once,
 * then applies every diff of the day, and each loop replays the market the venue really sent.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { forEachCaptureLineSync } from '../../local/capture/capture-lines.ts';
import { type HftbacktestCapture, loadHftbacktest } from '../load-hftbacktest.ts';
import { ShiftedRounds, shiftIds } from '../shifted-rounds.ts';

/** One capture line, split once (untimed) into what a loop shifts. */
interface TemplateLine {
  /** Receive time, ns. */
  readonly receiveNs: bigint;
  readonly json: string;
}

export interface DayTemplate {
  readonly capture: HftbacktestCapture;
  /** Lines of the first loop: the capture as recorded. */
  readonly first: readonly TemplateLine[];
  /** Lines of every later loop before shifting: no snapshot, no diff older than it. */
  readonly later: readonly TemplateLine[];
  /** The bridge diff of loop 1 and its receive time (loop k: shifted by k − 1 loops). */
  readonly bridge: TemplateLine;
  /** Loop length: the capture's receive-time span plus 1 ms, in whole ms so ns and ms shifts agree. */
  readonly loopMs: number;
  readonly idSpan: number;
  readonly tradeIdSpan: number;
}

const TIME_OR_TRADE_ID = /"(E|T|t)":(\d+)/g;

export function dayTemplate(path: string): DayTemplate {
  const capture = loadHftbacktest(path, 'usdm');
  const L = capture.snapshot.lastUpdateId;
  const first: TemplateLine[] = [];
  const later: TemplateLine[] = [];
  let minTrade = Number.POSITIVE_INFINITY;
  let maxTrade = Number.NEGATIVE_INFINITY;
  forEachCaptureLineSync(path, (line) => {
    const space = line.indexOf(' ');
    if (space < 0) return;
    const t: TemplateLine = { receiveNs: BigInt(line.slice(0, space)), json: line.slice(space + 1) };
    first.push(t);
    if (t.json.startsWith('{"lastUpdateId"')) return;
    const data = (JSON.parse(t.json) as { data?: { e?: unknown; u?: unknown; t?: unknown } }).data;
    if (data?.e === 'depthUpdate' && typeof data.u === 'number' && data.u < L) return;
    if (data?.e === 'trade' && typeof data.t === 'number') {
      minTrade = Math.min(minTrade, data.t);
      maxTrade = Math.max(maxTrade, data.t);
    }
    later.push(t);
  });
  let lo = first[0]!.receiveNs;
  let hi = lo;
  for (const t of first) {
    if (t.receiveNs < lo) lo = t.receiveNs;
    if (t.receiveNs > hi) hi = t.receiveNs;
  }
  const loopMs = Number((hi - lo) / 1_000_000n) + 1;
  const rounds = new ShiftedRounds(capture);
  // Just before loop 1's earliest line, after loop 0's last (loopMs exceeds the span by ≥ 1 ms).
  const bridge = { receiveNs: lo + BigInt(loopMs) * 1_000_000n - 1_000n, json: rounds.round(1)[0]! };
  return {
    capture,
    first,
    later,
    bridge,
    loopMs,
    idSpan: rounds.span,
    tradeIdSpan: Number.isFinite(minTrade) ? maxTrade - minTrade + 1 : 0,
  };
}

function shiftLine(json: string, loop: number, template: DayTemplate): string {
  const ms = loop * template.loopMs;
  const trades = loop * template.tradeIdSpan;
  return shiftIds(json, loop * template.idSpan).replace(
    TIME_OR_TRADE_ID,
    (_m, key: string, digits: string) => `"${key}":${Number(digits) + (key === 't' ? trades : ms)}`,
  );
}

/** Calls `emit(receiveNs, json)` for every line of `loops` loops, in file order. */
export function forEachDayLine(
  template: DayTemplate,
  loops: number,
  emit: (receiveNs: bigint, json: string) => void,
): void {
  for (const t of template.first) emit(t.receiveNs, t.json);
  for (let k = 1; k < loops; k++) {
    const shiftNs = BigInt(k * template.loopMs) * 1_000_000n;
    const bridgeNs = template.bridge.receiveNs + BigInt((k - 1) * template.loopMs) * 1_000_000n;
    // The bridge is built from loop 0's last diff: times and ids move by k − 1 loops.
    emit(bridgeNs, shiftLine(template.bridge.json, k - 1, template));
    for (const t of template.later) emit(t.receiveNs + shiftNs, shiftLine(t.json, k, template));
  }
}

export interface WrittenDay {
  readonly path: string;
  readonly lines: number;
  /** Characters of the decompressed file. */
  readonly chars: number;
}

/**
 * Writes the day as an hftbacktest file: gzip members of ~4 MiB each (level 1), concatenated — one
 * valid .gz that gunzip reads whole.
 */
export function writeDayCapture(template: DayTemplate, loops: number, path: string): WrittenDay {
  const fd = openSync(path, 'w');
  let chunk: string[] = [];
  let chunkChars = 0;
  let lines = 0;
  let chars = 0;
  const flush = () => {
    writeSync(fd, gzipSync(chunk.join(''), { level: 1 }));
    chunk = [];
    chunkChars = 0;
  };
  try {
    forEachDayLine(template, loops, (receiveNs, text) => {
      const line = `${receiveNs} ${text}\n`;
      lines++;
      chars += line.length;
      chunk.push(line);
      chunkChars += line.length;
      if (chunkChars >= 1 << 22) flush();
    });
    if (chunk.length > 0) flush();
  } finally {
    closeSync(fd);
  }
  return { path, lines, chars };
}
