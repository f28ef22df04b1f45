/**
 * Reading the fuzzer's parsed frames (json-reader.ts) the lenient way a reference model needs:
 * every form whose meaning is clear is accepted (a price sent as a JSON number, "+1", "1e3", a
 * sequence as a digit string), everything else is undefined. A feed may be stricter — refusing a
 * frame only costs it trust — but it must never read a different value.
 */
import { canonicalDecimal } from './decimal-text.ts';
import { type Json, JsonNumber, type JsonObject, readJson } from './json-reader.ts';

export function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

export function field(v: Json | undefined, key: string): Json | undefined {
  return isObject(v) ? v[key] : undefined;
}

export function text(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : undefined;
}

/** A non-negative decimal, canonical. */
export function decimal(v: Json | undefined): string | undefined {
  const t = text(v);
  const d = t === undefined ? undefined : canonicalDecimal(t);
  return d === undefined || d.startsWith('-') ? undefined : d;
}

/** A sequence number: a non-negative integer that a double holds exactly. */
export function sequence(v: Json | undefined): number | undefined {
  const d = decimal(v);
  if (d === undefined || d.includes('.') || d.length > 16) return undefined;
  const n = Number(d);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** [price, size] as canonical decimals, with the wire spellings (Kraken's checksum needs them). */
export interface Level {
  readonly price: string;
  readonly size: string;
  readonly wirePrice: string;
  readonly wireSize: string;
  /** What `readExtra` made of the rest of the entry (KuCoin's per-change sequence). */
  readonly extra: number | undefined;
}

/**
 * `[[price, size, …], …]`, the price at offset `from`; `readExtra` reads what follows the size
 * (undefined from it makes the whole list unreadable).
 */
export function levels(
  v: Json | undefined,
  from = 0,
  readExtra?: (rest: readonly Json[]) => number | undefined,
): Level[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Level[] = [];
  for (const entry of v) {
    if (!Array.isArray(entry) || entry.length < from + 2) return undefined;
    const price = decimal(entry[from]);
    const size = decimal(entry[from + 1]);
    if (price === undefined || size === undefined) return undefined;
    const extra = readExtra?.(entry.slice(from + 2));
    if (readExtra && extra === undefined) return undefined;
    out.push({ price, size, wirePrice: text(entry[from])!, wireSize: text(entry[from + 1])!, extra });
  }
  return out;
}

export type Reading<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly why: 'not json' | 'ambiguous' | 'unreadable'; readonly parsed?: Json };

/**
 * Read a frame with `extract`. A repeated key makes the frame ambiguous only when the two readings
 * (first value kept, last value kept) extract differently: a repeated field the book never reads
 * changes nothing.
 */
export function readFrame<T>(raw: string, extract: (v: Json) => T | undefined): Reading<T> {
  const last = readJson(raw);
  if (!last) return { ok: false, why: 'not json' };
  const value = extract(last.value);
  if (last.duplicateKeys) {
    const first = readJson(raw, { keep: 'first' });
    if (!sameValue(value, first ? extract(first.value) : undefined))
      return { ok: false, why: 'ambiguous', parsed: last.value };
  }
  return value === undefined ? { ok: false, why: 'unreadable', parsed: last.value } : { ok: true, value };
}

/** Extracted frames are shallow; anything deeper is not a frame a model extracted. */
const MAX_COMPARE_DEPTH = 8;

/** Structural equality of extracted frames (plain objects, arrays, strings, numbers). */
function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_COMPARE_DEPTH) return false;
  if (a instanceof JsonNumber && b instanceof JsonNumber) return a.text === b.text;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1))
      return false;
  }
  return true;
}
