import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_ENV, resolveAdminToken } from '../../../fargate/ops/admin-token.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'admin-token-'));

describe('resolveAdminToken', () => {
  it('takes the environment’s token when set, writes no file, logs no token', () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const got = resolveAdminToken({
      env: { [ADMIN_TOKEN_ENV]: 'from-the-env-0123456789' },
      dataDir,
      log: (l) => lines.push(l),
    });
    expect(got).toEqual({ token: 'from-the-env-0123456789', source: 'env' });
    expect(() => statSync(join(dataDir, 'admin-token'))).toThrow(/ENOENT/);
    expect(lines).toEqual([`admin token: from ${ADMIN_TOKEN_ENV}`]);
  });

  it('the environment wins over a kept file; a blank one does not count', () => {
    const dataDir = tempDir();
    const kept = resolveAdminToken({ env: {}, dataDir, log: () => {} });
    expect(resolveAdminToken({ env: { [ADMIN_TOKEN_ENV]: 'env-token' }, dataDir, log: () => {} }).token).toBe(
      'env-token',
    );
    expect(resolveAdminToken({ env: { [ADMIN_TOKEN_ENV]: '  ' }, dataDir, log: () => {} })).toEqual(kept);
  });

  it('generates 32 random bytes (base64url) into <data dir>/admin-token, mode 0600, dir created', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const lines: string[] = [];
    const got = resolveAdminToken({ env: {}, dataDir, log: (l) => lines.push(l) });
    const path = join(dataDir, 'admin-token');
    expect(got).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), source: 'file', path });
    expect(Buffer.from(got.token, 'base64url')).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(got.token);
    // The log line names the path, never the token.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
    expect(lines[0]).not.toContain(got.token);
    // Another start makes another token.
    expect(resolveAdminToken({ env: {}, dataDir: tempDir(), log: () => {} }).token).not.toBe(got.token);
  });

  it('reuses the kept token on a restart, narrowing a file others could read', () => {
    const dataDir = tempDir();
    const first = resolveAdminToken({ env: {}, dataDir, log: () => {} });
    chmodSync(first.path!, 0o644);
    const lines: string[] = [];
    const again = resolveAdminToken({ env: {}, dataDir, log: (l) => lines.push(l) });
    expect(again).toEqual(first);
    expect(statSync(first.path!).mode & 0o777).toBe(0o600);
    expect(lines).toEqual([`admin token: read from ${first.path}`]);
  });

  it('an empty kept file gets a fresh token, mode 0600', () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'admin-token');
    writeFileSync(path, '\n', { mode: 0o644 });
    const got = resolveAdminToken({ env: {}, dataDir, log: () => {} });
    expect(got.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(got.token);
  });
});
