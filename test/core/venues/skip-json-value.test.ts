import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { skipJsonSpace, skipJsonValue } from '../../../core/venues/skip-json-value.ts';
import { MAX_JSON_DEPTH } from '../../../core/venues/wire-guards.ts';

describe('skipJsonValue', () => {
  it('ends where the value ends', () => {
    expect(skipJsonValue('"a\\\\"x', 0)).toBe(5); // "a\\" then x
    expect(skipJsonValue('"a\\"b",', 0)).toBe(6); // an escaped quote does not end the string
    expect(skipJsonValue('[1,[2,"]"]],', 0)).toBe(11);
    expect(skipJsonValue('{"k":{"}":[]}} ', 0)).toBe(14);
    expect(skipJsonValue('-1.5e-3,', 0)).toBe(7);
    expect(skipJsonValue('true}', 0)).toBe(4);
  });

  it('refuses what is not one value', () => {
    expect(skipJsonValue(']', 0)).toBe(-1);
    expect(skipJsonValue('', 0)).toBe(-1);
    expect(skipJsonValue('"open', 0)).toBe(-1);
    expect(skipJsonValue('[1,[2]', 0)).toBe(-1);
    expect(skipJsonValue('12"3"', 0)).toBe(-1);
  });

  it('refuses nesting deeper than MAX_JSON_DEPTH, accepts it at the limit', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(skipJsonValue(nested(MAX_JSON_DEPTH), 0)).toBe(2 * MAX_JSON_DEPTH);
    expect(skipJsonValue(nested(MAX_JSON_DEPTH + 1), 0)).toBe(-1);
  });

  it('steps over any serialized JSON value, inside an array, to its exact end', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 1 : undefined);
        const framed = `[${text} ,0]`;
        expect(skipJsonValue(text, 0)).toBe(text.length);
        const end = skipJsonValue(framed, 1);
        expect(end).toBe(1 + text.length);
        expect(framed.charCodeAt(skipJsonSpace(framed, end))).toBe(44);
      }),
    );
  });
});
