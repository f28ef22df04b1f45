/**
 * A small allocation-free JSON walker for Kraken v2 frames.
 *
 * Why: v2 writes prices and quantities as JSON NUMBERS with the pair's full precision ("price":0.010,
 * "qty":13600.00000000). JSON.parse turns them into doubles (0.01, 13600) and the padding the checksum
 * needs is lost — and a double is not an exact decimal anyway. This walker only locates values in the
 * raw text; the caller reads numbers with parseDecimalRange straight into integer units.
 *
 * Scope: it accepts any well-formed JSON object layout (keys in any order, whitespace, unknown keys
 * skipped) nested up to MAX_JSON_DEPTH levels. It does not fully validate JSON: a value it does not need
 * is stepped over by core/venues/skip-json-value.ts, and a needed number is validated by the decimal
 * parser that reads it.
 */

import { skipJsonSpace, skipJsonString, skipJsonValue, skippedEscape } from '../skip-json-value.ts';

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/** Kind of a located value. */
export const JsonKind = { Missing: 0, String: 1, Number: 2, Object: 3, Array: 4, Literal: 5 } as const;
export type JsonKind = (typeof JsonKind)[keyof typeof JsonKind];

/** Index of `keys` that the escaped key text[start, end) (quotes included) decodes to; -1 when none. */
function escapedKeyIndex(text: string, start: number, end: number, keys: readonly string[]): number {
  let key: unknown;
  try {
    key = JSON.parse(text.slice(start, end));
  } catch {
    return -1;
  }
  return keys.indexOf(key as string);
}

function kindOf(c: number): JsonKind {
  if (c === QUOTE) return JsonKind.String;
  if (c === LBRACE) return JsonKind.Object;
  if (c === LBRACKET) return JsonKind.Array;
  if (c === 45 || (c >= 48 && c <= 57)) return JsonKind.Number;
  return JsonKind.Literal;
}

/** Does `text[start, end)` equal `literal`? */
export function rangeEquals(text: string, start: number, end: number, literal: string): boolean {
  return end - start === literal.length && text.startsWith(literal, start);
}

/**
 * Locates chosen keys of one JSON object. After `scan`, field k (the index of its key in `keys`)
 * has kind[k], and its value is text[start[k], end[k]) — for strings, without the quotes (escapes
 * are left as written). Keys are compared as JSON.parse compares them (after unescaping), and an
 * object naming a chosen key twice is refused: readers disagree on which one counts. One instance
 * per object shape, reused for every frame.
 */
export class FieldScan {
  readonly keys: readonly string[];
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** After a scan that returned -1: whether it was refused for a chosen key named twice. */
  duplicate = false;

  constructor(keys: readonly string[]) {
    this.keys = keys;
    this.kind = new Uint8Array(keys.length);
    this.start = new Int32Array(keys.length);
    this.end = new Int32Array(keys.length);
  }

  /** Scan the object at `i` (after optional space). Index after its '}', or -1 when malformed. */
  scan(text: string, i: number): number {
    this.kind.fill(JsonKind.Missing);
    this.duplicate = false;
    i = skipJsonSpace(text, i);
    if (text.charCodeAt(i) !== LBRACE) return -1;
    i = skipJsonSpace(text, i + 1);
    if (text.charCodeAt(i) === RBRACE) return i + 1;
    const keys = this.keys;
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) return -1;
      const keyEnd = skipJsonString(text, i);
      if (keyEnd < 0) return -1;
      const ks = i + 1;
      const ke = keyEnd - 1;
      const escapedKey = skippedEscape ? escapedKeyIndex(text, i, keyEnd, keys) : -1;
      i = skipJsonSpace(text, keyEnd);
      if (text.charCodeAt(i) !== COLON) return -1;
      i = skipJsonSpace(text, i + 1);
      const vs = i;
      const ve = skipJsonValue(text, i);
      if (ve < 0) return -1;
      for (let k = 0; k < keys.length; k++) {
        if (k === escapedKey || rangeEquals(text, ks, ke, keys[k]!)) {
          if (this.kind[k] !== JsonKind.Missing) {
            this.duplicate = true;
            return -1;
          }
          const kind = kindOf(text.charCodeAt(vs));
          this.kind[k] = kind;
          this.start[k] = kind === JsonKind.String ? vs + 1 : vs;
          this.end[k] = kind === JsonKind.String ? ve - 1 : ve;
          break;
        }
      }
      i = skipJsonSpace(text, ve);
      const c = text.charCodeAt(i);
      if (c === COMMA) i = skipJsonSpace(text, i + 1);
      else if (c === RBRACE) return i + 1;
      else return -1;
    }
  }

  has(k: number): boolean {
    return this.kind[k] !== JsonKind.Missing;
  }

  /** Is field k a decimal value: a JSON number, or (tolerated) a string to be parsed as one? */
  isDecimal(k: number): boolean {
    const kind = this.kind[k];
    return kind === JsonKind.Number || kind === JsonKind.String;
  }

  /** Is field k the string `literal`? */
  isString(text: string, k: number, literal: string): boolean {
    return this.kind[k] === JsonKind.String && rangeEquals(text, this.start[k]!, this.end[k]!, literal);
  }

  /** Field k's raw text (allocates: for cold paths and ids). */
  text(text: string, k: number): string {
    return text.slice(this.start[k]!, this.end[k]!);
  }
}

/**
 * Walks the elements of a JSON array: `open(text, i)` at its '[', then `while (c.next())` reads
 * each element's range [start, end). `malformed` is set when the array turns out broken.
 */
export class ArrayCursor {
  start = 0;
  end = 0;
  malformed = false;
  private text = '';
  private i = 0;
  private done = true;

  open(text: string, i: number): boolean {
    this.text = text;
    this.malformed = false;
    i = skipJsonSpace(text, i);
    if (text.charCodeAt(i) !== LBRACKET) {
      this.malformed = true;
      this.done = true;
      return false;
    }
    i = skipJsonSpace(text, i + 1);
    this.done = text.charCodeAt(i) === RBRACKET;
    this.i = i;
    return true;
  }

  next(): boolean {
    if (this.done) return false;
    const text = this.text;
    const e = skipJsonValue(text, this.i);
    if (e < 0) return this.fail();
    this.start = this.i;
    this.end = e;
    const j = skipJsonSpace(text, e);
    const c = text.charCodeAt(j);
    if (c === COMMA) this.i = skipJsonSpace(text, j + 1);
    else if (c === RBRACKET) this.done = true;
    else return this.fail();
    return true;
  }

  /** Drop the reference to the frame (so a long-lived cursor does not pin it in memory). */
  release(): void {
    this.text = '';
    this.done = true;
  }

  private fail(): boolean {
    this.malformed = true;
    this.done = true;
    return false;
  }
}
