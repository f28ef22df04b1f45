/**
 * Strategy parameters: a flat record of numbers, strings and booleans, validated against the
 * strategy's declared spec (unknown names and wrong types refused, every problem reported at once).
 * Values given as strings (from a command line, `k=v`) are converted to the declared type.
 */
export type ParamValue = number | string | boolean;
export type StrategyParams = Readonly<Record<string, ParamValue>>;

export interface ParamSpec {
  readonly default: ParamValue;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export class ParamError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid strategy parameters:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Defaults overlaid with `overrides`, checked; throws ParamError listing every problem. */
export function resolveParams(
  specs: ParamSpecs,
  overrides: Readonly<Record<string, unknown>> = {},
): StrategyParams {
  const out: Record<string, ParamValue> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.default;
  for (const [name, raw] of Object.entries(overrides)) {
    const spec = specs[name];
    if (!spec) {
      problems.push(`${name}: unknown parameter (known: ${Object.keys(specs).join(', ')})`);
      continue;
    }
    const value = coerce(raw, typeof spec.default);
    if (value === undefined) {
      problems.push(`${name}: expected a ${typeof spec.default}, got ${JSON.stringify(raw)}`);
      continue;
    }
    if (typeof value === 'number') {
      if (spec.min !== undefined && value < spec.min) problems.push(`${name}: ${value} is below ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) problems.push(`${name}: ${value} is above ${spec.max}`);
    }
    out[name] = value;
  }
  if (problems.length > 0) throw new ParamError(problems);
  return Object.freeze(out);
}

function coerce(raw: unknown, type: string): ParamValue | undefined {
  if (type === 'number') {
    const n =
      typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  if (type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return undefined;
  }
  return typeof raw === 'string' ? raw : undefined;
}

/** Numeric parameter (resolved params always hold the declared type). */
export function num(params: StrategyParams, name: string): number {
  const v = params[name];
  return typeof v === 'number' ? v : Number(v);
}

export function str(params: StrategyParams, name: string): string {
  return String(params[name] ?? '');
}

export function bool(params: StrategyParams, name: string): boolean {
  return params[name] === true;
}
