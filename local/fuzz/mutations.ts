/**
 * How the fuzzer damages a real frame. Text mutations edit the raw text in place — structural
 * ones at a value's exact source span (json-reader.ts reports spans), so everything else stays
 * byte for byte; frame mutations reorder, repeat or drop whole frames (fuzz-case.ts). Each
 * mutation is a pure function of the frame and its own seed, so a shrunk case replays exactly.
 */
import type { Random } from '../../core/sim/random.ts';
import { readJson } from './json-reader.ts';

export const TEXT_MUTATIONS = [
  'truncate',
  'bit_flip',
  'delete_key',
  'duplicate_key',
  'type_swap',
  'odd_number',
  'long_string',
  'deep_nesting',
] as const;
export const FRAME_MUTATIONS = ['reorder', 'duplicate_frame', 'drop_frame'] as const;
export const MUTATION_KINDS = [...TEXT_MUTATIONS, ...FRAME_MUTATIONS] as const;

export type TextMutation = (typeof TEXT_MUTATIONS)[number];
export type FrameMutation = (typeof FRAME_MUTATIONS)[number];
export type MutationKind = (typeof MUTATION_KINDS)[number];

export function isFrameMutation(kind: MutationKind): kind is FrameMutation {
  return (FRAME_MUTATIONS as readonly string[]).includes(kind);
}

/** Number spellings the venues never send, and values at the edge of what a double holds. */
export const ODD_NUMBERS = [
  '1e400',
  '-0',
  '9007199254740993',
  '+1',
  '01',
  '-1',
  '0',
  '1e-400',
  '1.0',
  '1E5',
  '0.000000000000000001',
  '123456789012345678901234567890',
  'NaN',
  'Infinity',
  '0x10',
  ' 1',
  '1.',
  '.5',
] as const;
const NESTING_DEPTHS = [64, 65, 1000, 100_000] as const;
const LONG_LENGTHS = [10_000, 100_000, 1_000_000] as const;

interface Span {
  readonly start: number;
  readonly end: number;
  /** Offset of the member's key; -1 for array elements and the root. */
  readonly memberStart: number;
}

function spansOf(text: string): Span[] {
  const spans: Span[] = [];
  readJson(text, { onValue: (start, end, memberStart) => spans.push({ start, end, memberStart }) });
  return spans;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function replace(text: string, s: { start: number; end: number }, by: string): string {
  return text.slice(0, s.start) + by + text.slice(s.end);
}

/** A value of another JSON type than the one at `s`. */
function swappedType(text: string, s: Span, random: Random): string {
  const value = text.slice(s.start, s.end);
  const c = value[0];
  if (c === '"') {
    const inner = value.slice(1, -1);
    return pick(random, [/^-?\d+(\.\d+)?$/.test(inner) ? inner : '0', 'null', 'true', '[]', '{}']);
  }
  if (c === '{' || c === '[') return pick(random, ['"x"', '0', 'null', c === '{' ? '[]' : '{}']);
  return pick(random, [`"${value}"`, 'null', 'false', '[]', '{}']);
}

function oddNumber(text: string, s: Span, random: Random): string {
  const odd = pick(random, ODD_NUMBERS);
  // Mostly keep the original's string-or-number form, sometimes swap it too.
  const quoted = (text[s.start] === '"') !== random() >= 0.8;
  return quoted ? `"${odd}"` : odd;
}

function longString(random: Random): string {
  const n = pick(random, LONG_LENGTHS);
  return `"${pick(random, [`1${'0'.repeat(n)}`, '9'.repeat(n), `0.${'0'.repeat(n)}1`, 'a'.repeat(n)])}"`;
}

function deepNesting(random: Random): string {
  const n = pick(random, NESTING_DEPTHS);
  return random() < 0.5 ? '['.repeat(n) + ']'.repeat(n) : `${'{"a":'.repeat(n)}0${'}'.repeat(n)}`;
}

/** Remove a member and one comma beside it. */
function deleteMember(text: string, s: Span): string {
  let j = s.end;
  while (j < text.length && /\s/.test(text[j]!)) j++;
  if (text[j] === ',') return text.slice(0, s.memberStart) + text.slice(j + 1);
  let start = s.memberStart;
  let k = start - 1;
  while (k >= 0 && /\s/.test(text[k]!)) k--;
  if (text[k] === ',') start = k;
  return text.slice(0, start) + text.slice(s.end);
}

/**
 * `text` damaged by `kind`, or undefined when the mutation has nothing to work on (a structural
 * mutation of a frame that is not JSON, a key edit in a frame without objects).
 */
export function mutateText(text: string, kind: TextMutation, random: Random): string | undefined {
  if (kind === 'truncate')
    return text.length === 0 ? undefined : text.slice(0, Math.floor(random() * text.length));
  if (kind === 'bit_flip') {
    if (text.length === 0) return undefined;
    const at = Math.floor(random() * text.length);
    const flipped = String.fromCharCode(text.charCodeAt(at) ^ (1 << Math.floor(random() * 7)));
    return text.slice(0, at) + flipped + text.slice(at + 1);
  }
  const spans = spansOf(text);
  const members = spans.filter((s) => s.memberStart >= 0);
  switch (kind) {
    case 'delete_key':
      return members.length === 0 ? undefined : deleteMember(text, pick(random, members));
    case 'duplicate_key': {
      if (members.length === 0) return undefined;
      const s = pick(random, members);
      const key = text.slice(s.memberStart, s.start);
      const value = random() < 0.5 ? text.slice(s.start, s.end) : oddNumber(text, s, random);
      return `${text.slice(0, s.end)},${key}${value}${text.slice(s.end)}`;
    }
    case 'type_swap': {
      if (spans.length === 0) return undefined;
      const s = pick(random, spans);
      return replace(text, s, swappedType(text, s, random));
    }
    case 'odd_number': {
      const numeric = spans.filter((s) => /^"?[-\d]/.test(text.slice(s.start, s.start + 2)));
      if (numeric.length === 0) return undefined;
      const s = pick(random, numeric);
      return replace(text, s, oddNumber(text, s, random));
    }
    case 'long_string': {
      const strings = spans.filter((s) => text[s.start] === '"');
      return strings.length === 0 ? undefined : replace(text, pick(random, strings), longString(random));
    }
    case 'deep_nesting':
      return spans.length === 0 ? undefined : replace(text, pick(random, spans), deepNesting(random));
  }
}
