/**
 * A small in-memory TradingControl whose state really changes: kill → HALTED with every open order
 * cancelled, reset with the admin token → ACTIVE (409 when not halted), risk params validated by the
 * real schema (config/risk.ts) and swapped only when valid. It also serves the trading metrics
 * (TradingMetricsSource), and records every call so a test can assert what reached the control.
 * Time is a manual clock (µs).
 */
import { loadRiskParams, parseRiskParams } from '../../config/risk.ts';
import type { RiskParams } from '../../core/risk/risk-params.ts';
import type { TradingState } from '../../core/risk/trading-state.ts';
import type {
  ControlResult,
  FillJson,
  KillReport,
  MoneyJson,
  OpenOrderJson,
  PositionJson,
  TradingControl,
  TradingStatusJson,
} from '../../core/trading/trading-control.ts';
import type { TickToOrderSource, TradingMetricsSource } from '../../fargate/ops/metrics.ts';

const usdt = (amount: number): MoneyJson => ({ amount, currency: 'USDT' });

export interface FakeStrategyParams {
  spreadBps: number;
  size: string;
}

export class FakeTradingControl implements TradingControl, TradingMetricsSource {
  /** Event time, µs. */
  now = 1_722_000_000_000_000;
  state: TradingState = 'ACTIVE';
  reason = 'started';
  orders: OpenOrderJson[];
  positions: PositionJson[];
  fills: FillJson[] = [];
  pnl = { realized: usdt(12.5), unrealized: usdt(-2.25), fees: usdt(0.75) };
  denials: Record<string, number> = { max_position: 3, fat_finger: 1 };
  risk: RiskParams = loadRiskParams();
  strategy: FakeStrategyParams = { spreadBps: 5, size: '0.001' };
  lastKill: KillReport | null = null;
  readonly executions = new Map<string, number>([
    ['binance', 7],
    ['binance-futures', 2],
  ]);
  readonly tickToOrder: TickToOrderSource;
  /** Every call that reached the control, in order (tokens left out). */
  readonly calls: string[] = [];
  readonly kills: string[] = [];
  private readonly adminToken: string;

  constructor(adminToken: string, tickToOrder?: TickToOrderSource) {
    this.adminToken = adminToken;
    this.tickToOrder = tickToOrder ?? {
      buckets: () => [
        { le: 50, count: 4 },
        { le: 100, count: 9 },
        { le: 500, count: 10 },
      ],
      sum: () => 812,
      count: () => 11,
    };
    this.orders = [
      order(1, 'binance', 'buy', '64000.1', '0.001'),
      order(2, 'binance', 'sell', '64010.5', '0.001'),
      order(3, 'binance-futures', 'buy', '63990', '0.002'),
    ];
    this.positions = [
      {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        size: '0.003',
        avgEntry: '64001.2',
        realized: usdt(12.5),
        unrealized: usdt(-2.25),
        fees: usdt(0.75),
      },
    ];
    this.fills = [
      {
        at: '2024-07-26T13:20:00.000Z',
        exchange: 'binance',
        symbol: 'BTC/USDT',
        side: 'buy',
        price: '64001.2',
        size: '0.003',
        fee: usdt(0.19),
        maker: true,
      },
    ];
  }

  status(): TradingStatusJson {
    this.calls.push('status');
    return {
      tradingState: this.state,
      reason: this.reason,
      positions: this.positions,
      openOrders: this.orders.length,
      orders: this.orders,
      pnl: this.pnl,
      riskParams: this.risk,
      lastKill: this.lastKill,
      strategy: { name: 'fake-maker', params: this.strategy },
      recentFills: this.fills,
      denials: this.denials,
      ts: this.now,
    };
  }

  async kill(reason: string): Promise<KillReport> {
    this.calls.push('kill');
    this.kills.push(reason);
    const cancelled = this.orders.length;
    this.orders = [];
    this.state = 'HALTED';
    this.reason = `kill: ${reason}`;
    this.lastKill = { at: new Date(this.now / 1000).toISOString(), reason, cancelled, cancelLatencyMs: 3 };
    return this.lastKill;
  }

  reset(token: string): ControlResult {
    this.calls.push('reset');
    if (token !== this.adminToken) return { ok: false, status: 401, problems: ['admin token required'] };
    if (this.state !== 'HALTED') return { ok: false, status: 409, problems: ['trading is not halted'] };
    this.state = 'ACTIVE';
    this.reason = 'reset';
    return { ok: true, detail: 'trading ACTIVE' };
  }

  riskParams(): unknown {
    this.calls.push('riskParams');
    return this.risk;
  }

  setRiskParams(body: unknown, token: string): ControlResult {
    this.calls.push('setRiskParams');
    if (token !== this.adminToken) return { ok: false, status: 401, problems: ['admin token required'] };
    const parsed = parseRiskParams(body);
    if ('problems' in parsed) return { ok: false, status: 400, problems: parsed.problems };
    this.risk = parsed;
    return { ok: true };
  }

  setStrategyParams(body: unknown, token: string): ControlResult {
    this.calls.push('setStrategyParams');
    if (token !== this.adminToken) return { ok: false, status: 401, problems: ['admin token required'] };
    const problems: string[] = [];
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    for (const key of Object.keys(b))
      if (key !== 'spreadBps' && key !== 'size') problems.push(`${key}: unknown parameter`);
    if ('spreadBps' in b && !(typeof b.spreadBps === 'number' && b.spreadBps > 0))
      problems.push('spreadBps: expected a number above 0');
    if ('size' in b && !(typeof b.size === 'string' && /^\d+(\.\d+)?$/.test(b.size)))
      problems.push('size: expected a decimal string');
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      problems.push('expected a JSON object of parameter values');
    if (problems.length > 0) return { ok: false, status: 400, problems };
    this.strategy = { ...this.strategy, ...(b as Partial<FakeStrategyParams>) };
    return { ok: true };
  }

  /** A fill realizing `realizedDelta` USDT: PnL moves, so the dashboard chart has something to draw. */
  fill(realizedDelta: number): void {
    this.now += 1_000_000;
    this.pnl = { ...this.pnl, realized: usdt(this.pnl.realized.amount + realizedDelta) };
    this.executions.set('binance', (this.executions.get('binance') ?? 0) + 1);
  }
}

function order(
  id: number,
  exchange: string,
  side: 'buy' | 'sell',
  price: string,
  size: string,
): OpenOrderJson {
  return {
    id,
    clientOrderId: `tp-1-1-${id}`,
    exchange,
    symbol: 'BTC/USDT',
    side,
    type: 'limit',
    price,
    size,
    filled: '0',
    status: 'open',
  };
}
