import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LiveMarketState } from '../../../fargate/ops/live-market-state.ts';
import { registerTradingMetrics } from '../../../fargate/ops/metrics.ts';
import { startOpsServer } from '../../../fargate/ops/ops-server.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';

const scrape = (source: FakeTradingControl) => {
  const registry = new Registry();
  registerTradingMetrics(registry, source);
  return { registry, text: () => registry.metrics() };
};

describe('trading metrics', () => {
  it('renders executions, open orders, denials, state, PnL and tick-to-order from the kernel', async () => {
    const fake = new FakeTradingControl('t');
    const { text } = scrape(fake);
    const out = await text();
    expect(out).toContain('# TYPE execution_count_total counter');
    expect(out).toContain('execution_count_total{exchange="binance"} 7');
    expect(out).toContain('execution_count_total{exchange="binance-futures"} 2');
    expect(out).toContain('\norders_open 3\n');
    expect(out).toContain('risk_denials_total{reason="max_position"} 3');
    expect(out).toContain('risk_denials_total{reason="fat_finger"} 1');
    expect(out).toContain('\ntrading_state 0\n');
    // 12.5 − 2.25 − 0.75
    expect(out).toContain('pnl_quote{currency="USDT"} 9.5');
    expect(out).toContain('# TYPE tick_to_order_microseconds histogram');
    for (const line of [
      'tick_to_order_microseconds_bucket{le="50"} 4',
      'tick_to_order_microseconds_bucket{le="100"} 9',
      'tick_to_order_microseconds_bucket{le="500"} 10',
      'tick_to_order_microseconds_bucket{le="+Inf"} 11',
      'tick_to_order_microseconds_sum 812',
      'tick_to_order_microseconds_count 11',
    ])
      expect(out).toContain(`\n${line}\n`);
  });

  it('reads the kernel afresh at each scrape', async () => {
    const fake = new FakeTradingControl('t');
    const { text } = scrape(fake);
    await text();
    await fake.kill('drill');
    fake.fill(5);
    fake.denials = { ...fake.denials, trading_halted: 2 };
    const out = await text();
    expect(out).toContain('\ntrading_state 2\n');
    expect(out).toContain('\norders_open 0\n');
    expect(out).toContain('execution_count_total{exchange="binance"} 8');
    expect(out).toContain('risk_denials_total{reason="trading_halted"} 2');
    expect(out).toContain('pnl_quote{currency="USDT"} 14.5');
    fake.state = 'REDUCING';
    expect(await text()).toContain('\ntrading_state 1\n');
  });

  it('keeps PnL in separate currencies apart', async () => {
    const fake = new FakeTradingControl('t');
    fake.pnl = {
      realized: { amount: 10, currency: 'USDT' },
      unrealized: { amount: 4, currency: 'USDT' },
      fees: { amount: 0.001, currency: 'BNB' },
    };
    const out = await scrape(fake).text();
    expect(out).toContain('pnl_quote{currency="USDT"} 14');
    expect(out).toContain('pnl_quote{currency="BNB"} -0.001');
  });

  it('the ops server renders them only once a trading source is attached, beside the market metrics', async () => {
    const server = await startOpsServer({ state: new LiveMarketState({ now: () => 0 }), port: 0 });
    try {
      let out = await (await fetch(`${server.url}/metrics`)).text();
      expect(out).toContain('market_data_messages_total');
      expect(out).not.toContain('trading_state');
      expect(out).not.toContain('tick_to_order');
      server.attachTrading(new FakeTradingControl('t'));
      out = await (await fetch(`${server.url}/metrics`)).text();
      expect(out).toContain('market_data_messages_total');
      expect(out).toContain('\ntrading_state 0\n');
      expect(out).toContain('tick_to_order_microseconds_count 11');
      expect(() => server.attachTrading(new FakeTradingControl('t'))).toThrow(/already attached/);
    } finally {
      await server.close();
    }
  });

  it('a source without a tick-to-order histogram renders the rest', async () => {
    const fake = new FakeTradingControl('t');
    const registry = new Registry();
    registerTradingMetrics(registry, { status: () => fake.status(), executions: fake.executions });
    const out = await registry.metrics();
    expect(out).toContain('\norders_open 3\n');
    expect(out).not.toContain('tick_to_order');
  });
});
