import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../../core/oms/journal/journal-record.ts';
import { isSecretKey, REDACTED, redactSecrets } from '../../../../core/oms/journal/redact-secrets.ts';

describe('redactSecrets', () => {
  it.each([
    'token',
    'adminToken',
    'X-Api-Key',
    'api_key',
    'apiSecret',
    'passphrase',
    'password',
    'privateKey',
    'signature',
  ])('%s is a secret key', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['maxNotional', 'spread_bps', 'source', 'keyLevel'])('%s is not', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );

  it('returns a value without secrets as it is, not a copy', () => {
    const clean: JsonValue = { limits: [{ maxNotional: 1 }], note: 'x' };
    expect(redactSecrets(clean)).toBe(clean);
  });

  it('copies only along the path to a secret and leaves the input untouched', () => {
    const shared = { maxNotional: 1 };
    const input: JsonValue = { shared, auth: [{ headers: { token: 'abc' } }] };
    const out = redactSecrets(input) as { shared: unknown; auth: [{ headers: { token: string } }] };
    expect(out.auth[0].headers.token).toBe(REDACTED);
    expect(out.shared).toBe(shared);
    expect(input).toEqual({ shared, auth: [{ headers: { token: 'abc' } }] });
  });

  it('replaces what nests deeper than it walks instead of recursing without bound', () => {
    let deep: JsonValue = { token: 'abc' };
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('abc');
  });
});
