/**
 * A config file that cannot be used: the file and every problem found in it, one line each
 * (`config/venues.json: venues.binance.depthStream: expected one of depth|depth@100ms, received
 * "depth@1ms"`). The CLI prints the message as it is and exits non-zero.
 */
export class ConfigError extends Error {
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[]) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

/** Several files' problems, one line each. */
export class ConfigErrors extends Error {
  readonly errors: readonly ConfigError[];

  constructor(errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ConfigErrors';
    this.errors = errors;
  }
}

/**
 * Run every loader and return their results, or throw once with the problems of every file that
 * failed (a user fixes them all in one go). Errors other than ConfigError are thrown as they are.
 */
export function loadAll<T extends Record<string, () => unknown>>(
  loaders: T,
): { [K in keyof T]: ReturnType<T[K]> } {
  const out: Record<string, unknown> = {};
  const failed: ConfigError[] = [];
  for (const [name, load] of Object.entries(loaders)) {
    try {
      out[name] = load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      failed.push(error);
    }
  }
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new ConfigErrors(failed);
  return out as { [K in keyof T]: ReturnType<T[K]> };
}
