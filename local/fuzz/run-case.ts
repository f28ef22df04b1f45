/**
 * Run one fuzz case: the mutated frames go to a fresh feed and to the target's reference model;
 * after each frame every trusted feed book is checked (book-check.ts). A throw out of the feed is
 * a crash, counted, and the run goes on. The feed's snapshot requests are answered one frame
 * later, as the venue would: from the reference model's own book while it is trusted (so a
 * mutation both accepted stays consistent with what follows), else from a reference model fed the
 * clean capture up to the newest frame delivered (the venue's true book).
 */

import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { createFeed } from '../../core/venues/create-feed.ts';
import { describeFrame } from '../../core/venues/describe-frame.ts';
import type { RejectReason } from '../../core/venues/feed-types.ts';
import { checkTrustedBook, FULL_CHECK_EVERY, type ViolationKind } from './book-check.ts';
import { FeedObserver } from './feed-observer.ts';
import { type DeliveredFrame, deliveredFrames, type FuzzCase } from './fuzz-case.ts';
import type { LoadedTarget } from './fuzz-targets.ts';
import type { MutationKind } from './mutations.ts';
import type { ReferenceModel } from './reference-model.ts';

export interface FuzzExample {
  readonly case: FuzzCase;
  /** Index among the delivered frames, and of the clean frame it came from. */
  readonly frame: number;
  readonly origin: number;
  readonly mutated: readonly MutationKind[];
  readonly text: string;
  readonly detail: string;
}

export interface Crash extends FuzzExample {
  /** The error's name and message with numbers masked: crashes of one kind group together. */
  readonly kind: string;
}

export interface Violation extends FuzzExample {
  readonly kind: ViolationKind;
  readonly symbol: string;
  /** Still found after the last frame (else something later — a revealed gap, a resync — ended it). */
  heldAtEnd: boolean;
}

export interface CaseResult {
  readonly frames: number;
  /** Book comparisons made with both the feed and the reference trusting the book. */
  readonly checks: number;
  readonly mutations: readonly MutationKind[];
  readonly crashes: readonly Crash[];
  /** At most one per book and kind: a divergence is one finding, not one per frame it lasts. */
  readonly violations: readonly Violation[];
  readonly rejections: Partial<Record<RejectReason, number>>;
}

function crashKind(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  return `${e.name}: ${e.message.slice(0, 80).replace(/\d+/g, '#')}`;
}

export function runCase(loaded: LoadedTarget, fuzzCase: FuzzCase): CaseResult {
  const { frames, applied } = deliveredFrames(loaded.frames, fuzzCase.mutations);
  const observer = new FeedObserver();
  const feed = createFeed({
    exchange: loaded.target.exchange,
    instruments: new InstrumentRegistry([...loaded.instruments]),
    listener: observer,
    ...(loaded.variant ? { variant: loaded.variant } : {}),
  });
  const reference = loaded.target.reference();
  const clean = loaded.target.reference();
  let cleanNext = 0;
  let newestOrigin = -1;
  const crashes: Crash[] = [];
  const violations: Violation[] = [];
  const seen = new Map<string, Violation>();
  let checks = 0;
  /** Venue symbol → delivered frame index at which it was asked for. */
  const pending = new Map<string, number>();

  const example = (k: number, f: DeliveredFrame, detail: string) => ({
    case: fuzzCase,
    frame: k,
    origin: f.origin,
    mutated: f.mutated,
    text: describeFrame(f.body),
    detail,
  });

  const deliver = (
    k: number,
    f: DeliveredFrame,
    kind: 'message' | 'rest',
    symbol: string | undefined,
    body: string,
  ) => {
    try {
      if (kind === 'message') feed.onMessage(body, f.record.localTs);
      else if (symbol !== undefined) feed.onSnapshot(symbol, body, f.record.localTs);
    } catch (error) {
      crashes.push({
        ...example(k, f, error instanceof Error ? (error.stack ?? error.message) : String(error)),
        kind: crashKind(error),
      });
    }
    if (kind === 'message') reference.onMessage(body);
    else if (symbol !== undefined) reference.onSnapshot(symbol, body);
  };

  const feedClean = (model: ReferenceModel, upTo: number) => {
    for (; cleanNext <= upTo; cleanNext++) {
      const r = loaded.frames[cleanNext]!;
      if (r.kind === 'message') model.onMessage(r.body);
      else {
        const symbol = loaded.restSymbol[cleanNext];
        if (symbol !== undefined) model.onSnapshot(symbol, r.body);
      }
    }
  };

  const answer = (k: number, f: DeliveredFrame) => {
    for (const [symbol, askedAt] of pending) {
      if (askedAt >= k) continue;
      let snapshot = reference.snapshotOf(symbol);
      if (!snapshot) {
        feedClean(clean, newestOrigin);
        snapshot = clean.snapshotOf(symbol);
      }
      if (!snapshot) continue;
      pending.delete(symbol);
      deliver(k, f, snapshot.method === 'rest' ? 'rest' : 'message', symbol, snapshot.body);
    }
  };

  const check = (k: number, f: DeliveredFrame, last: boolean) => {
    for (const sb of feed.books()) {
      if (sb.trust !== 'trusted') continue;
      const observed = observer.of(sb.symbol);
      const full = observed.rebuilt || last || k % FULL_CHECK_EVERY === 0;
      const rb = reference.book(sb.venueSymbol);
      if (rb?.trust === 'trusted') checks++;
      for (const finding of checkTrustedBook(sb, rb, observed, full)) {
        const key = `${sb.venueSymbol} ${finding.kind}`;
        const known = seen.get(key);
        if (known) {
          if (last) known.heldAtEnd = true;
          continue;
        }
        const v: Violation = {
          ...example(k, f, finding.detail),
          kind: finding.kind,
          symbol: sb.venueSymbol,
          heldAtEnd: last,
        };
        seen.set(key, v);
        violations.push(v);
      }
    }
    observer.looked();
    for (const rb of reference.books()) {
      rb.dirtyBids.clear();
      rb.dirtyAsks.clear();
      rb.rebuilt = false;
    }
  };

  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    newestOrigin = Math.max(newestOrigin, f.origin);
    deliver(k, f, f.record.kind === 'rest' ? 'rest' : 'message', loaded.restSymbol[f.origin], f.body);
    answer(k, f);
    for (const symbol of observer.requests.splice(0)) if (!pending.has(symbol)) pending.set(symbol, k);
    check(k, f, k === frames.length - 1);
  }
  return {
    frames: frames.length,
    checks,
    mutations: applied,
    crashes,
    violations,
    rejections: { ...feed.counters.rejectedByReason },
  };
}
