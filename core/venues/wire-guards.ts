/**
 * Small structural checks for venue JSON. Raw messages enter as `unknown` and leave these helpers
 * typed; a message that fails is rejected as 'malformed', never half-processed. `parseJsonStrict`
 * also refuses frames whose objects repeat a key ('duplicate_key').
 * (Hand-written rather than zod: they run per message and allocate nothing.)
 */
import type { RejectReason } from './feed-types.ts';

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

/** Why {@link parseJsonStrict} refused a frame: the rejection to count. */
export class JsonRefusal {
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
  ) {}
}

/**
 * Deepest nesting accepted. Venue frames nest 5 levels at most; a deeper one is hostile or broken,
 * and refusing it here keeps every later reader (and anything that recurses over it) safe.
 */
export const MAX_JSON_DEPTH = 64;

/** Readers disagree on a repeated key (JSON.parse keeps the last, hand scanners often the first). */
export const DUPLICATE_KEY = new JsonRefusal('duplicate_key', 'an object repeats a key');
export const TOO_DEEP = new JsonRefusal('malformed', `nested deeper than ${MAX_JSON_DEPTH} levels`);

/**
 * JSON.parse that refuses what no venue sends: the parsed value; undefined when `raw` is not JSON;
 * or a JsonRefusal — DUPLICATE_KEY (a recorder, a replay and a live feed could each read another
 * book from it) or TOO_DEEP. The check is one pass over the text after JSON.parse accepted it.
 */
export function parseJsonStrict(raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return value;
  const found = scanFrame(raw, MAX_JSON_DEPTH);
  return found === FRAME_OK ? value : found === FRAME_DUPLICATE_KEY ? DUPLICATE_KEY : TOO_DEEP;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/**
 * Past this many keys an object's keys go into a Set: pairwise comparison is cheaper for the small
 * objects venues send, and the Set bounds the cost of a hostile frame with thousands of keys.
 */
const PAIRWISE_KEYS = 16;

// Scan state, reused by every call (the scan is synchronous). Grown on demand, never shrunk.
/** Per open container: 1 for an object, 0 for an array. */
let openIsObject = new Uint8Array(64);
/** Per open container: 1 when its keys went into largeObjectKeys. */
let openIsLarge = new Uint8Array(64);
/** Per open container: index of its first key in the key stack. */
let openKeyBase = new Int32Array(64);
/** Keys of the open objects, innermost last: text range without the quotes, and whether it holds escapes. */
let keyStart = new Int32Array(256);
let keyEnd = new Int32Array(256);
let keyEscaped = new Uint8Array(256);
/** Per open container (by depth): the Set holding the keys of an object past PAIRWISE_KEYS. */
const largeObjectKeys: Array<Set<string> | undefined> = [];

/**
 * Does any object in the JSON text `text` name the same key twice (compared after unescaping, as
 * JSON.parse compares them)? One pass, an explicit stack instead of recursion (any depth), key text
 * compared in place. Meant for text that JSON.parse accepts; on other text it answers without throwing.
 */
export function hasDuplicateKey(text: string): boolean {
  return scanFrame(text, Number.POSITIVE_INFINITY) === FRAME_DUPLICATE_KEY;
}

const FRAME_OK = 0;
const FRAME_DUPLICATE_KEY = 1;
const FRAME_TOO_DEEP = 2;

/** The first problem found in `text`: a repeated key, or nesting past `maxDepth`. */
function scanFrame(text: string, maxDepth: number): number {
  const n = text.length;
  largeObjectKeys.length = 0;
  let depth = 0;
  let keys = 0;
  // True right after '{' or after ',' inside an object: the next string is a key.
  let keyNext = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // Digits and the rest of number and literal text: nothing to do (the most frequent case).
    if (c > RBRACKET ? c !== LBRACE && c !== RBRACE : c >= 48 && c < LBRACKET) {
      i++;
      continue;
    }
    if (c === QUOTE) {
      if (!keyNext) {
        i = stringEnd(text, i) + 1;
        continue;
      }
      keyNext = false;
      let j = i + 1;
      let escaped = 0;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = 1;
          j++;
        }
        j++;
      }
      if (isRepeatedKey(text, i + 1, j, escaped, depth, keys)) return FRAME_DUPLICATE_KEY;
      if (openIsLarge[depth - 1] === 0) {
        if (keys === keyStart.length) growKeys();
        keyStart[keys] = i + 1;
        keyEnd[keys] = j;
        keyEscaped[keys] = escaped;
        keys++;
      }
      i = j + 1;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) {
      if (depth === maxDepth) return FRAME_TOO_DEEP;
      if (depth === openIsObject.length) growOpen();
      openIsObject[depth] = c === LBRACE ? 1 : 0;
      openIsLarge[depth] = 0;
      openKeyBase[depth] = keys;
      depth++;
      keyNext = c === LBRACE;
    } else if (c === RBRACE || c === RBRACKET) {
      if (depth > 0) {
        depth--;
        keys = openKeyBase[depth]!;
        if (openIsLarge[depth] === 1) largeObjectKeys[depth] = undefined;
      }
      keyNext = false;
    } else if (c === COMMA) {
      keyNext = depth > 0 && openIsObject[depth - 1] === 1;
    }
    i++;
  }
  return FRAME_OK;
}

