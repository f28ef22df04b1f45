import { afterEach, describe, expect, it, vi } from 'vitest';
import { BybitFeed } from '../../../core/venues/bybit/bybit-feed.ts';
import {
  FUZZ_TARGETS,
  type FuzzTarget,
  type LoadedTarget,
  loadTarget,
} from '../../../local/fuzz/fuzz-targets.ts';
import type { ReferenceModel } from '../../../local/fuzz/reference-model.ts';
import { BybitReference } from '../../../local/fuzz/references/bybit-reference.ts';
import { runCase } from '../../../local/fuzz/run-case.ts';

const bybit = loadTarget(FUZZ_TARGETS.find((t) => t.name === 'bybit-orderbook')!);

/** The Bybit target judged by another reference model. */
function judgedBy(reference: () => ReferenceModel): LoadedTarget {
  const target: FuzzTarget = { ...bybit.target, reference };
  return { ...bybit, target };
}

afterEach(() => vi.restoreAllMocks());

describe('runCase', () => {
  it.each(FUZZ_TARGETS.map((t) => [t.name, t] as const))(
    '%s, unmutated: no crash, no violation, and books were compared',
    (_name, target) => {
      const r = runCase(loadTarget(target), { target: target.name, mutations: [] });
      expect(r.crashes).toEqual([]);
      expect(r.violations).toEqual([]);
      expect(r.checks).toBeGreaterThan(r.frames / 2);
    },
  );

  it('a reference that lost one delta finds the trusted feed book different (the check can fail)', () => {
    const losing = () => {
      const model = new BybitReference();
      let n = 0;
      const onMessage = model.onMessage.bind(model);
      model.onMessage = (raw) => {
        // Frame 10 lost, and the sequence patched so the model does not see the loss.
        if (n++ === 10) return;
        onMessage(raw.replace(/"u":(\d+)/, (_m, u: string) => `"u":${n > 10 ? Number(u) - 1 : u}`));
      };
      return model;
    };
    const r = runCase(judgedBy(losing), { target: 'bybit-orderbook', mutations: [] });
    expect(r.violations.map((v) => v.kind)).toContain('book_differs');
    expect(r.violations[0]!.frame).toBe(10);
  });

  it('a reference with no book of the symbol reports the feed trusting without a snapshot', () => {
    const blind: ReferenceModel = {
      onMessage() {},
      onSnapshot() {},
      book: () => undefined,
      books: () => [],
      snapshotOf: () => undefined,
    };
    const r = runCase(
      judgedBy(() => blind),
      { target: 'bybit-orderbook', mutations: [] },
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({
      kind: 'trusted_before_reference_snapshot',
      frame: 0,
      heldAtEnd: true,
    });
  });

  it('a throw out of the feed is a crash, counted per frame, and the run goes on', () => {
    const real = BybitFeed.prototype.onMessage;
    vi.spyOn(BybitFeed.prototype, 'onMessage').mockImplementation(function (this: BybitFeed, raw, ts) {
      if (raw.includes('"ts":1733011202889')) throw new TypeError('boom at 12');
      real.call(this, raw, ts);
    });
    const r = runCase(bybit, {
      target: 'bybit-orderbook',
      mutations: [{ at: 23, kind: 'duplicate_frame', seed: 0 }],
    });
    expect(r.crashes).toHaveLength(2);
    expect(r.crashes[0]).toMatchObject({ kind: 'TypeError: boom at #', origin: 23 });
    expect(r.frames).toBe(bybit.frames.length + 1);
  });

  it('answers a snapshot request from the reference: a dropped delta is a gap, then the book heals', () => {
    const r = runCase(bybit, {
      target: 'bybit-orderbook',
      mutations: [{ at: 20, kind: 'drop_frame', seed: 0 }],
    });
    expect(r.violations).toEqual([]);
    expect(r.rejections).toEqual({});
    expect(r.checks).toBeGreaterThan(40);
  });
});
