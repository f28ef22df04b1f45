/**
 * The simulator's Bybit v5 wire forms of one order and one execution: the same keys on the private
 * stream (`order` / `execution` topics) and in REST lists (`/v5/order/realtime`,
 * `/v5/execution/list`). Ids are decimal strings (Bybit spot's form; linear uses UUIDs — any string
 * is an id to a client). Times are epoch-ms strings, as Bybit writes them.
 */
import type { Instrument } from '../../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../../core/num/format-decimal.ts';
import { formatAmount, type SimFill, type SimOrder } from '../sim-ledger.ts';
import { averagePrice } from '../spot-exchange.ts';
import type { BybitCategory } from './bybit-refusals.ts';

/** What Bybit says about an order beyond the ledger's record. */
export interface BybitOrderMeta {
  readonly category: BybitCategory;
  /** `EC_NoError`, `EC_PostOnlyWillTakeLiquidity`, `EC_NoImmediateQtyToFill`, `EC_PerCancelRequest`. */
  rejectReason: string;
  /** `UNKNOWN`, `CancelByUser`, `CancelByDCP`. */
  cancelType: string;
}

export function bybitStatus(o: SimOrder, meta: BybitOrderMeta): string {
  switch (o.status) {
    case 'NEW':
      return 'New';
    case 'PARTIALLY_FILLED':
      return 'PartiallyFilled';
    case 'FILLED':
      return 'Filled';
    case 'REJECTED':
      return 'Rejected';
    default:
      return meta.category === 'spot' && o.filled > 0 ? 'PartiallyFilledCanceled' : 'Cancelled';
  }
}

export function orderRecord(o: SimOrder, meta: BybitOrderMeta, inst: Instrument): Record<string, unknown> {
  const qty = (u: number): string => formatDecimalTrimmed(u, inst.sizeScale);
  const px = (u: number): string => (Number.isNaN(u) ? '0' : formatDecimalTrimmed(u, inst.priceScale));
  const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
  return {
    category: meta.category,
    symbol: o.symbol,
    orderId: String(o.orderId),
    orderLinkId: o.clientOrderId,
    side: o.side === 'BUY' ? 'Buy' : 'Sell',
    positionIdx: 0,
    orderStatus: bybitStatus(o, meta),
    cancelType: meta.cancelType,
    rejectReason: meta.rejectReason,
    orderType: o.type,
    timeInForce: o.timeInForce,
    price: px(o.price),
    qty: qty(o.size),
    avgPrice: o.filled > 0 ? px(averagePrice(o, inst)) : '',
    leavesQty: qty(open ? o.size - o.filled : 0),
    cumExecQty: qty(o.filled),
    cumExecValue: formatAmount(o.cumQuote),
    reduceOnly: o.reduceOnly,
    stopOrderType: '',
    smpType: 'None',
    createdTime: String(o.time),
    updatedTime: String(o.updateTime),
  };
}

export function executionRecord(
  f: SimFill,
  o: SimOrder,
  meta: BybitOrderMeta,
  inst: Instrument,
): Record<string, unknown> {
  return {
    category: meta.category,
    symbol: f.symbol,
    execId: String(f.id),
    orderId: String(f.orderId),
    orderLinkId: o.clientOrderId,
    side: f.side === 'BUY' ? 'Buy' : 'Sell',
    execType: 'Trade',
    execPrice: formatDecimalTrimmed(f.price, inst.priceScale),
    execQty: formatDecimalTrimmed(f.size, inst.sizeScale),
    execValue: formatAmount(f.quote),
    execFee: formatAmount(f.commission),
    feeCurrency: f.commissionAsset,
    isMaker: f.maker,
    orderType: o.type,
    orderPrice: Number.isNaN(o.price) ? '0' : formatDecimalTrimmed(o.price, inst.priceScale),
    orderQty: formatDecimalTrimmed(o.size, inst.sizeScale),
    execTime: String(f.time),
    seq: f.id,
  };
}
