/**
 * Bybit v5 trades every product through the same endpoints, told apart by `category`. The adapter
 * handles `linear` (USDT perpetuals) and `spot`; an instrument's kind decides which it is.
 */
import type { Instrument } from '../../../core/market/instrument.ts';

export type BybitCategory = 'linear' | 'spot';

export function categoryOf(instrument: Instrument): BybitCategory {
  return instrument.kind === 'spot' ? 'spot' : 'linear';
}

/** The product name `POST /v5/order/disconnected-cancel-all` and the `dcp.*` topics use. */
export function dcpProductOf(category: BybitCategory): { product: 'DERIVATIVES' | 'SPOT'; topic: string } {
  return category === 'spot'
    ? { product: 'SPOT', topic: 'dcp.spot' }
    : { product: 'DERIVATIVES', topic: 'dcp.future' };
}
