/**
 * Our Bybit v5 adapter as an OrderClient: `connectBybit` (server clock, per-endpoint limiter fed by
 * `X-Bapi-Limit*`, private stream) against the simulator, linear instrument; an order's round trip is
 * `venue.submit()` → the REST answer or the stream's `New` (the `accepted` report), whichever comes
 * first. The dead-man switch is off: it is a timer, not part of an order's path.
 */
import type { Instrument } from '../../core/market/instrument.ts';
import { type BybitConnection, connectBybit } from '../../fargate/execution/bybit/connect-bybit.ts';
import { makeCredentials } from '../../fargate/execution/credentials.ts';
import type { OrderClient, RestingOrder } from './order-client.ts';
import { acceptedReports, checkedRestingOrders } from './resting-orders.ts';

export interface BybitAdapterClient extends OrderClient {
  readonly connection: BybitConnection;
  close(): Promise<void>;
}

export async function bybitAdapterClient(o: {
  restUrl: string;
  privateWsUrl: string;
  apiKey: string;
  apiSecret: string;
  instrument: Instrument;
  order: RestingOrder;
  count: number;
  fetch?: typeof fetch;
}): Promise<BybitAdapterClient> {
  const connection = await connectBybit({
    restUrl: o.restUrl,
    privateWsUrl: o.privateWsUrl,
    credentials: makeCredentials({ exchange: 'bybit', apiKey: o.apiKey, apiSecret: o.apiSecret }),
    instruments: [o.instrument],
    deadManSwitch: false,
    // The bench sends thousands of orders a second; the limiter still runs on every order.
    pathLimits: { '/v5/order/create': 1e9, '/v5/order/cancel-all': 1e9 },
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  const reports = acceptedReports('adapter');
  connection.venue.connect(reports.sink);
  const orders = checkedRestingOrders(o.instrument, o.order, o.count, 'b');
  return {
    name: 'adapter',
    connection,
    submit(i) {
      const order = orders.orders[i];
      if (!order) throw new Error(`adapter client built for ${o.count} orders, asked for order ${i}`);
      const acked = reports.waitFor(order.request.id);
      connection.venue.submit(order, orders.clientOrderIds[i]!, 0);
      // The adapter reports `accepted` from the stream's `New`; the REST answer only settles the
      // request. Either one is the venue's acknowledgement (with a canned answer, only the REST one).
      return Promise.race([acked, connection.venue.settled()]);
    },
    close: () => connection.close(),
  };
}
