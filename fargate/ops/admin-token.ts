/**
 * The admin token that `POST /reset` and the parameter routes require. From the environment
 * (`TRADEPLANE_ADMIN_TOKEN`) when set; otherwise one generated on first start (32 random bytes,
 * base64url) and kept in `<data dir>/admin-token`, mode 0600, so a restart keeps it and only the
 * owner of the data dir can read it. The log line names where the token is, never the token.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_TOKEN_ENV = 'TRADEPLANE_ADMIN_TOKEN';
export const ADMIN_TOKEN_FILE = 'admin-token';

export interface AdminTokenSetup {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dataDir: string;
  readonly log: (line: string) => void;
}

export interface AdminToken {
  readonly token: string;
  readonly source: 'env' | 'file';
  /** The file, when the token is kept in one. */
  readonly path?: string;
}

export function resolveAdminToken(setup: AdminTokenSetup): AdminToken {
  // Blank means unset: an empty token must never be what a reset is compared with.
  const fromEnv = setup.env[ADMIN_TOKEN_ENV]?.trim();
  if (fromEnv) {
    setup.log(`admin token: from ${ADMIN_TOKEN_ENV}`);
    return { token: fromEnv, source: 'env' };
  }
  const path = join(setup.dataDir, ADMIN_TOKEN_FILE);
  const kept = readKept(path);
  if (kept !== undefined) {
    // A file others may read is narrowed to the owner before the token is used.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    setup.log(`admin token: read from ${path}`);
    return { token: kept, source: 'file', path };
  }
  const token = randomBytes(32).toString('base64url');
  mkdirSync(setup.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an empty file already there keeps its own.
  chmodSync(path, 0o600);
  setup.log(
    `admin token: generated and written to ${path} (mode 0600; set ${ADMIN_TOKEN_ENV} to choose one)`,
  );
  return { token, source: 'file', path };
}

/** The token in the file; undefined when there is no file or it holds nothing. */
function readKept(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`admin token file ${path} cannot be read: ${(error as Error).message}`);
  }
  return text.trim() || undefined;
}
