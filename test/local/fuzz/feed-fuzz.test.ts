/**
 * The mutation fuzzer, bounded, in `npm test`: per venue a few cases (fixed seed, so the same ones
 * every run) over its real captures, each asserting no crash and no trusted-but-wrong book.
 * Long runs: `npm run fuzz -- --seconds N`.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { FuzzCase } from '../../../local/fuzz/fuzz-case.ts';
import { FUZZ_TARGETS, loadTarget } from '../../../local/fuzz/fuzz-targets.ts';
import { MUTATION_KINDS } from '../../../local/fuzz/mutations.ts';
import { runCase } from '../../../local/fuzz/run-case.ts';

/** Cases per venue: a few seconds each on the 2-core dev box (a Kraken or Coinbase case replays ~5–10k frames). */
const RUNS: Record<ExchangeId, number> = {
  binance: 12,
  'binance-futures': 12,
  bybit: 40,
  kucoin: 6,
  coinbase: 4,
  kraken: 3,
};

function caseOf(venue: ExchangeId): fc.Arbitrary<FuzzCase> {
  const targets = FUZZ_TARGETS.filter((t) => t.exchange === venue);
  return fc.constantFrom(...targets).chain((t) =>
    fc.record({
      target: fc.constant(t.name),
      mutations: fc.array(
        fc.record({
          at: fc.nat({ max: loadTarget(t).frames.length - 1 }),
          kind: fc.constantFrom(...MUTATION_KINDS),
          seed: fc.nat(),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  );
}

describe('feed fuzzing on real captures', () => {
  it.each(Object.entries(RUNS) as Array<[ExchangeId, number]>)(
    '%s: no crash, no trusted book that differs from the reference model',
    (venue, numRuns) => {
      fc.assert(
        fc.property(caseOf(venue), (fuzzCase) => {
          const target = FUZZ_TARGETS.find((t) => t.name === fuzzCase.target)!;
          const r = runCase(loadTarget(target), fuzzCase);
          const first = r.crashes[0] ?? r.violations[0];
          if (first) {
            throw new Error(
              `${r.crashes.length} crashes, ${r.violations.length} violations; first: ${first.kind} at frame ${first.frame} ` +
                `(${first.mutated.join('+') || 'unmutated'}): ${first.detail.split('\n')[0]} — frame ${first.text}`,
            );
          }
        }),
        { seed: 20240808, numRuns, interruptAfterTimeLimit: 30_000 },
      );
    },
    120_000,
  );
});
