import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.ts';
import { deployAccount, loadEnvironments } from '../../config/environments.ts';
import { readConfigFile } from '../../config/read-config-file.ts';

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

function shipped(): Json {
  return structuredClone(readConfigFile('environments.json')) as Json;
}

function problems(json: unknown): readonly string[] {
  try {
    loadEnvironments(json);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config/environments.json', () => {
  it('loads dev, staging and prod in Tokyo with Timestream off everywhere', () => {
    const { region, environments } = loadEnvironments();
    expect(region).toBe('ap-northeast-1');
    expect(Object.keys(environments)).toEqual(['dev', 'staging', 'prod']);
    for (const e of Object.values(environments)) expect(e.timestream).toBe(false);
    expect(environments.dev.streams.mode).toBe('on-demand');
    expect(environments.prod.streams.mode).toBe('provisioned');
  });

  it('reports every problem at once, one line each, naming the setting', () => {
    const json = shipped();
    const dev = json.environments!.dev!;
    dev.archive!.rawTransition = { storageClass: 'STANDARD_IA', afterDays: 7 };
    dev.trading!.memoryMiB = 1000;
    dev.processing!.maxRecordAgeSeconds = 700000;
    dev.processing!.logRetentionDays = 10;
    (dev.streams as Record<string, unknown>).shards = 2;
    const found = problems(json);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^environments\.dev\.archive\.rawTransition\.afterDays: .*STANDARD_IA needs afterDays 30/,
        ),
        expect.stringMatching(
          /^environments\.dev\.trading\.memoryMiB: with cpu 1024, Fargate takes 2048–8192/,
        ),
        expect.stringMatching(/^environments\.dev\.processing\.maxRecordAgeSeconds: /),
        expect.stringMatching(/^environments\.dev\.processing\.logRetentionDays: /),
        'environments.dev.streams.shards: unknown key',
      ]),
    );
  });

  it('refuses a stage missing, a region other than Tokyo and an expiry before the transition', () => {
    const json = shipped();
    delete json.environments!.staging;
    (json as Record<string, unknown>).region = 'us-east-1';
    json.environments!.prod!.archive!.expireAfterDays = 3;
    const found = problems(json);
    expect(found).toContainEqual(expect.stringMatching(/^environments\.staging: missing/));
    expect(found).toContainEqual(expect.stringMatching(/^region: expected ap-northeast-1/));
    expect(found).toContainEqual(
      expect.stringMatching(/^environments\.prod\.archive\.expireAfterDays: must be later/),
    );
  });

  it('takes the account from context, then the environment, then the file, and checks its form', () => {
    const config = loadEnvironments().environments.dev;
    const none = { context: () => undefined, env: {} };
    expect(deployAccount('dev', config, none)).toBeUndefined();
    expect(deployAccount('dev', { ...config, account: '123456789012' }, none)).toBe('123456789012');
    expect(
      deployAccount('dev', config, {
        context: () => undefined,
        env: { TRADEPLANE_ACCOUNT_DEV: '210987654321' },
      }),
    ).toBe('210987654321');
    expect(
      deployAccount('dev', config, {
        context: (k) => (k === 'dev:account' ? 111111111111 : undefined),
        env: { TRADEPLANE_ACCOUNT_DEV: '210987654321' },
      }),
    ).toBe('111111111111');
    expect(() =>
      deployAccount('prod', config, { context: () => undefined, env: { TRADEPLANE_ACCOUNT_PROD: '12345' } }),
    ).toThrow(/environment TRADEPLANE_ACCOUNT_PROD: prod account: expected a 12-digit AWS account id/);
  });
});
