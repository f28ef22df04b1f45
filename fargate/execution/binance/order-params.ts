/**
 * A checked order → Binance order parameters: integer units formatted exactly with the instrument's
 * scales; post-only as LIMIT_MAKER (spot) or GTX (USD-M); IOC/GTC; reduce-only on USD-M.
 */
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import type { OrderRequest } from '../../../core/risk/order-check.ts';
import type { Params } from './binance-rest.ts';

export function orderParams(
  r: OrderRequest,
  instrument: Instrument,
  clientOrderId: string,
  futures: boolean,
  reduceOnly = false,
): Params {
  const p: Params = {
    symbol: instrument.venueSymbol,
    side: r.side === 'buy' ? 'BUY' : 'SELL',
    quantity: formatDecimalTrimmed(r.size, instrument.sizeScale),
    newClientOrderId: clientOrderId,
    newOrderRespType: 'RESULT',
  };
  if (r.type === 'market') p.type = 'MARKET';
  else {
    p.price = formatDecimalTrimmed(r.price, instrument.priceScale);
    if (r.postOnly && !futures) p.type = 'LIMIT_MAKER';
    else {
      p.type = 'LIMIT';
      p.timeInForce = r.postOnly ? 'GTX' : r.ioc ? 'IOC' : 'GTC';
    }
  }
  if (futures && reduceOnly) p.reduceOnly = 'true';
  return p;
}
