/**
 * API credentials for order entry, only from the environment or a secrets port. A `SecretsProvider`
 * hides where they live (environment here; a Secrets Manager adapter plugs in behind the same
 * interface). Credentials objects print as `[credentials <exchange>]` — never the key or the secret —
 * so a stray log of the object cannot leak them.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';

export interface VenueCredentials {
  readonly exchange: ExchangeId;
  readonly apiKey: string;
  /** HMAC secret (Binance HMAC keys; every other venue's secret). */
  readonly apiSecret: string;
  /** KuCoin passphrase. */
  readonly passphrase?: string;
  /** Binance Ed25519 private key, PKCS#8 PEM (when set, requests are signed with Ed25519). */
  readonly ed25519PrivateKeyPem?: string;
}

export interface SecretsProvider {
  /** The credentials of one venue, undefined when none are configured. */
  credentials(exchange: ExchangeId): Promise<VenueCredentials | undefined>;
}

/** Environment variable prefix per exchange: `<PREFIX>_API_KEY`, `_API_SECRET`, `_API_PASSPHRASE`, `_ED25519_KEY`. */
export const ENV_PREFIX: Record<ExchangeId, string> = {
  binance: 'BINANCE',
  'binance-futures': 'BINANCE_FUTURES',
  bybit: 'BYBIT',
  coinbase: 'COINBASE',
  kraken: 'KRAKEN',
  kucoin: 'KUCOIN',
};

/** Builds a credentials object whose string, JSON and inspect forms hide every secret. */
export function makeCredentials(fields: VenueCredentials): VenueCredentials {
  const label = `[credentials ${fields.exchange}]`;
  const out = { ...fields };
  Object.defineProperties(out, {
    toString: { value: () => label, enumerable: false },
    toJSON: { value: () => label, enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => label, enumerable: false },
  });
  return Object.freeze(out);
}

/**
 * Reads `<PREFIX>_API_KEY` / `_API_SECRET` (and `_API_PASSPHRASE`, `_ED25519_KEY`) from `env`.
 * USD-M falls back to the spot variables: one Binance key usually trades both markets.
 */
export class EnvSecretsProvider implements SecretsProvider {
  constructor(private readonly env: Readonly<Record<string, string | undefined>> = process.env) {}

  async credentials(exchange: ExchangeId): Promise<VenueCredentials | undefined> {
    return (
      this.read(exchange, ENV_PREFIX[exchange]) ??
      (exchange === 'binance-futures' ? this.read(exchange, 'BINANCE') : undefined)
    );
  }

  private read(exchange: ExchangeId, prefix: string): VenueCredentials | undefined {
    const apiKey = this.env[`${prefix}_API_KEY`];
    const apiSecret = this.env[`${prefix}_API_SECRET`] ?? '';
    const ed25519 = this.env[`${prefix}_ED25519_KEY`];
    if (!apiKey || (!apiSecret && !ed25519)) return undefined;
    const passphrase = this.env[`${prefix}_API_PASSPHRASE`];
    return makeCredentials({
      exchange,
      apiKey,
      apiSecret,
      ...(passphrase ? { passphrase } : {}),
      ...(ed25519 ? { ed25519PrivateKeyPem: ed25519 } : {}),
    });
  }
}
