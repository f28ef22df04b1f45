/**
 * JSON that keeps every number exactly, NaN and ±Infinity included (a profit factor with no losing
 * trade is Infinity): metrics pass between the sweep's steps through S3, and the ranked rows must
 * equal the ones `npm run sweep` ranks in memory.
 */
const TAG = '$number';

export function toExactJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { [TAG]: String(v) } : v,
  );
}

export function fromExactJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && (tagged === 'NaN' || tagged === 'Infinity' || tagged === '-Infinity'))
        return Number(tagged);
    }
    return v;
  });
}
