/**
 * Skipping one JSON value in frame text without parsing it: the walkers that read prices straight
 * from the raw text (Kraken's FieldScan and ArrayCursor, the Binance level walker's general path)
 * use it to step over values they do not need. Allocation-free; containers are skipped by bracket
 * matching up to MAX_JSON_DEPTH levels (deeper is refused), strings by their closing quote, numbers
 * and literals up to the next delimiter. It locates values, it does not validate them: the reader of
 * a needed value checks its form.
 *
 * The Binance depth scanner keeps its own skipper over the frame BYTES (Uint8Array): the hot path
 * never turns a frame into a string, and a byte loop there is faster than charCodeAt over text.
 */

import { MAX_JSON_DEPTH } from './wire-guards.ts';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

export function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Index of the first non-space character at or after `i`. */
export function skipJsonSpace(text: string, i: number): number {
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Whether the string the last skipJsonString call passed held an escape (a live binding). */
export let skippedEscape = false;

/** Index after the string whose opening quote is at `i`; -1 when unterminated. */
export function skipJsonString(text: string, i: number): number {
  const n = text.length;
  skippedEscape = false;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      skippedEscape = true;
      j++;
    } else if (c === QUOTE) return j + 1;
  }
  return -1;
}

/** Index after the JSON value starting at `i` (no leading space); -1 when malformed. */
export function skipJsonValue(text: string, i: number): number {
  const n = text.length;
  if (i >= n) return -1;
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipJsonString(text, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === QUOTE) {
        i = skipJsonString(text, i);
        if (i < 0) return -1;
        continue;
      }
      if (d === LBRACE || d === LBRACKET) {
        if (++depth > MAX_JSON_DEPTH) return -1;
      } else if (d === RBRACE || d === RBRACKET) {
        if (--depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // Number or literal: up to the next delimiter.
  const start = i;
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d === COMMA || d === RBRACE || d === RBRACKET || d === COLON || isJsonSpace(d)) break;
    if (d === QUOTE || d === LBRACE || d === LBRACKET) return -1;
    i++;
  }
  return i > start ? i : -1;
}
