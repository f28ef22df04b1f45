import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DUPLICATE_KEY,
  hasDuplicateKey,
  parseJsonStrict,
  TOO_DEEP,
} from '../../../core/venues/wire-guards.ts';
import { readCaptureText } from '../../../local/capture/read-capture.ts';
import { fixture } from '../../support/fixtures.ts';

/**
 * Reference: a recursive-descent tokenizer over the JSON text that decodes every key with JSON.parse
 * and keeps one Set per object. Independent of the scanner (recursion is fine at test depths).
 */
function referenceHasDuplicate(text: string): boolean {
  let i = 0;
  let found = false;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        const key = string();
        if (seen.has(key)) found = true;
        seen.add(key);
        space();
        i++; // ':'
        value();
        space();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') {
      string();
      return;
    }
    while (i < text.length && !',]} \t\n\r'.includes(text[i]!)) i++;
  };
  value();
  return found;
}

/** A JSON tree whose objects are entry lists, so that keys may repeat. */
type Node =
  | { readonly obj: ReadonlyArray<readonly [string, boolean, Node]> }
  | { readonly arr: readonly Node[] }
  | { readonly leaf: string };

const keyText = fc.constantFrom('a', 'b', 'price', 'é', '"', '\\', 'a\u0000', '\u{1F600}', '');
const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ leaf: fc.jsonValue({ maxDepth: 0 }).map((v) => JSON.stringify(v)) }),
    // Each entry: key, whether to write it fully \u-escaped, value.
    fc.record({ obj: fc.array(fc.tuple(keyText, fc.boolean(), tie('node')), { maxLength: 5 }) }),
    fc.record({ arr: fc.array(tie('node'), { maxLength: 4 }) }),
  ),
}));

function escapeAll(key: string): string {
  let out = '"';
  for (let k = 0; k < key.length; k++) out += `\\u${key.charCodeAt(k).toString(16).padStart(4, '0')}`;
  return `${out}"`;
}

function write(n: Node, ws: string): string {
  if ('leaf' in n) return n.leaf;
  if ('arr' in n) return `[${ws}${n.arr.map((x) => write(x, ws)).join(`,${ws}`)}]`;
  return `{${ws}${n.obj.map(([k, esc, v]) => `${esc ? escapeAll(k) : JSON.stringify(k)}${ws}:${ws}${write(v, ws)}`).join(`${ws},`)}${ws}}`;
}

function repeats(n: Node): boolean {
  if ('leaf' in n) return false;
  if ('arr' in n) return n.arr.some(repeats);
  const keys = n.obj.map(([k]) => k);
  return new Set(keys).size !== keys.length || n.obj.some(([, , v]) => repeats(v));
}

