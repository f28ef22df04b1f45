/**
 * Where the config files are and how one is read: at call time, never at import, so a broken file
 * fails only the command that needs it, with one line per problem instead of a stack trace.
 *
 * The folder is this one (the repository's `config/`) unless `TRADEPLANE_CONFIG_DIR` names another
 * (the CLI's `--config-dir` sets it; worker threads inherit it with the environment).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.ts';

export const CONFIG_DIR_ENV = 'TRADEPLANE_CONFIG_DIR';

/**
 * `../config/` rather than `./`: the same URL resolves to the repository's config folder from this
 * source file and from a bundle one folder below the root (`.bench/run.mjs`).
 */
const BUNDLED_DIR = fileURLToPath(new URL('../config/', import.meta.url));

/** The folder config files are read from. */
export function configDir(): string {
  return process.env[CONFIG_DIR_ENV] || BUNDLED_DIR;
}

/** How a file is named in messages: `config/venues.json`, or the path under an overriding folder. */
export function configFileLabel(name: string): string {
  const dir = process.env[CONFIG_DIR_ENV];
  return dir ? join(dir, name) : `config/${name}`;
}

/** The parsed JSON of one config file; a missing or malformed file is a ConfigError. */
export function readConfigFile(name: string): unknown {
  const label = configFileLabel(name);
  let text: string;
  try {
    text = readFileSync(join(configDir(), name), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(label, [code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? error})`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(label, [`not valid JSON: ${withLineAndColumn((error as Error).message, text)}`]);
  }
}

/** Node 20 reports "at position 16": a person looks for a line and column. */
function withLineAndColumn(message: string, text: string): string {
  const m = / at position (\d+)$/.exec(message);
  if (!m) return message;
  const position = Number(m[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${message.slice(0, m.index)} at line ${line}, column ${column}`;
}
