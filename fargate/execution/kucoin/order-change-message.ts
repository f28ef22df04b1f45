/**
 * KuCoin private push `/spotMarket/tradeOrdersV2` (subject `orderChange`), typed: frame classes for
 * the connection, and the order change a `message` frame carries. `type` received | open | match |
 * update | filled | canceled; `status` new | open | match | done. A `match` names its `tradeId`
 * (the REST fill's) but no fee, so the adapter reads the fill history when one arrives.
 * Sizes stay text; the adapter parses them at the instrument's scales. docs/venue-order-streams.md.
 */
import type { JsonObject } from '../../../core/venues/wire-guards.ts';
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { StreamFrameKind } from '../private-order-stream.ts';
import { decimalText } from '../wire-decimal.ts';

export const KUCOIN_ORDER_TOPIC = '/spotMarket/tradeOrdersV2';

export interface KucoinOrderChange {
  readonly orderId: string;
  readonly clientOid: string;
  readonly symbol: string;
  readonly type: string;
  readonly status: string;
  /** Executed so far (text). */
  readonly filledSize: string;
  /** The trade of a `match`, '' otherwise. */
  readonly tradeId: string;
}

export function classifyKucoinFrame(frame: JsonObject): StreamFrameKind {
  switch (frame.type) {
    case 'welcome':
      return 'welcome';
    case 'ack':
      return 'subscribed';
    case 'error':
      return 'refused';
    case 'message':
      return frame.topic === KUCOIN_ORDER_TOPIC ? 'data' : 'control';
    default:
      return 'control';
  }
}

/** The order change of a tradeOrdersV2 `message`; undefined when malformed. */
export function parseKucoinOrderChange(frame: JsonObject): KucoinOrderChange | undefined {
  if (frame.type !== 'message' || frame.topic !== KUCOIN_ORDER_TOPIC || frame.subject !== 'orderChange')
    return undefined;
  const d = frame.data;
  if (!isObject(d)) return undefined;
  const { orderId, symbol, type, status } = d;
  if (typeof orderId !== 'string' || orderId === '' || typeof symbol !== 'string') return undefined;
  if (typeof type !== 'string' || typeof status !== 'string') return undefined;
  const filledSize = d.filledSize === undefined ? '0' : decimalText(d.filledSize);
  if (filledSize === undefined) return undefined;
  const tradeId = typeof d.tradeId === 'string' ? d.tradeId : '';
  if (type === 'match' && tradeId === '') return undefined;
  return {
    orderId,
    clientOid: typeof d.clientOid === 'string' ? d.clientOid : '',
    symbol,
    type,
    status,
    filledSize,
    tradeId,
  };
}