/** Is the key text[start, end) already a key of the innermost open object (which starts at depth - 1)? */
function isRepeatedKey(
  text: string,
  start: number,
  end: number,
  escaped: number,
  depth: number,
  keys: number,
): boolean {
  if (depth === 0) return false;
  if (openIsLarge[depth - 1] === 1) {
    const large = largeObjectKeys[depth - 1]!;
    const key = keyText(text, start, end, escaped);
    if (large.has(key)) return true;
    large.add(key);
    return false;
  }
  const base = openKeyBase[depth - 1]!;
  for (let k = base; k < keys; k++) {
    if (sameKey(text, keyStart[k]!, keyEnd[k]!, keyEscaped[k]!, start, end, escaped)) return true;
  }
  if (keys - base === PAIRWISE_KEYS) {
    const set = new Set<string>();
    for (let k = base; k < keys; k++) set.add(keyText(text, keyStart[k]!, keyEnd[k]!, keyEscaped[k]!));
    set.add(keyText(text, start, end, escaped));
    largeObjectKeys[depth - 1] = set;
    openIsLarge[depth - 1] = 1;
  }
  return false;
}

function sameKey(
  text: string,
  aStart: number,
  aEnd: number,
  aEscaped: number,
  bStart: number,
  bEnd: number,
  bEscaped: number,
): boolean {
  if (aEscaped === 0 && bEscaped === 0) {
    const len = aEnd - aStart;
    if (len !== bEnd - bStart) return false;
    for (let k = 0; k < len; k++) {
      if (text.charCodeAt(aStart + k) !== text.charCodeAt(bStart + k)) return false;
    }
    return true;
  }
  // Escapes are rare in keys: compare the decoded text (allocates only here).
  return keyText(text, aStart, aEnd, aEscaped) === keyText(text, bStart, bEnd, bEscaped);
}

/** The key's decoded text. */
function keyText(text: string, start: number, end: number, escaped: number): string {
  if (escaped === 0) return text.slice(start, end);
  try {
    return JSON.parse(text.slice(start - 1, end + 1)) as string;
  } catch {
    return text.slice(start, end);
  }
}

/** Index of the closing quote of the string opened at `i` (text.length when unterminated). */
function stringEnd(text: string, i: number): number {
  for (;;) {
    const q = text.indexOf('"', i + 1);
    if (q < 0) return text.length;
    // Escaped when an odd number of backslashes precede it.
    let b = q - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - b) % 2 === 1) return q;
    i = q;
  }
}

function growOpen(): void {
  const isObject = new Uint8Array(openIsObject.length * 2);
  const isLarge = new Uint8Array(openIsLarge.length * 2);
  const base = new Int32Array(openKeyBase.length * 2);
  isObject.set(openIsObject);
  isLarge.set(openIsLarge);
  base.set(openKeyBase);
  openIsObject = isObject;
  openIsLarge = isLarge;
  openKeyBase = base;
}

function growKeys(): void {
  const start = new Int32Array(keyStart.length * 2);
  const end = new Int32Array(keyEnd.length * 2);
  const escaped = new Uint8Array(keyEscaped.length * 2);
  start.set(keyStart);
  end.set(keyEnd);
  escaped.set(keyEscaped);
  keyStart = start;
  keyEnd = end;
  keyEscaped = escaped;
}

/** Venue milliseconds, microseconds or nanoseconds (told apart by magnitude) → µs. */
export function venueTimeToMicros(t: unknown): number {
  if (typeof t !== 'number' || !Number.isFinite(t)) return 0;
  if (t > 1e17) return Math.trunc(t / 1000);
  return t > 1e14 ? Math.trunc(t) : Math.trunc(t * 1000);
}
