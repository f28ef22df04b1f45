/**
 * The one list of order-entry adapters: per exchange id, how to connect its adapter (signing,
 * clock sync, private stream, dead-man switch — each venue's connect-*.ts) and where its endpoints
 * are on the local simulators. An exchange missing here trades on the paper venue only.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import type { ExecutionReports, ExecutionVenue } from '../../core/trading/execution-venue.ts';
import type { AccountQuery } from './account-query.ts';
import { connectBinance } from './binance/connect-binance.ts';
import { connectBybit } from './bybit/connect-bybit.ts';
import { connectCoinbase } from './coinbase/connect-coinbase.ts';
import type { VenueCredentials } from './credentials.ts';
import { connectKraken } from './kraken/connect-kraken.ts';
import { connectKucoin } from './kucoin/connect-kucoin.ts';

export interface VenueEndpoints {
  readonly restUrl: string;
  readonly wsUrl: string;
}

export interface VenueConnectOptions extends VenueEndpoints {
  readonly credentials: VenueCredentials;
  /** The kernel's whole instrument list (orders carry its indices); the adapter trades its own exchange's. */
  readonly instruments: readonly Instrument[];
  readonly log?: (line: string) => void;
}

export type OrderEntryVenue = ExecutionVenue & AccountQuery & { connect(reports: ExecutionReports): void };

export interface ConnectedVenue {
  readonly venue: OrderEntryVenue;
  /** The venue reports positions (derivatives): reconciliation compares them. */
  readonly hasPositions: boolean;
  close(): Promise<void>;
}

export interface VenueConnector {
  connect(options: VenueConnectOptions): Promise<ConnectedVenue>;
  /** The endpoints on a local simulator serving at these URLs. */
  simulator(urls: { readonly rest: string; readonly ws: string }): VenueEndpoints;
}

const binanceConnector = (exchange: 'binance' | 'binance-futures'): VenueConnector => ({
  connect: async (o) => {
    const c = await connectBinance({
      exchange,
      restUrl: o.restUrl,
      wsUrl: o.wsUrl,
      credentials: o.credentials,
      instruments: o.instruments,
      ...(o.log ? { log: o.log } : {}),
    });
    return { venue: c.venue, hasPositions: exchange === 'binance-futures', close: () => c.close() };
  },
  // Spot order streams are on the WebSocket API; USD-M's user stream hangs off the stream base.
  simulator: (urls) => ({
    restUrl: urls.rest,
    wsUrl: exchange === 'binance' ? `${urls.ws}/ws-api/v3` : urls.ws,
  }),
});

/**
 * Spot venues whose orders go by REST and whose fills come by a private order stream (REST polled
 * as fallback): `wsUrl` is that stream (KuCoin's comes from its bullet-private answer instead).
 */
const restWithStream = (
  connect: (o: VenueConnectOptions) => Promise<{ venue: OrderEntryVenue; close(): Promise<void> }>,
  streamPath: string,
): VenueConnector => ({
  connect: async (o) => {
    const c = await connect(o);
    return { venue: c.venue, hasPositions: false, close: () => c.close() };
  },
  simulator: (urls) => ({ restUrl: urls.rest, wsUrl: `${urls.ws}${streamPath}` }),
});

const common = (o: VenueConnectOptions) => ({
  restUrl: o.restUrl,
  credentials: o.credentials,
  instruments: o.instruments,
  ...(o.log ? { log: o.log } : {}),
});

export const VENUE_CONNECTORS: Partial<Record<ExchangeId, VenueConnector>> = {
  binance: binanceConnector('binance'),
  'binance-futures': binanceConnector('binance-futures'),
  bybit: {
    connect: async (o) => {
      const c = await connectBybit({ ...common(o), privateWsUrl: o.wsUrl });
      return { venue: c.venue, hasPositions: true, close: () => c.close() };
    },
    // The simulator serves the private WebSocket beside the public ones.
    simulator: (urls) => ({
      restUrl: urls.rest,
      wsUrl: `${urls.ws.replace(/\/v5\/public\/\w+$/, '')}/v5/private`,
    }),
  },
  kraken: restWithStream((o) => connectKraken({ ...common(o), privateWsUrl: o.wsUrl }), '/v2'),
  kucoin: restWithStream((o) => connectKucoin(common(o)), ''),
  coinbase: restWithStream((o) => connectCoinbase({ ...common(o), userWsUrl: o.wsUrl }), '/ws/user'),
};
