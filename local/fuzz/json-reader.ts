/**
 * A strict JSON reader for the fuzzer's reference models and mutator: the same grammar as
 * JSON.parse, but numbers keep their source text (a price sent as a JSON number stays exact), a
 * repeated key is reported instead of silently resolved, and nesting is walked with an explicit
 * stack (a 100,000-level frame cannot overflow the call stack). Deliberately separate from the
 * feeds' parsers: the reference models must not share code with what they check.
 */

/** A JSON number as written on the wire. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | string | JsonNumber | Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

export interface JsonRead {
  readonly value: Json;
  /** Some object names a key twice (which one counts is then a matter of opinion). */
  readonly duplicateKeys: boolean;
}

export interface ReadOptions {
  /** Which of two values of a repeated key to keep (JSON.parse keeps the last). */
  readonly keep?: 'first' | 'last';
  /** Called for every value with its source span; `memberStart` is its key's offset, -1 outside objects. */
  readonly onValue?: (start: number, end: number, memberStart: number) => void;
}

interface Open {
  readonly container: Json[] | Record<string, Json>;
  readonly isArray: boolean;
  readonly start: number;
  key: string;
  keyStart: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The value of `text`, or undefined when JSON.parse would refuse it. */
export function readJson(text: string, options: ReadOptions = {}): JsonRead | undefined {
  const keepFirst = options.keep === 'first';
  const onValue = options.onValue;
  const n = text.length;
  let i = 0;
  let duplicateKeys = false;
  const stack: Open[] = [];

  const skipSpace = (): void => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
    }
  };

  const readString = (): string | undefined => {
    i++; // opening quote
    let out = '';
    let run = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(run, i++);
        return out;
      }
      if (c < 0x20) return undefined;
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(run, i);
      const e = text[i + 1];
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!HEX4.test(hex)) return undefined;
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
      } else {
        const decoded = e === undefined ? undefined : ESCAPES[e];
        if (decoded === undefined) return undefined;
        out += decoded;
        i += 2;
      }
      run = i;
    }
    return undefined;
  };

  /** Reads `"key" :` into the open object; false on bad syntax. */
  const readKey = (top: Open): boolean => {
    skipSpace();
    if (text.charCodeAt(i) !== 0x22) return false;
    top.keyStart = i;
    const key = readString();
    if (key === undefined) return false;
    skipSpace();
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    top.key = key;
    return true;
  };

  let root: Json = null;
  let done = false;
  /** A value is complete: hand it to its container (or make it the root). */
  const complete = (value: Json, start: number): void => {
    const top = stack[stack.length - 1];
    onValue?.(start, i, top && !top.isArray ? top.keyStart : -1);
    if (!top) {
      root = value;
      done = true;
    } else if (top.isArray) {
      (top.container as Json[]).push(value);
    } else {
      const obj = top.container as Record<string, Json>;
      if (top.key in obj) {
        duplicateKeys = true;
        if (keepFirst) return;
      }
      obj[top.key] = value;
    }
  };

  let expectValue = true;
  while (!done) {
    if (expectValue) {
      skipSpace();
      const start = i;
      const c = text.charCodeAt(i);
      if (c === 0x7b || c === 0x5b) {
        const isArray = c === 0x5b;
        const open: Open = {
          container: isArray ? [] : (Object.create(null) as Record<string, Json>),
          isArray,
          start,
          key: '',
          keyStart: -1,
        };
        i++;
        skipSpace();
        if (text.charCodeAt(i) === (isArray ? 0x5d : 0x7d)) {
          i++;
          complete(open.container, start);
          expectValue = false;
          continue;
        }
        stack.push(open);
        if (!isArray && !readKey(open)) return undefined;
        continue;
      }
      let value: Json;
      if (c === 0x22) {
        const s = readString();
        if (s === undefined) return undefined;
        value = s;
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m) return undefined;
        i += m[0].length;
        value = new JsonNumber(m[0]);
      } else if (text.startsWith('true', i)) {
        i += 4;
        value = true;
      } else if (text.startsWith('false', i)) {
        i += 5;
        value = false;
      } else if (text.startsWith('null', i)) {
        i += 4;
        value = null;
      } else {
        return undefined;
      }
      complete(value, start);
      expectValue = false;
      continue;
    }
    // After a value inside a container: a separator or the container's end.
    const top = stack[stack.length - 1]!;
    skipSpace();
    const c = text.charCodeAt(i);
    if (c === 0x2c) {
      i++;
      if (!top.isArray && !readKey(top)) return undefined;
      expectValue = true;
    } else if (c === (top.isArray ? 0x5d : 0x7d)) {
      i++;
      stack.pop();
      complete(top.container, top.start);
    } else {
      return undefined;
    }
  }
  skipSpace();
  return i === n ? { value: root, duplicateKeys } : undefined;
}
