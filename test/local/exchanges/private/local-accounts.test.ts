import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../../config/read-config-file.ts';
import { EXCHANGES } from '../../../../core/market/exchange.ts';
import { loadLocalAccounts, parseLocalAccounts } from '../../../../local/exchanges/private/local-accounts.ts';

describe('config/local-accounts.json', () => {
  it('has a test account for every exchange id and says it holds local simulator keys only', () => {
    const accounts = loadLocalAccounts();
    expect(Object.keys(accounts).sort()).toEqual([...EXCHANGES].sort());
    expect((readConfigFile('local-accounts.json') as { _comment: string })._comment).toMatch(
      /LOCAL SIMULATOR TEST KEYS ONLY/,
    );
    expect(accounts.kucoin.passphrase).toBeDefined();
    expect(new Set(EXCHANGES.map((e) => accounts[e].apiKey)).size).toBe(EXCHANGES.length);
  });

  it('refuses unknown fields and bad balances, listing every problem', () => {
    const json = readConfigFile('local-accounts.json') as Record<string, Record<string, unknown>>;
    const bad = { ...json, binance: { ...json.binance, balances: { USDT: '-1' }, extra: 1 } };
    expect(() => parseLocalAccounts(bad)).toThrow(
      /binance\.balances\.USDT[\s\S]*extra|extra[\s\S]*binance\.balances\.USDT/,
    );
  });
});
