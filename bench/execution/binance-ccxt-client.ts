/**
 * ccxt's binance (spot) as an OrderClient: every REST base URL pointed at the simulator, markets
 * loaded from the simulator's /api/v3/exchangeInfo (spot only, no currencies or margin pairs: the
 * simulator serves neither), no time-difference adjustment, no client-side rate limiter (ours is
 * on, but never waits at these rates). A round trip is `await createOrder(...)`.
 */
import ccxt from 'ccxt';
import type { Instrument } from '../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../core/num/format-decimal.ts';
import type { OrderClient, RestingOrder } from './order-client.ts';

export interface CcxtClient extends OrderClient {
  readonly exchange: InstanceType<typeof ccxt.binance>;
}

export async function binanceCcxtClient(o: {
  restUrl: string;
  apiKey: string;
  apiSecret: string;
  instrument: Instrument;
  order: RestingOrder;
  /** Replaces ccxt's transport (the canned-ack CPU measurement); ccxt's own undici client otherwise. */
  fetch?: typeof fetch;
}): Promise<CcxtClient> {
  const exchange = new ccxt.binance({
    apiKey: o.apiKey,
    secret: o.apiSecret,
    enableRateLimit: false,
    options: {
      adjustForTimeDifference: false,
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
    },
  });
  const api = exchange.urls.api as Record<string, string>;
  for (const key of Object.keys(api)) {
    // Keep each base's path (…/api/v3, …/sapi/v1); swap the host for the simulator's.
    api[key] = api[key]!.replace(/^https:\/\/[^/]+/, o.restUrl);
  }
  if (o.fetch) exchange.fetchImplementation = o.fetch;
  // ccxt signs a POST's parameters into the form body; the simulator reads `signature` from the
  // query string only (Binance takes either). Same payload, same signature: move it into the URL.
  const sign = exchange.sign.bind(exchange);
  exchange.sign = (...args: Parameters<typeof sign>) => {
    const signed = sign(...args);
    if (signed.method === 'POST' && typeof signed.body === 'string' && signed.body.includes('signature=')) {
      signed.url = `${signed.url}?${signed.body}`;
      signed.body = undefined;
    }
    return signed;
  };
  await exchange.loadMarkets();
  const symbol = `${o.instrument.base}/${o.instrument.quote}`;
  const market = exchange.markets?.[symbol];
  if (!market) throw new Error(`ccxt found no ${symbol} in the simulator's exchangeInfo`);
  // The simulator's exchangeInfo has no `orderTypes`; ccxt checks the order type against it.
  (market.info as Record<string, unknown>).orderTypes ??= ['LIMIT', 'LIMIT_MAKER', 'MARKET'];
  const amount = Number(formatDecimalTrimmed(o.order.size, o.instrument.sizeScale));
  const price = Number(formatDecimalTrimmed(o.order.price, o.instrument.priceScale));
  const runId = Date.now().toString(36);
  return {
    name: 'ccxt',
    exchange,
    async submit(i) {
      const placed = await exchange.createOrder(symbol, 'limit', 'buy', amount, price, {
        newClientOrderId: `c${runId}${i}`,
      });
      if (placed.id === undefined) throw new Error(`ccxt order ${i}: no order id in the ack`);
    },
  };
}
