/**
 * Zod issues as the lines a person fixes a config file from: where (`venues.binance.depthStream`,
 * `instruments[3].tick`), what was expected and what was found. Values found are described
 * boundedly (core/venues/describe-frame.ts): a config file is input like any other.
 */
import type { z } from 'zod';
import { describeValue } from '../core/venues/describe-frame.ts';

type Issue = z.core.$ZodIssue;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `venues.binance.symbols[1]`, `symbols["BTC/USDT"]`; `(root)` for the document itself. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(root)';
}

function received(issue: Issue): string {
  return issue.input === undefined ? 'nothing' : describeValue(issue.input);
}

function oneOf(values: readonly unknown[]): string {
  const text = values.map((v) => (typeof v === 'string' ? v : String(v))).join('|');
  return values.length === 1 ? text : `one of ${text}`;
}

/** Every allowed value when each branch of a union is a literal (z.union of z.literal). */
function unionValues(issue: Extract<Issue, { code: 'invalid_union' }>): unknown[] | undefined {
  const values: unknown[] = [];
  for (const branch of issue.errors) {
    const only = branch.length === 1 ? branch[0] : undefined;
    if (only?.code !== 'invalid_value' || only.path.length > 0) return undefined;
    values.push(...only.values);
  }
  return values.length > 0 ? values : undefined;
}

function bound(kind: 'at least' | 'at most', limit: unknown, inclusive: boolean | undefined): string {
  if (inclusive === false) return `${kind === 'at least' ? 'above' : 'below'} ${String(limit)}`;
  return `${kind} ${String(limit)}`;
}

function unit(origin: string): string {
  if (origin === 'array' || origin === 'set') return ' entries';
  if (origin === 'string') return ' characters';
  return '';
}

/** What is wrong, without the path. */
function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected ${oneOf(issue.values)}, received ${received(issue)}`;
    case 'invalid_type':
      if (issue.input === undefined) return `missing (expected ${issue.expected})`;
      return `expected ${issue.expected === 'int' ? 'an integer' : issue.expected}, received ${received(issue)}`;
    case 'invalid_union': {
      const values = unionValues(issue);
      return values ? `expected ${oneOf(values)}, received ${received(issue)}` : `${issue.message}`;
    }
    case 'too_small':
      return `expected ${bound('at least', issue.minimum, issue.inclusive)}${unit(issue.origin)}, received ${received(issue)}`;
    case 'too_big':
      return `expected ${bound('at most', issue.maximum, issue.inclusive)}${unit(issue.origin)}, received ${received(issue)}`;
    case 'invalid_format':
    case 'not_multiple_of':
      // Zod's own messages start "Invalid …"; the schemas' own say what is expected ("a ws:// URL").
      return issue.message.startsWith('Invalid')
        ? `${issue.message}, received ${received(issue)}`
        : `expected ${issue.message}, received ${received(issue)}`;
    default:
      return issue.message;
  }
}

/** One line per problem; an unknown key is a line of its own (a misspelt setting must not pass). */
export function zodProblems(issues: readonly Issue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => `${formatConfigPath([...issue.path, key])}: unknown key`);
    return [`${formatConfigPath(issue.path)}: ${describeIssue(issue)}`];
  });
}
