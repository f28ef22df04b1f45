/**
 * Our Binance spot adapter as an OrderClient: `connectBinance` (server clock, limiter, signer, user
 * stream) against the simulator; an order's round trip is `venue.submit()` → the kernel-side
 * `accepted` report (REST answer or stream NEW, whichever comes first).
 */
import type { Instrument } from '../../core/market/instrument.ts';
import { type BinanceConnection, connectBinance } from '../../fargate/execution/binance/connect-binance.ts';
import { makeCredentials } from '../../fargate/execution/credentials.ts';
import type { OrderClient, RestingOrder } from './order-client.ts';
import { acceptedReports, checkedRestingOrders } from './resting-orders.ts';

export interface BinanceAdapterClient extends OrderClient {
  readonly connection: BinanceConnection;
  close(): Promise<void>;
}

export async function binanceAdapterClient(o: {
  restUrl: string;
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
  instrument: Instrument;
  order: RestingOrder;
  /** Orders this client will send (built and checked up front). */
  count: number;
  fetch?: typeof fetch;
}): Promise<BinanceAdapterClient> {
  const connection = await connectBinance({
    exchange: 'binance',
    restUrl: o.restUrl,
    wsUrl: o.wsUrl,
    credentials: makeCredentials({ exchange: 'binance', apiKey: o.apiKey, apiSecret: o.apiSecret }),
    instruments: [o.instrument],
    // The bench sends more than a minute's weight allowance; the limiter still runs on every order.
    weightLimit: 1e9,
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  const reports = acceptedReports('adapter');
  connection.venue.connect(reports.sink);
  const orders = checkedRestingOrders(o.instrument, o.order, o.count, 'a');
  return {
    name: 'adapter',
    connection,
    submit(i) {
      const order = orders.orders[i];
      if (!order) throw new Error(`adapter client built for ${o.count} orders, asked for order ${i}`);
      const acked = reports.waitFor(order.request.id);
      connection.venue.submit(order, orders.clientOrderIds[i]!, 0);
      return acked;
    },
    close: () => connection.close(),
  };
}
