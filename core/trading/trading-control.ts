/**
 * What the control plane (the HTTP routes, the dashboard, the cloud's kill-switch URL) may ask of a
 * running trading kernel, and the JSON it gets back. The kernel implements it; routes only translate
 * HTTP to these calls, so every surface stops, resets and tunes trading the same way.
 */
import type { TradingState } from '../risk/trading-state.ts';

export interface MoneyJson {
  readonly amount: number;
  readonly currency: string;
}

export interface PositionJson {
  readonly exchange: string;
  readonly symbol: string;
  /** Net size in base units (decimal string, exact). */
  readonly size: string;
  /** Average entry price (decimal string); null when flat. */
  readonly avgEntry: string | null;
  readonly realized: MoneyJson;
  readonly unrealized: MoneyJson;
  readonly fees: MoneyJson;
}

export interface OpenOrderJson {
  readonly id: number;
  readonly clientOrderId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'limit' | 'market';
  /** Decimal strings, exact; price null for market orders. */
  readonly price: string | null;
  readonly size: string;
  readonly filled: string;
  readonly status: string;
}

export interface KillReport {
  /** ISO-8601 wall time of the kill. */
  readonly at: string;
  readonly reason: string;
  /** Orders cancelled (cancel sent to the venue and confirmed by it). */
  readonly cancelled: number;
  /** From the kill to the last cancel confirmed, ms. */
  readonly cancelLatencyMs: number;
}

export interface FillJson {
  readonly at: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly size: string;
  readonly fee: MoneyJson;
  readonly maker: boolean;
}

export interface TradingStatusJson {
  readonly tradingState: TradingState;
  readonly reason: string;
  readonly positions: readonly PositionJson[];
  readonly openOrders: number;
  readonly orders: readonly OpenOrderJson[];
  readonly pnl: { readonly realized: MoneyJson; readonly unrealized: MoneyJson; readonly fees: MoneyJson };
  readonly riskParams: unknown;
  readonly lastKill: KillReport | null;
  /** Extras for the dashboard. */
  readonly strategy: { readonly name: string; readonly params: unknown };
  readonly recentFills: readonly FillJson[];
  readonly denials: Readonly<Record<string, number>>;
  /** Event time µs of the status. */
  readonly ts: number;
}

export type ControlResult =
  | { readonly ok: true; readonly detail?: string }
  | { readonly ok: false; readonly status: 400 | 401 | 409; readonly problems: readonly string[] };

export interface TradingControl {
  status(): TradingStatusJson;
  /** Halt, cancel every open order on every venue, verify; resolves when the venues confirmed (or timed out). */
  kill(reason: string): Promise<KillReport>;
  /** `token` as sent by the caller; the kernel compares it with the admin token. */
  reset(token: string): ControlResult;
  riskParams(): unknown;
  /** Validated; an invalid body changes nothing. */
  setRiskParams(body: unknown, token: string): ControlResult;
  setStrategyParams(body: unknown, token: string): ControlResult;
}
