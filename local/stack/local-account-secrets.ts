/**
 * Credentials for order entry on the local simulators: the test keys of config/local-accounts.json
 * (local simulator test keys only — the simulators accept nothing else), behind the same secrets
 * port the real venues' keys come through.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import {
  makeCredentials,
  type SecretsProvider,
  type VenueCredentials,
} from '../../fargate/execution/credentials.ts';
import { type LocalAccounts, loadLocalAccounts } from '../exchanges/private/local-accounts.ts';

export class LocalAccountSecrets implements SecretsProvider {
  constructor(private readonly accounts: LocalAccounts = loadLocalAccounts()) {}

  async credentials(exchange: ExchangeId): Promise<VenueCredentials | undefined> {
    const a = this.accounts[exchange];
    if (!a) return undefined;
    return makeCredentials({
      exchange,
      apiKey: a.apiKey,
      apiSecret: a.apiSecret,
      ...(a.passphrase ? { passphrase: a.passphrase } : {}),
    });
  }
}
