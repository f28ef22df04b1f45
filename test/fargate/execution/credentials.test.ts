import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EnvSecretsProvider } from '../../../fargate/execution/credentials.ts';
import { SecretRedactor } from '../../../fargate/execution/redact-secrets.ts';

describe('credentials from the environment', () => {
  it('reads <PREFIX>_API_KEY / _API_SECRET; USD-M falls back to the spot variables', async () => {
    const env = {
      BINANCE_API_KEY: 'key-1234',
      BINANCE_API_SECRET: 'secret-5678',
      KUCOIN_API_KEY: 'kk-1234',
      KUCOIN_API_SECRET: 'ks-1234',
      KUCOIN_API_PASSPHRASE: 'pp',
    };
    const p = new EnvSecretsProvider(env);
    expect(await p.credentials('binance')).toMatchObject({ apiKey: 'key-1234', apiSecret: 'secret-5678' });
    expect(await p.credentials('binance-futures')).toMatchObject({
      exchange: 'binance-futures',
      apiKey: 'key-1234',
    });
    expect(await p.credentials('kucoin')).toMatchObject({ passphrase: 'pp' });
    expect(await p.credentials('kraken')).toBeUndefined();
  });

  it('a credentials object prints as a label in every form', async () => {
    const c = (await new EnvSecretsProvider({
      BYBIT_API_KEY: 'key-abcd',
      BYBIT_API_SECRET: 'sec-efgh',
    }).credentials('bybit'))!;
    for (const text of [String(c), JSON.stringify(c), inspect(c), `${c}`, JSON.stringify({ c })]) {
      expect(text).not.toContain('key-abcd');
      expect(text).not.toContain('sec-efgh');
    }
  });
});

describe('SecretRedactor', () => {
  it('masks secrets, signatures (raw and percent-encoded) and credential query parameters', () => {
    const r = new SecretRedactor();
    r.addSecret('my-secret-value');
    r.addSignature('ab+c/d==');
    const line = 'GET /api?symbol=X&signature=ffff secret my-secret-value sig ab+c/d== enc ab%2Bc%2Fd%3D%3D';
    const out = r.redact(line);
    expect(out).not.toContain('my-secret-value');
    expect(out).not.toContain('ab+c/d==');
    expect(out).not.toContain('ab%2Bc%2Fd%3D%3D');
    expect(out).not.toContain('ffff');
  });
});
