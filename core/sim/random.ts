/**
 * Seeded pseudo-random numbers (sfc32 seeded through splitmix32), the one generator of the tree:
 * backtests, simulators, fuzzing, Monte Carlo resampling and reconnect jitter all draw from it, so
 * the same seed replays the same run. Only 32-bit integer arithmetic (Math.imul, >>>), so a seed
 * gives the same sequence on every platform. Not for cryptography.
 *
 * Design decision: sfc32 over mulberry32 — 128 bits of state instead of 32, so a long run does not
 * wrap its period (2^32 draws for mulberry32) and nearby seeds do not give overlapping sequences;
 * splitmix32 spreads a small integer seed over the four words.
 */

/** Uniform in [0, 1). */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
