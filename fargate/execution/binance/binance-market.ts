/**
 * What differs between Binance spot and USD-M for order entry: paths, weights and the spelling of
 * post-only (spot `type=LIMIT_MAKER`, USD-M `timeInForce=GTX`). Amend differs in kind (spot
 * cancel-replace, USD-M modify) and is handled by the venue adapter.
 */
export interface BinanceMarket {
  readonly futures: boolean;
  readonly timePath: string;
  readonly orderPath: string;
  readonly openOrdersPath: string;
  readonly cancelAllPath: string;
  readonly tradesPath: string;
  readonly balancePath: string;
  readonly weights: {
    readonly order: number;
    readonly query: number;
    readonly openOrders: number;
    readonly trades: number;
    readonly balance: number;
  };
}

export const SPOT: BinanceMarket = {
  futures: false,
  timePath: '/api/v3/time',
  orderPath: '/api/v3/order',
  openOrdersPath: '/api/v3/openOrders',
  cancelAllPath: '/api/v3/openOrders',
  tradesPath: '/api/v3/myTrades',
  balancePath: '/api/v3/account',
  weights: { order: 1, query: 4, openOrders: 6, trades: 20, balance: 20 },
};

export const USD_M: BinanceMarket = {
  futures: true,
  timePath: '/fapi/v1/time',
  orderPath: '/fapi/v1/order',
  openOrdersPath: '/fapi/v1/openOrders',
  cancelAllPath: '/fapi/v1/allOpenOrders',
  tradesPath: '/fapi/v1/userTrades',
  balancePath: '/fapi/v3/balance',
  weights: { order: 1, query: 1, openOrders: 1, trades: 5, balance: 5 },
};
