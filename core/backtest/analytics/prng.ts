/**
 * A small seeded pseudo-random generator for resampling (Monte Carlo bootstraps). Deterministic by
 * seed on every platform: only 32-bit integer arithmetic (Math.imul, >>>), no Math.random.
 *
 * Design decision: mulberry32 — one 32-bit word of state, passes the common statistical batteries
 * well enough for bootstrapping a few thousand trades, and is ten lines we can read. A period of
 * 2^32 is far beyond the ~10^7 draws a report makes; xoshiro128** would only matter past that.
 */

export interface Prng {
  /** Uniform double in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n), n ≥ 1. */
  nextInt(n: number): number;
}

export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => nextUint32() / 4294967296,
    // Multiply-shift instead of modulo: no modulo bias worth measuring for n ≪ 2^32.
    nextInt: (n: number) => Math.floor((nextUint32() / 4294967296) * n),
  };
}
