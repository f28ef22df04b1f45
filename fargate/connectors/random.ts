/** Randomness for jitter, seedable so tests (and replays of a run) see the same delays. */

/** Uniform in [0, 1). */
export type Random = () => number;

/** mulberry32: a tiny, fast 32-bit generator; plenty for jitter (not for anything secret). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
