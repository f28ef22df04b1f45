/**
 * The venues the reconcile function asks, built from their Secrets Manager credentials (the same
 * secrets the task's container reads; JSON with API_KEY, API_SECRET or ED25519_KEY). Only a REST
 * adapter is made — no user stream, no dead-man switch: the function reads, it never trades.
 * Binance USD-M is the venue with positions and an adapter today; other venues join here.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';
import { USD_M } from '../../fargate/execution/binance/binance-market.ts';
import { BinanceRest } from '../../fargate/execution/binance/binance-rest.ts';
import { BinanceVenue } from '../../fargate/execution/binance/binance-venue.ts';
import { ed25519Signer, hmacSigner } from '../../fargate/execution/binance/sign.ts';
import { makeCredentials, type VenueCredentials } from '../../fargate/execution/credentials.ts';
import { RateLimitGovernor } from '../../fargate/execution/rate-limit-governor.ts';
import { SecretRedactor } from '../../fargate/execution/redact-secrets.ts';
import { ServerClock, systemWallClock } from '../../fargate/execution/server-clock.ts';
import { WeightedLimiter } from '../../fargate/rate-limit/weighted-limiter.ts';
import type { VenueAccount } from './reconcile-positions.ts';

export const BINANCE_FUTURES_REST_URL = 'https://fapi.binance.com';

/** The credentials of a venue secret's JSON; undefined while the placeholders are still empty. */
export function credentialsFromSecret(exchange: ExchangeId, secret: string): VenueCredentials | undefined {
  const fields = JSON.parse(secret) as Record<string, unknown>;
  const text = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : '');
  const apiKey = text('API_KEY');
  const apiSecret = text('API_SECRET');
  const ed25519 = text('ED25519_KEY');
  if (!apiKey || (!apiSecret && !ed25519)) return undefined;
  return makeCredentials({
    exchange,
    apiKey,
    apiSecret,
    ...(ed25519 ? { ed25519PrivateKeyPem: ed25519 } : {}),
  });
}

export async function binanceFuturesAccount(
  credentials: VenueCredentials,
  instruments: readonly Instrument[],
  restUrl = BINANCE_FUTURES_REST_URL,
): Promise<VenueAccount> {
  const clock = systemClock();
  const redactor = new SecretRedactor();
  redactor.addSecret(credentials.apiKey);
  redactor.addSecret(credentials.apiSecret);
  redactor.addSecret(credentials.ed25519PrivateKeyPem);
  const limiter = new WeightedLimiter({ limit: 2400, windowMs: 60_000, burstFraction: 0.5 }, clock);
  const rest = new BinanceRest({
    baseUrl: restUrl,
    timePath: USD_M.timePath,
    apiKey: credentials.apiKey,
    signer: credentials.ed25519PrivateKeyPem
      ? ed25519Signer(credentials.ed25519PrivateKeyPem)
      : hmacSigner(credentials.apiSecret),
    clock: new ServerClock(systemWallClock),
    limiter,
    governor: new RateLimitGovernor(limiter, [
      { header: 'x-mbx-used-weight-1m', limit: 2400, windowMs: 60_000 },
    ]),
    redactor,
  });
  await rest.syncTime();
  const account = new BinanceVenue({
    exchange: 'binance-futures',
    market: USD_M,
    rest,
    instruments,
    nowMicros: () => clock.nowMicros(),
  });
  return { exchange: 'binance-futures', instruments, account };
}
