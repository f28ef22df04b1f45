/**
 * Small structural checks for parsed venue JSON. Raw messages enter as `unknown` and leave these
 * helpers typed; a message that fails is rejected as 'malformed', never half-processed.
 * (Hand-written rather than zod: they run per message and allocate nothing.)
 */
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An array of [price, size, ...rest] string tuples. */
export function isLevelArray(v: unknown): v is ReadonlyArray<readonly [string, string, ...unknown[]]> {
  if (!Array.isArray(v)) return false;
  for (const level of v) {
    if (!Array.isArray(level) || typeof level[0] !== 'string' || typeof level[1] !== 'string') return false;
  }
  return true;
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Venue milliseconds, microseconds or nanoseconds (told apart by magnitude) → µs. */
export function venueTimeToMicros(t: unknown): number {
  if (typeof t !== 'number' || !Number.isFinite(t)) return 0;
  if (t > 1e17) return Math.trunc(t / 1000);
  return t > 1e14 ? Math.trunc(t) : Math.trunc(t * 1000);
}
