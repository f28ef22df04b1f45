/**
 * Our Binance spot adapter as an OrderClient: `connectBinance` (server clock, limiter, signer, user
 * stream) against the simulator; an order's round trip is `venue.submit()` → the kernel-side
 * `accepted` report (REST answer or stream NEW, whichever comes first). Orders are risk-checked
 * before the clock starts (the gate is not the adapter's cost).
 */
import type { Instrument } from '../../core/market/instrument.ts';
import { type CheckedOrder, checkOrder } from '../../core/risk/order-check.ts';
import type { ExecutionReports } from '../../core/trading/execution-venue.ts';
import { type BinanceConnection, connectBinance } from '../../fargate/execution/binance/connect-binance.ts';
import { makeCredentials } from '../../fargate/execution/credentials.ts';
import type { OrderClient, RestingOrder } from './order-client.ts';

const NO_MARGIN_LIMIT = { maxLeverage: Number.POSITIVE_INFINITY };
const FLAT_ACCOUNT = { equity: () => 0, position: () => 0, openSize: () => 0 };

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
  const waiting = new Map<number, () => void>();
  const failed = (id: number, why: string) => {
    throw new Error(`adapter order ${id}: ${why}`);
  };
  const sink: ExecutionReports = {
    accepted: (id) => {
      const done = waiting.get(id);
      waiting.delete(id);
      done?.();
    },
    filled: () => {},
    canceled: () => {},
    rejected: (id, reason) => failed(id, `rejected ${reason}`),
    amended: () => {},
    requestRejected: (id, reason) => failed(id, `request rejected ${reason}`),
    expired: () => {},
  };
  connection.venue.connect(sink);
  const orders: CheckedOrder[] = [];
  const ids: string[] = [];
  const runId = Date.now().toString(36);
  for (let i = 0; i < o.count; i++) {
    const request = {
      id: i + 1,
      instrument: 0,
      side: 'buy' as const,
      type: 'limit' as const,
      price: o.order.price,
      size: o.order.size,
      postOnly: false,
      ioc: false,
    };
    const checked = checkOrder(request, o.instrument, FLAT_ACCOUNT, NO_MARGIN_LIMIT);
    if (typeof checked === 'string') throw new Error(`bench order refused by the checks: ${checked}`);
    orders.push(checked);
    ids.push(`a${runId}${i}`);
  }
  return {
    name: 'adapter',
    connection,
    submit(i) {
      const order = orders[i];
      if (!order) throw new Error(`adapter client built for ${o.count} orders, asked for order ${i}`);
      return new Promise<void>((resolve) => {
        waiting.set(order.request.id, resolve);
        connection.venue.submit(order, ids[i]!, 0);
      });
    },
    close: () => connection.close(),
  };
}
