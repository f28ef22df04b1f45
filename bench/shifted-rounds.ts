/**
 * The honest looped workload: round r is a copy of the capture's depth diffs with every update id
 * (U, u, pu) shifted so that round r continues round r−1's sequence exactly. Every round after the
 * first opens with one bridge diff that turns the book the previous round left back into the
 * snapshot's book.
 *
 * Why shift: replaying the same diffs twice would hand a correct feed stale ids, which it drops — it
 * would look faster while applying nothing. Why bridge: the capture's first diffs were sent against
 * the snapshot's book, not the book at the capture's end; applied to the latter they cross it (a bid
 * from before the price fell above an ask from after), and a feed that refuses to trust a crossed book
 * rightly resyncs. With the bridge every round replays the market the venue really sent, every diff
 * of every round is applied, and the book after any round is the same one.
 *
 * Rounds are built lazily and cached (untimed, before a measured run asks for them).
 */
import type { HftbacktestCapture } from './load-hftbacktest.ts';

type Side = Map<string, string>;

/** Price text → size text, as a feed holds it once the snapshot and `diffs` are applied. */
function replay(capture: HftbacktestCapture): { bids: Side; asks: Side } {
  const bids: Side = new Map(capture.snapshot.bids.map(([p, s]) => [p, s]));
  const asks: Side = new Map(capture.snapshot.asks.map(([p, s]) => [p, s]));
  for (const d of capture.depth) {
    for (const [p, s] of d.bids) isZero(s) ? bids.delete(p) : bids.set(p, s);
    for (const [p, s] of d.asks) isZero(s) ? asks.delete(p) : asks.set(p, s);
  }
  return { bids, asks };
}

function isZero(size: string): boolean {
  return Number(size) === 0;
}

/** The level changes that turn side `from` into side `to`: removals of what `to` lacks, then `to`'s differing sizes. */
function sideChanges(from: Side, to: Side, zero: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const p of from.keys()) if (!to.has(p)) out.push([p, zero]);
  for (const [p, s] of to) if (from.get(p) !== s) out.push([p, s]);
  return out;
}

/** Id distance between consecutive rounds (the bridge takes one id between them). */
export function idSpan(capture: HftbacktestCapture): number {
  const first = capture.depth[0]!;
  const last = capture.depth[capture.depth.length - 1]!;
  // Spot: next U must be previous u + 1. Futures: next pu must equal previous u.
  return capture.market === 'usdm' ? last.u + 1 - first.pu : last.u + 2 - first.U;
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

interface WireEnvelope {
  stream: string;
  data: Record<string, unknown>;
}

export class ShiftedRounds {
  readonly span: number;
  /** Level changes of one bridge diff. */
  readonly bridgeLevels: number;
  private readonly rounds: string[][] = [];
  private readonly timestamps: Float64Array[] = [];
  private readonly bridgeBids: Array<[string, string]>;
  private readonly bridgeAsks: Array<[string, string]>;

  constructor(readonly capture: HftbacktestCapture) {
    this.span = idSpan(capture);
    const end = replay(capture);
    const start = replay({ ...capture, depth: [] });
    const zero = capture.snapshot.bids[0]?.[1].replace(/[1-9]/g, '0') ?? '0';
    this.bridgeBids = sideChanges(end.bids, start.bids, zero);
    this.bridgeAsks = sideChanges(end.asks, start.asks, zero);
    this.bridgeLevels = this.bridgeBids.length + this.bridgeAsks.length;
  }

  /** The lines of round r (built on first use). */
  round(r: number): readonly string[] {
    while (this.rounds.length <= r) {
      const k = this.rounds.length;
      const lines = this.capture.depth.map((d) => flat(shiftIds(d.json, k * this.span)));
      if (k > 0) lines.unshift(flat(this.bridge(k)));
      this.rounds.push(lines);
    }
    return this.rounds[r]!;
  }

  /** Receive times (µs) of round r's lines, index for index. */
  localTs(r: number): Float64Array {
    const k = Math.min(r, 1); // rounds ≥ 1 share one layout
    while (this.timestamps.length <= k) {
      const ts = this.capture.depth.map((d) => d.localTs);
      if (this.timestamps.length > 0) ts.unshift(ts[0]!);
      this.timestamps.push(Float64Array.from(ts));
    }
    return this.timestamps[k]!;
  }

  /** The diff that opens round k ≥ 1: previous round's book → snapshot book, on the one id between rounds. */
  private bridge(k: number): string {
    const last = this.capture.depth[this.capture.depth.length - 1]!;
    const previousEnd = last.u + (k - 1) * this.span;
    const envelope = JSON.parse(last.json) as WireEnvelope;
    const data: Record<string, unknown> = { ...envelope.data, U: previousEnd + 1, u: previousEnd + 1 };
    if (this.capture.market === 'usdm') data.pu = previousEnd;
    data.b = this.bridgeBids;
    data.a = this.bridgeAsks;
    return JSON.stringify({ stream: envelope.stream, data });
  }

  /** Build rounds 0..n-1 now, so that a timed loop only reads them. */
  prepare(n: number): void {
    if (n > 0) this.round(n - 1);
  }

  /** Messages of `n` rounds: the capture's diffs each round, plus the bridge that opens every round after the first. */
  messages(n: number): number {
    return n * this.capture.depth.length + Math.max(0, n - 1);
  }

  /** Level changes a correct feed applies over `n` rounds (diffs and bridges). */
  levelChanges(n: number): number {
    return n * this.capture.levelsPerPass + Math.max(0, n - 1) * this.bridgeLevels;
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
