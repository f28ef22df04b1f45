/**
 * Test support: BacktestResults made by hand-rolled, seeded simulation — a random-walk mid, a toy
 * market maker quoting around it (some orders rejected, some canceled, some filled, a few taker
 * orders), FIFO round trips and an equity series sampled at a fixed interval that is consistent
 * with the fills (cash + position × mid). Not a model of anything: a realistic SHAPE of data for
 * analytics and report tests.
 */

import type {
  BacktestResult,
  EquityPoint,
  FillRecord,
  OrderRecord,
  RoundTrip,
} from '../../../../core/backtest/result.ts';
import type { Side } from '../../../../core/market/events.ts';
import { seededRandom } from '../../../../core/sim/random.ts';

export interface RandomResultOptions {
  readonly seed?: number;
  readonly points?: number;
  readonly intervalUs?: number;
  readonly startTs?: number;
  readonly initialCapital?: number;
  readonly startMid?: number;
  /** Per-step probability of a new order. */
  readonly orderRate?: number;
  /** Drift per step of the mid in relative terms (0 = none). */
  readonly drift?: number;
  readonly symbol?: string;
}

interface Lot {
  side: Side;
  ts: number;
  price: number;
  size: number;
  feePerUnit: number;
}

export function randomResult(options: RandomResultOptions = {}): BacktestResult {
  const seed = options.seed ?? 7;
  const rng = seededRandom(seed);
  const points = options.points ?? 3600;
  const intervalUs = options.intervalUs ?? 1_000_000;
  const startTs = options.startTs ?? Date.UTC(2024, 4, 1, 12, 0, 0) * 1000;
  const initialCapital = options.initialCapital ?? 10_000;
  const symbol = options.symbol ?? 'BTC/USDT';
  const orderRate = options.orderRate ?? 0.08;
  const drift = options.drift ?? 0;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

  let mid = options.startMid ?? 60_000;
  let cash = initialCapital;
  let position = 0;
  let funding = 0;
  const lots: Lot[] = [];
  const orders: OrderRecord[] = [];
  const fills: FillRecord[] = [];
  const roundTrips: RoundTrip[] = [];
  const equity: EquityPoint[] = [];
  let nextId = 1;

  const fill = (
    ts: number,
    orderId: string,
    side: Side,
    price: number,
    size: number,
    liquidity: 'maker' | 'taker',
  ) => {
    const feeRate = liquidity === 'maker' ? -0.0001 : 0.0004;
    const fee = price * size * feeRate;
    fills.push({ ts, exchange: 'binance', symbol, orderId, side, price, size, fee, liquidity });
    cash -= (side === 'buy' ? 1 : -1) * price * size + fee;
    position += side === 'buy' ? size : -size;
    // FIFO matching against open lots of the other side.
    let left = size;
    while (left > 1e-12 && lots.length > 0 && lots[0]!.side !== side) {
      const lot = lots[0]!;
      const q = Math.min(lot.size, left);
      const dir = lot.side === 'buy' ? 1 : -1;
      const pnl = dir * (price - lot.price) * q - lot.feePerUnit * q - (fee / size) * q;
      roundTrips.push({
        symbol,
        side: lot.side,
        entryTs: lot.ts,
        exitTs: ts,
        size: q,
        entryPrice: lot.price,
        exitPrice: price,
        pnl,
      });
      lot.size -= q;
      left -= q;
      if (lot.size <= 1e-12) lots.shift();
    }
    if (left > 1e-12) lots.push({ side, ts, price, size: left, feePerUnit: fee / size });
  };

  for (let i = 0; i < points; i++) {
    const ts = startTs + i * intervalUs;
    mid = Math.round(mid * Math.exp(drift + 0.0004 * gauss()) * 100) / 100;
    if (i > 0 && rng() < orderRate) {
      const orderId = `o-${nextId++}`;
      // Lean against the position so round trips close.
      const side: Side = position > 0.015 ? 'sell' : position < -0.015 ? 'buy' : rng() < 0.5 ? 'buy' : 'sell';
      const size = Math.round((0.001 + rng() * 0.009) * 1000) / 1000;
      const roll = rng();
      const taker = roll < 0.1;
      const offset = ((side === 'buy' ? -1 : 1) * Math.round(mid * 0.0001 * 100)) / 100;
      const price = taker ? null : Math.round((mid + offset) * 100) / 100;
      const finalTs = ts + Math.floor(rng() * 5 * intervalUs);
      let state: OrderRecord['state'];
      let filledSize = 0;
      if (roll > 0.97) state = 'rejected';
      else if (taker) {
        state = 'filled';
        filledSize = size;
        fill(ts, orderId, side, mid + (side === 'buy' ? 0.5 : -0.5), size, 'taker');
      } else if (roll < 0.6) {
        state = 'filled';
        filledSize = size;
        fill(ts, orderId, side, price!, size, 'maker');
      } else if (roll < 0.7) {
        state = 'canceled';
        filledSize = Math.round(size * 500) / 1000;
        fill(ts, orderId, side, price!, filledSize, 'maker');
      } else state = i > points - 5 ? 'open' : 'canceled';
      orders.push({
        orderId,
        exchange: 'binance',
        symbol,
        side,
        type: taker ? 'market' : 'limit',
        price,
        size,
        filledSize,
        submittedTs: ts,
        finalTs: state === 'rejected' ? ts : finalTs,
        state,
        ...(state === 'rejected' ? { rejectReason: 'min_notional' } : {}),
      });
    }
    if (i > 0 && i % 1000 === 0) {
      const paid = position * mid * 0.0001;
      funding += paid;
      cash -= paid;
    }
    equity.push({ ts, equity: cash + position * mid, position, mid });
  }
  return {
    runId: `random-${seed}`,
    strategy: 'market-maker',
    params: { spread_bps: 1, order_size: 0.005, num_levels: 1 },
    scenario: 'balanced',
    seed,
    symbols: [symbol],
    startTs,
    endTs: startTs + (points - 1) * intervalUs,
    initialCapital,
    events: points * 37,
    orders,
    fills,
    roundTrips,
    equity,
    funding,
  };
}
