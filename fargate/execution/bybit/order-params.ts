/**
 * A checked order → the `POST /v5/order/create` body: integer units formatted exactly with the
 * instrument's scales, `timeInForce` PostOnly / IOC / GTC, `reduceOnly` on linear only (spot has no
 * such flag), and on spot market orders `marketUnit: baseCoin` — otherwise a spot market buy's `qty`
 * is read as quote value.
 */
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import type { OrderRequest } from '../../../core/risk/order-check.ts';
import type { BybitParams } from './bybit-rest.ts';
import { categoryOf } from './category.ts';

export function bybitOrderParams(
  r: OrderRequest,
  instrument: Instrument,
  orderLinkId: string,
  reduceOnly = false,
): BybitParams {
  const category = categoryOf(instrument);
  const p: BybitParams = {
    category,
    symbol: instrument.venueSymbol,
    side: r.side === 'buy' ? 'Buy' : 'Sell',
    orderType: r.type === 'market' ? 'Market' : 'Limit',
    qty: formatDecimalTrimmed(r.size, instrument.sizeScale),
    orderLinkId,
  };
  if (r.type === 'market') {
    if (category === 'spot') p.marketUnit = 'baseCoin';
  } else {
    p.price = formatDecimalTrimmed(r.price, instrument.priceScale);
    p.timeInForce = r.postOnly ? 'PostOnly' : r.ioc ? 'IOC' : 'GTC';
  }
  if (reduceOnly && category === 'linear') p.reduceOnly = true;
  return p;
}
