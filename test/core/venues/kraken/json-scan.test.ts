import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayCursor, FieldScan, JsonKind } from '../../../../core/venues/kraken/json-scan.ts';

describe('FieldScan', () => {
  it('finds chosen keys in any order, skipping the others, and keeps number text as written', () => {
    const s = new FieldScan(['price', 'qty', 'symbol', 'missing']);
    const text = ' { "x": [1, {"price": 9}], "qty" : 13600.00000000, "symbol":"A\\"B", "price":0.010 } ';
    const end = s.scan(text, 0);
    expect(end).toBe(text.length - 1);
    expect(s.text(text, 0)).toBe('0.010');
    expect(s.kind[0]).toBe(JsonKind.Number);
    expect(s.text(text, 1)).toBe('13600.00000000');
    expect(s.kind[2]).toBe(JsonKind.String);
    expect(s.text(text, 2)).toBe('A\\"B');
    expect(s.has(3)).toBe(false);
    expect(s.isString(text, 2, 'A\\"B')).toBe(true);
  });

  it('refuses broken objects', () => {
    const s = new FieldScan(['a']);
    for (const bad of ['', '[]', '{', '{"a"}', '{"a":}', '{"a":1,}', '{"a":1 "b":2}', '{"a":"x}', '{a:1}'])
      expect(s.scan(bad, 0)).toBe(-1);
    expect(s.scan('{}', 0)).toBe(2);
  });

  it('locates the same values JSON.parse reads, on random objects', () => {
    const value = fc.jsonValue({ maxDepth: 2 });
    // Keys are matched as written (escapes are not decoded): venue keys are plain identifiers.
    const key = fc.stringMatching(/^[a-z_]{1,6}$/);
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (obj) => {
        const text = JSON.stringify(obj);
        const keys = Object.keys(obj);
        const s = new FieldScan(keys);
        expect(s.scan(text, 0)).toBe(text.length);
        keys.forEach((k, i) => {
          const kind = s.kind[i]!;
          const raw = kind === JsonKind.String ? `"${s.text(text, i)}"` : s.text(text, i);
          expect(JSON.parse(raw)).toEqual(JSON.parse(JSON.stringify(obj[k])));
        });
      }),
    );
  });
});

describe('ArrayCursor', () => {
  it('walks elements and flags broken arrays', () => {
    const c = new ArrayCursor();
    const text = '[ {"a":1} , 2,"x" ,[3]]';
    expect(c.open(text, 0)).toBe(true);
    const seen: string[] = [];
    while (c.next()) seen.push(text.slice(c.start, c.end));
    expect(seen).toEqual(['{"a":1}', '2', '"x"', '[3]']);
    expect(c.malformed).toBe(false);
    c.open('[]', 0);
    expect(c.next()).toBe(false);
    for (const bad of ['[1,]', '[1 2]', '[1', '[,1]']) {
      c.open(bad, 0);
      while (c.next()) {}
      expect(c.malformed).toBe(true);
    }
    expect(c.open('{}', 0)).toBe(false);
  });
});
