/**
 * The simulators' test accounts (config/local-accounts.json): per exchange id one API key, secret,
 * optional passphrase and starting balances (decimal strings). Validated whole with zod; these are
 * local simulator keys only.
 */
import { z } from 'zod';
import { readConfigFile } from '../../../config/read-config-file.ts';
import { EXCHANGES, type ExchangeId } from '../../../core/market/exchange.ts';

const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal string');

const Account = z.strictObject({
  apiKey: z.string().min(8),
  apiSecret: z.string().min(8),
  passphrase: z.string().min(1).optional(),
  balances: z.record(z.string().min(1), Decimal),
});

const AccountsFile = z
  .strictObject({ _comment: z.string() })
  .extend(Object.fromEntries(EXCHANGES.map((e) => [e, Account])) as Record<ExchangeId, typeof Account>);

export type LocalAccount = z.output<typeof Account>;
export type LocalAccounts = Record<ExchangeId, LocalAccount>;

export function parseLocalAccounts(json: unknown): LocalAccounts {
  const parsed = AccountsFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`local-accounts.json is invalid:\n  ${problems.join('\n  ')}`);
  }
  const { _comment, ...accounts } = parsed.data;
  return accounts;
}

export function loadLocalAccounts(): LocalAccounts {
  return parseLocalAccounts(readConfigFile('local-accounts.json'));
}
