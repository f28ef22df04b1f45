/** Instruments, params, a scripted account and a manual clock for the risk tests. */
import type { BookTrust, Side } from '../../../../core/market/events.ts';
import { type Instrument, makeInstrument } from '../../../../core/market/instrument.ts';
import type { OrderRequest } from '../../../../core/risk/order-check.ts';
import type { RiskAccount } from '../../../../core/risk/risk-account.ts';
import { RiskGate } from '../../../../core/risk/risk-gate.ts';
import {
  type RiskParams,
  type RiskParamsInput,
  riskParamsSchema,
} from '../../../../core/risk/risk-params.ts';
import { ManualClock } from '../../../../core/time/manual-clock.ts';

/** Spot BTC/USDT: price units 0.01 (tick 1), size units 1e-8, lot 0.00001 (1000 units), min notional 5. */
export const btc = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 8,
  tickSize: 1,
  lotSize: 1000,
  minSize: 1000,
  minNotional: 5,
});

/** ETH/USDT perp: price units 0.01, size units 0.001 (lot 1). */
export const eth = makeInstrument({
  exchange: 'bybit',
  venueSymbol: 'ETHUSDT',
  symbol: 'ETH/USDT:USDT',
  base: 'ETH',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 2,
  sizeScale: 3,
});

/** XRP/USDT perp: price units 0.0001, size units 1 XRP. */
export const xrp = makeInstrument({
  exchange: 'bybit',
  venueSymbol: 'XRPUSDT',
  symbol: 'XRP/USDT:USDT',
  base: 'XRP',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 4,
  sizeScale: 0,
});

export const INSTRUMENTS: readonly Instrument[] = [btc, eth, xrp];

/** 56 000.00 USDT in BTC price units. */
export const BTC_MID = 5_600_000;
/** 0.001 BTC in size units. */
export const MILLI_BTC = 100_000;

export function paramsInput(): RiskParamsInput {
  return {
    limits: {
      default: {
        maxPosition: '0',
        maxOrderSize: '0',
        maxMarketOrderSize: '0',
        fatFingerPct: 1,
        postOnlyFatFingerPct: 0.5,
      },
      // 0.01 BTC position, 0.005 per limit order, 0.002 per market order.
      'BTC/USDT': { maxPosition: '0.01', maxOrderSize: '0.005', maxMarketOrderSize: '0.002' },
      'ETH/USDT:USDT': { maxPosition: '10', maxOrderSize: '10', maxMarketOrderSize: '10' },
      'XRP/USDT:USDT': { maxPosition: '100000', maxOrderSize: '100000', maxMarketOrderSize: '100000' },
    },
    orderRate: { perSecond: 10, perMinute: 200 },
    drawdown: { windowMinutes: 60, maxLoss: { amount: '50', currency: 'USDT' } },
    dailyLoss: { maxLoss: { amount: '100', currency: 'USDT' } },
    concentration: {
      maxSharePct: 100,
      minGrossExposure: { amount: '0', currency: 'USDT' },
      groups: [],
    },
    staleBooksHaltSeconds: 30,
    kellyFraction: 0.25,
  };
}

export function params(edit: (p: RiskParamsInput) => void = () => {}): RiskParams {
  const input = paramsInput();
  edit(input);
  return riskParamsSchema.parse(input);
}

/** The gate's event clock, starting 1 000 s after the epoch (1e9 µs). */
export const eventClock = (): ManualClock => new ManualClock(1_000_000);

/** Positions and open orders as plain numbers the test sets; every book trusted at its mid. */
export class FakeAccount implements RiskAccount {
  readonly positions: number[];
  readonly pendingBuy: number[];
  readonly pendingSell: number[];
  readonly mids: number[];
  readonly trust: BookTrust[];
  pnlValue = 0;

  constructor(count = INSTRUMENTS.length) {
    this.positions = new Array(count).fill(0);
    this.pendingBuy = new Array(count).fill(0);
    this.pendingSell = new Array(count).fill(0);
    this.mids = [BTC_MID, 300_000, 5_000].slice(0, count);
    while (this.mids.length < count) this.mids.push(Number.NaN);
    this.trust = new Array(count).fill('trusted');
  }
  position(i: number): number {
    return this.positions[i] ?? 0;
  }
  pendingSize(i: number, side: Side): number {
    return (side === 'buy' ? this.pendingBuy[i] : this.pendingSell[i]) ?? 0;
  }
  mid(i: number): number {
    return this.mids[i] ?? Number.NaN;
  }
  bookTrust(i: number): BookTrust {
    return this.trust[i] ?? 'awaiting_snapshot';
  }
  pnl(): number {
    return this.pnlValue;
  }
}

let nextId = 1;

export function order(over: Partial<OrderRequest> = {}): OrderRequest {
  return {
    id: nextId++,
    instrument: 0,
    side: 'buy',
    type: 'limit',
    price: BTC_MID,
    size: MILLI_BTC,
    postOnly: false,
    ioc: false,
    ...over,
  };
}

export function newGate(
  p: RiskParams = params(),
  clock = eventClock(),
): { gate: RiskGate; clock: ManualClock } {
  return { gate: new RiskGate(INSTRUMENTS, p, clock), clock };
}
