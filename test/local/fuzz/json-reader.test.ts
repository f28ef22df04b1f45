import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/sim/random.ts';
import { FUZZ_TARGETS, loadTarget } from '../../../local/fuzz/fuzz-targets.ts';
import { type Json, JsonNumber, readJson } from '../../../local/fuzz/json-reader.ts';
import { mutateText, TEXT_MUTATIONS } from '../../../local/fuzz/mutations.ts';

/** The reader's value in JSON.parse's terms (numbers as doubles). */
function plain(v: Json): unknown {
  if (v instanceof JsonNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const frames = FUZZ_TARGETS.flatMap((t) =>
  loadTarget(t)
    .frames.slice(0, 200)
    .map((r) => r.body),
);

describe('readJson', () => {
  it('reads every sampled real frame as JSON.parse does', () => {
    for (const f of frames) expect(plain(readJson(f)!.value)).toEqual(JSON.parse(f));
  });

  it('accepts exactly what JSON.parse accepts, on mutated real frames and on arbitrary JSON text', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...TEXT_MUTATIONS), fc.nat(), (pick, kind, seed) => {
        const text = mutateText(frames[pick % frames.length]!, kind, seededRandom(seed)) ?? '';
        const read = readJson(text);
        expect(read !== undefined).toBe(parses(text));
        // Values compared where a recursive comparison can walk them.
        if (read && !read.duplicateKeys && kind !== 'deep_nesting')
          expect(plain(read.value)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300, seed: 7 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (v, junk) => {
        const text = JSON.stringify(v);
        expect(plain(readJson(text)!.value)).toEqual(JSON.parse(text));
        expect(readJson(junk) !== undefined).toBe(parses(junk));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('keeps number text, reports repeated keys, keeps first or last on request', () => {
    const r = readJson('{"p":0.10000000000000000001,"a":1,"a":2}')!;
    expect(r.duplicateKeys).toBe(true);
    expect((r.value as Record<string, JsonNumber>).p!.text).toBe('0.10000000000000000001');
    expect(plain(r.value)).toEqual({ p: 0.1, a: 2 });
    expect(plain(readJson('{"a":1,"a":2}', { keep: 'first' })!.value)).toEqual({ a: 1 });
  });

  it('walks 100,000 levels of nesting without recursion', () => {
    const n = 100_000;
    expect(readJson('['.repeat(n) + ']'.repeat(n))).toBeDefined();
    expect(readJson('['.repeat(n) + ']'.repeat(n - 1))).toBeUndefined();
  });

  it('reports each value with its span and its key', () => {
    const text = '{"a":[1,{"b":"x"}]}';
    const spans: string[] = [];
    readJson(text, { onValue: (s, e, m) => spans.push(m >= 0 ? text.slice(m, e) : text.slice(s, e)) });
    expect(spans).toEqual(['1', '"b":"x"', '{"b":"x"}', '"a":[1,{"b":"x"}]', text]);
  });
});
