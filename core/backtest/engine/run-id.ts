/**
 * Deterministic run id: the same strategy, parameters, seed, simulator settings and tape give the
 * same id (no clock, no randomness), so re-running a backtest reproduces its result byte for byte.
 */
export function runId(strategy: string, parts: readonly unknown[]): string {
  const text = stableJson(parts);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `${strategy}-${hex(h1)}${hex(h2)}`;
}

/** JSON with object keys sorted (key order must not change the id). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return v;
  });
}