describe('hasDuplicateKey', () => {
  it('finds a repeated key at any level, compared after unescaping', () => {
    expect(hasDuplicateKey('{"a":1,"b":2}')).toBe(false);
    expect(hasDuplicateKey('{"a":1,"a":2}')).toBe(true);
    expect(hasDuplicateKey('[{"a":1},{"a":2}]')).toBe(false);
    expect(hasDuplicateKey('{"a":{"a":1},"b":{"a":2}}')).toBe(false);
    expect(hasDuplicateKey('{"data":{"u":1,"s":"X","u":2}}')).toBe(true);
    expect(hasDuplicateKey('{"price":1,"\\u0070rice":2}')).toBe(true);
    expect(hasDuplicateKey('{"a\\"":1,"a\\\\":2}')).toBe(false);
    // Strings that look like structure are skipped whole.
    expect(hasDuplicateKey('{"a":"{\\"a\\":1,\\"a\\":2}","b":"a"}')).toBe(false);
    expect(hasDuplicateKey('{"a":["a","a"],"b":1}')).toBe(false);
    expect(hasDuplicateKey('{"a":[1,[2]],"a":2}')).toBe(true);
    expect(hasDuplicateKey('{"a":{"b":[true]},"c":null,"a":-1.5e3}')).toBe(true);
  });

  it('objects past the pairwise limit switch to a Set and still find repeats', () => {
    const keys = Array.from({ length: 5000 }, (_, k) => `"k${k}":${k}`);
    expect(hasDuplicateKey(`{${keys.join(',')}}`)).toBe(false);
    expect(hasDuplicateKey(`{${keys.join(',')},"k4321":0}`)).toBe(true);
    expect(hasDuplicateKey(`{${keys.join(',')},"\\u006b17":0}`)).toBe(true);
    // A large object closed, then a small one reusing its depth.
    expect(hasDuplicateKey(`[{${keys.join(',')}},{"k1":1,"k2":2}]`)).toBe(false);
  });

  it('any depth: 100,000 nested arrays and objects, without recursion', () => {
    const depth = 100_000;
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(hasDuplicateKey(arrays)).toBe(false);
    expect(hasDuplicateKey(objects)).toBe(false);
    expect(hasDuplicateKey(`${'{"a":'.repeat(depth)}{"b":1,"b":2}${'}'.repeat(depth)}`)).toBe(true);
    expect(parseJsonStrict(objects)).toBe(TOO_DEEP);
    expect(parseJsonStrict(arrays)).toBe(TOO_DEEP);
  });

  it('agrees with the tokenizer reference and with the generator on random texts', () => {
    fc.assert(
      fc.property(node, fc.constantFrom('', ' ', '\n\t '), (n, ws) => {
        const text = write(n, ws);
        expect(() => JSON.parse(text)).not.toThrow();
        const expected = repeats(n);
        expect(referenceHasDuplicate(text)).toBe(expected);
        expect(hasDuplicateKey(text)).toBe(expected);
        expect(parseJsonStrict(text) === DUPLICATE_KEY).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('no repeat in any JSON value a JavaScript object can describe', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(hasDuplicateKey(text)).toBe(false);
        expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('a key inserted again into any object of a real frame is always found', () => {
    const lines = readCaptureText(fixture('kucoin/cryptofeed_KUCOIN.ws.1.0.gz'))
      .split('\n')
      .map((l) => l.slice(l.indexOf('{')))
      .filter((l) => l.startsWith('{"'))
      .slice(0, 200);
    fc.assert(
      fc.property(fc.constantFrom(...lines), fc.nat(), (line, pick) => {
        // Every '{"key":' position: copy that object's first key in front of it again.
        const opens = [...line.matchAll(/\{"([^"\\]*)":/g)];
        const m = opens[pick % opens.length]!;
        const at = m.index! + 1;
        const corrupted = `${line.slice(0, at)}"${m[1]}":0,${line.slice(at)}`;
        expect(hasDuplicateKey(corrupted)).toBe(true);
        expect(parseJsonStrict(corrupted)).toBe(DUPLICATE_KEY);
      }),
    );
  });
});

describe('no false positives on the real captures', () => {
  const captures = [
    'kucoin/cryptofeed_KUCOIN.ws.1.0.gz',
    'kucoin/cryptofeed_KUCOIN.http.0.0.gz',
    'coinbase/cryptofeed_COINBASE.ws.28.0.gz',
    'coinbase/cryptofeed_COINBASE.0.gz',
    'kraken/cryptofeed_KRAKEN.ws.50.0.gz',
    'kraken/cryptofeed_KRAKEN.ws.48.0.gz',
    'kraken/cryptofeed_KRAKEN.0.gz',
    'bybit/nautilus_xrpusdt-ob500.data.zip',
  ];
  for (const file of captures) {
    it(file, () => {
      let frames = 0;
      for (const line of readCaptureText(fixture(file)).split('\n')) {
        const start = line.search(/[[{]/);
        if (start < 0) continue;
        const body = line.slice(start);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          continue;
        }
        frames++;
        expect(hasDuplicateKey(body)).toBe(false);
        expect(parseJsonStrict(body)).toEqual(parsed);
      }
      expect(frames).toBeGreaterThan(0);
    });
  }
});
