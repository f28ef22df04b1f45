/**
 * Why an order (or an amend/cancel) was refused, typed so reports can group them. Pre-trade checks
 * (before the order leaves us) and the exchange (simulated or real) share the vocabulary.
 */
export const REJECT_REASONS = [
  'invalid_price', // not a positive integer number of price units
  'invalid_size', // not a positive integer number of size units
  'tick', // price not a multiple of the instrument's tick
  'lot', // size not a multiple of the instrument's lot
  'min_size', // below the instrument's minimum order size
  'min_notional', // price × size below the instrument's minimum notional
  'insufficient_margin', // exposure after the order would exceed equity × max leverage
  'unknown_instrument',
  'book_not_trusted', // the market-data book the order is priced from is not 'trusted' (stale, resyncing, crossed)
  'post_only_cross', // a post-only order that would take liquidity on arrival
  'no_liquidity', // a market order met an empty book
  'latency', // the exchange refused it for technical reasons (negative latency in the model)
  'venue_rejected', // a real venue refused it for a reason with no closer name here (a bad parameter, too many open orders, a market in cancel-only mode); the venue's code and message are logged
  'unknown_order', // cancel/amend of an order the exchange no longer has (filled or canceled)
  'amend_too_small', // an amend to a size at or below what is already filled
  'max_position', // the worst-case position (every order on that side filled) would exceed the limit
  'max_order_size', // one order larger than the per-order limit (tighter for market orders)
  'order_rate', // more orders per second or per minute than the internal rate limit allows
  'drawdown', // the rolling drawdown is past its limit: only orders that shrink the position pass
  'daily_loss', // the day's loss is past its limit: only orders that shrink the position pass
  'fat_finger', // a limit price farther from mid than the fat-finger limit
  'concentration', // one instrument or correlated group would hold too large a share of gross exposure
  'trading_halted', // the circuit breaker or kill switch halted trading
  'reducing_only', // trading is REDUCING: only orders that shrink |position| pass
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];
