/**
 * Free-form JSON headed for the journal (parameters, control details) with every value under a
 * credential-like key replaced by "[redacted]": the admin token, API keys and passphrases never
 * reach the audit trail, even when a caller passes a whole request or config object.
 *
 * Design decision: match on key names rather than trust every caller to strip them — the journal
 * is kept for years and copied around, so one forgotten field would be a leaked secret. A value
 * without such keys is returned as it is (no copy); one with them is copied along the path only.
 */
import type { JsonValue } from './journal-record.ts';

const SECRET_KEY = /token|secret|password|passphrase|api[-_]?key|private[-_]?key|signature|credential/i;

export const REDACTED = '[redacted]';

/** Deeper than this, a value is replaced rather than walked (our own data never nests this far). */
const MAX_DEPTH = 64;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactSecrets<T extends JsonValue>(value: T): T {
  return redact(value, 0) as T;
}

function redact(value: JsonValue, depth: number): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deeply]';
  if (Array.isArray(value)) {
    let copy: JsonValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i]!;
      const cleaned = redact(item, depth + 1);
      if (cleaned !== item) {
        copy ??= value.slice();
        copy[i] = cleaned;
      }
    }
    return copy ?? value;
  }
  let copy: { [key: string]: JsonValue } | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key]!;
    const cleaned = isSecretKey(key) ? REDACTED : redact(item, depth + 1);
    if (cleaned !== item) {
      copy ??= { ...value };
      copy[key] = cleaned;
    }
  }
  return copy ?? value;
}
