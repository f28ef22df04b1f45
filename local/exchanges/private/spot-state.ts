/**
 * The `GET /sim/state` answer of the spot simulators whose wire is not Binance's (Coinbase, KuCoin,
 * Kraken): per API key, its open orders and fills in the venue's own wire form, and its balances as
 * exact decimal strings.
 */
import { formatAmount, type SimFill, type SimOrder } from './sim-ledger.ts';
import type { SpotExchange } from './spot-exchange.ts';

export function spotState(
  exchange: SpotExchange,
  orderJson: (o: SimOrder) => unknown,
  fillJson: (f: SimFill) => unknown,
): unknown {
  const accounts: Record<string, unknown> = {};
  for (const [key, l] of exchange.allLedgers()) {
    const balances: Record<string, { free: string; locked: string }> = {};
    for (const [asset, b] of l.balances)
      balances[asset] = { free: formatAmount(b.free), locked: formatAmount(b.locked) };
    accounts[key] = { openOrders: l.openOrders().map(orderJson), fills: l.fills.map(fillJson), balances };
  }
  return { accounts };
}
