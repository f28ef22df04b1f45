/**
 * ccxt's bybit (v5, linear) as an OrderClient: every REST base URL pointed at the simulator,
 * markets loaded from the simulator's /v5/market/instruments-info (linear only; no coin list, which
 * the simulator does not serve), the account declared unified up front (ccxt would otherwise ask
 * /v5/user/query-api and /v5/account/info before the first order, which a real client caches too),
 * no client-side rate limiter. A round trip is `await createOrder(...)`.
 */
import ccxt from 'ccxt';
import type { Instrument } from '../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../core/num/format-decimal.ts';
import type { OrderClient, RestingOrder } from './order-client.ts';

export async function bybitCcxtClient(o: {
  restUrl: string;
  apiKey: string;
  apiSecret: string;
  instrument: Instrument;
  order: RestingOrder;
  fetch?: typeof fetch;
}): Promise<OrderClient> {
  const exchange = new ccxt.bybit({
    apiKey: o.apiKey,
    secret: o.apiSecret,
    enableRateLimit: false,
    options: {
      adjustForTimeDifference: false,
      fetchMarkets: { types: ['linear'] },
      loadAllOptions: false,
      enableUnifiedMargin: false,
      enableUnifiedAccount: true,
    },
  });
  const api = exchange.urls.api as Record<string, string>;
  for (const key of Object.keys(api)) api[key] = api[key]!.replace(/^https:\/\/[^/]+/, o.restUrl);
  if (o.fetch) exchange.fetchImplementation = o.fetch;
  exchange.fetchCurrencies = async () => ({});
  await exchange.loadMarkets();
  const symbol = `${o.instrument.base}/${o.instrument.quote}:${o.instrument.quote}`;
  if (!exchange.markets?.[symbol]) throw new Error(`ccxt found no ${symbol} in the simulator's instruments`);
  const amount = Number(formatDecimalTrimmed(o.order.size, o.instrument.sizeScale));
  const price = Number(formatDecimalTrimmed(o.order.price, o.instrument.priceScale));
  const runId = Date.now().toString(36);
  return {
    name: 'ccxt',
    async submit(i) {
      const placed = await exchange.createOrder(symbol, 'limit', 'buy', amount, price, {
        orderLinkId: `c${runId}${i}`,
      });
      if (placed.id === undefined) throw new Error(`ccxt order ${i}: no order id in the ack`);
    },
  };
}
