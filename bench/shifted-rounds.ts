/**
 * The honest looped workload: round r is a copy of the capture's depth diffs with every update id
 * (U, u, pu) shifted by r × span, so round r+1 continues round r's sequence exactly.
 *
 * Why: replaying the same diffs twice would hand a correct feed stale ids, which it drops — it would
 * look faster while applying nothing. With shifted ids every diff of every round is applied, and
 * because each diff writes absolute sizes the book after any round ≥ 1 is the same (a fixed point),
 * so every round does the same work.
 *
 * Rounds are built lazily and cached (untimed, before a measured run asks for them).
 */
import type { HftbacktestCapture } from './load-hftbacktest.ts';

/** Id distance between consecutive rounds: round r+1's first diff must chain onto round r's last. */
export function idSpan(capture: HftbacktestCapture): number {
  const first = capture.depth[0]!;
  const last = capture.depth[capture.depth.length - 1]!;
  // Spot: next U must be previous u + 1. Futures: next pu must equal previous u.
  return capture.market === 'usdm' ? last.u - first.pu : last.u - first.U + 1;
}

const ID_FIELD = /"(U|u|pu)":(\d+)/g;

/** Rewrite the U, u and pu fields of one raw depth line (the only `"U":`/`"u":`/`"pu":` keys in it). */
export function shiftIds(json: string, by: number): string {
  if (by === 0) return json;
  return json.replace(ID_FIELD, (_m, key: string, digits: string) => `"${key}":${Number(digits) + by}`);
}

/** Make V8 store the string as one flat sequence, as a string read off a socket would be. */
function flat(s: string): string {
  // Converting a string to a number flattens it (the trick of the `flatstr` package).
  void Number(s);
  return s;
}

export class ShiftedRounds {
  readonly span: number;
  private readonly rounds: string[][] = [];

  constructor(readonly capture: HftbacktestCapture) {
    this.span = idSpan(capture);
  }

  /** The lines of round r (built on first use). */
  round(r: number): readonly string[] {
    while (this.rounds.length <= r) {
      const by = this.rounds.length * this.span;
      this.rounds.push(this.capture.depth.map((d) => flat(shiftIds(d.json, by))));
    }
    return this.rounds[r]!;
  }

  /** Build rounds 0..n-1 now, so that a timed loop only reads them. */
  prepare(n: number): void {
    if (n > 0) this.round(n - 1);
  }

  /** Final update id after `n` rounds (what a feed's book sequence must read). */
  finalIdAfter(n: number): number {
    return this.capture.depth[this.capture.depth.length - 1]!.u + (n - 1) * this.span;
  }

  /** Characters of one round (to bound how many rounds are kept in memory). */
  get charsPerRound(): number {
    let n = 0;
    for (const d of this.capture.depth) n += d.json.length;
    return n;
  }
}
