/**
 * The kernel's order path with a scripted venue: the risk gate in front of every order, the OMS and
 * positions behind the venue's reports, the breaker's rapid-loss trip, the kill during a burst of
 * fills, and the journal of all of it.
 */

import { describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import { loadRiskParams } from '../../../config/risk.ts';
import { L2Book } from '../../../core/book/l2-book.ts';
import type { BookTrust } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { ClientOrderIds } from '../../../core/oms/client-order-id.ts';
import type { JournalEntry } from '../../../core/oms/journal/journal-record.ts';
import type { CheckedAmend, CheckedOrder } from '../../../core/risk/order-check.ts';
import { RiskGate } from '../../../core/risk/risk-gate.ts';
import type { StrategyContext } from '../../../core/strategy/context.ts';
import type { OrderUpdate } from '../../../core/strategy/order-types.ts';
import type { Strategy } from '../../../core/strategy/strategy.ts';
import type { ExecutionVenue } from '../../../core/trading/execution-venue.ts';
import { type KernelAlert, TradingKernel } from '../../../core/trading/trading-kernel.ts';
import { killAndConfirm } from '../../../fargate/trading/kill-and-confirm.ts';

const BTC = configuredInstruments().find((i) => i.exchange === 'binance' && i.venueSymbol === 'BTCUSDT')!;
const PRICE = 6_000_000; // 60 000.00 USDT at priceScale 2
const SIZE = 200_000; // 0.002 BTC at sizeScale 8

class ScriptedVenue implements ExecutionVenue {
  readonly id = 'scripted';
  readonly submitted: CheckedOrder[] = [];
  readonly cancels: number[] = [];
  submit(order: CheckedOrder): void {
    this.submitted.push(order);
  }
  cancel(orderId: number): void {
    this.cancels.push(orderId);
  }
  amend(_a: CheckedAmend): void {}
}

/** Submits what the test queues on the next book event; records its updates. */
class ScriptedStrategy implements Strategy {
  readonly queue: Array<(ctx: StrategyContext) => void> = [];
  readonly updates: Array<Pick<OrderUpdate, 'kind' | 'orderId' | 'rejectReason' | 'done' | 'fillSize'>> = [];
  onBook(ctx: StrategyContext): void {
    for (const f of this.queue.splice(0)) f(ctx);
  }
  onOrderUpdate(_ctx: StrategyContext, u: OrderUpdate): void {
    this.updates.push({
      kind: u.kind,
      orderId: u.orderId,
      rejectReason: u.rejectReason,
      done: u.done,
      fillSize: u.fillSize,
    });
  }
}

interface Limits {
  readonly drawdownLoss?: string;
  readonly maxPosition?: string;
  readonly maxOrderSize?: string;
  readonly perSecond?: number;
  readonly perMinute?: number;
}

function riskParams(l: Limits) {
  const base = loadRiskParams();
  const btc = base.limits['BTC/USDT']!;
  return {
    ...base,
    limits: {
      ...base.limits,
      'BTC/USDT': {
        ...btc,
        ...(l.maxPosition ? { maxPosition: l.maxPosition } : {}),
        ...(l.maxOrderSize ? { maxOrderSize: l.maxOrderSize } : {}),
      },
    },
    orderRate: {
      perSecond: l.perSecond ?? base.orderRate.perSecond,
      perMinute: l.perMinute ?? base.orderRate.perMinute,
    },
    // One instrument is always 100 % of the exposure: the concentration check is for portfolios.
    concentration: {
      ...base.concentration,
      minGrossExposure: { ...base.concentration.minGrossExposure, amount: '1000000' },
    },
    drawdown: l.drawdownLoss
      ? { ...base.drawdown, maxLoss: { ...base.drawdown.maxLoss, amount: l.drawdownLoss } }
      : base.drawdown,
  };
}

function setup(trust: BookTrust = 'trusted', limits: Limits = {}) {
  const instruments: Instrument[] = [BTC];
  const book = new L2Book();
  book.set(true, PRICE - 1, 1_000_000);
  book.set(false, PRICE + 1, 1_000_000);
  const kb = { book, trust };
  const venue = new ScriptedVenue();
  const strategy = new ScriptedStrategy();
  const journal: JournalEntry[] = [];
  const alerts: KernelAlert[] = [];
  let kernel: TradingKernel | undefined;
  const gate = new RiskGate(instruments, riskParams(limits), { nowMicros: () => kernel?.time ?? 0 });
  kernel = new TradingKernel({
    instruments,
    books: () => kb,
    venueOf: () => venue,
    gate,
    clientIds: new ClientOrderIds({ prefix: 'tp', instance: 1, epoch: 1 }),
    strategy,
    strategyName: 'scripted',
    params: {},
    random: () => 0.5,
    journal: { append: (e) => journal.push(e) },
    onAlert: (a) => alerts.push(a),
    wallMs: () => 0,
  });
  kernel.start(1_000_000);
  let t = 1_000_000;
  const tick = (f?: (ctx: StrategyContext) => void) => {
    if (f) strategy.queue.push(f);
    t += 1_000;
    kernel!.onBook(0, t);
    return t;
  };
  return { kernel, venue, strategy, journal, alerts, kb, book, tick, now: () => t };
}

function fillAll(k: TradingKernel, venue: ScriptedVenue, price: number, ts: number, tradePrefix = 't'): void {
  for (const o of venue.submitted.splice(0)) {
    k.accepted(o.request.id, `v${o.request.id}`, ts);
    k.filled(o.request.id, `${tradePrefix}${o.request.id}`, price, o.request.size, 0, 'USDT', true, ts);
  }
}

describe('trading kernel', () => {
  it('an order passes the gate, reaches the venue, and fills into the position and the journal', () => {
    const { kernel, venue, strategy, journal, tick } = setup();
    tick((ctx) => ctx.submitLimit(0, 'buy', PRICE - 1, SIZE, { postOnly: true }));
    expect(venue.submitted).toHaveLength(1);
    expect(kernel.orders.openCount).toBe(1);
    const t = tick();
    fillAll(kernel, venue, PRICE - 1, t);
    expect(kernel.position(0)).toBe(SIZE);
    expect(kernel.orders.openCount).toBe(0);
    expect(strategy.updates.map((u) => u.kind)).toEqual(['accepted', 'fill']);
    expect(journal.map((e) => `${e.kind}${'event' in e ? `:${e.event}` : ''}`)).toEqual([
      'risk',
      'order:submit',
      'order:accept',
      'fill',
      'order:fill',
    ]);
  });

  it('a duplicate fill report is applied once', () => {
    const { kernel, venue, tick } = setup();
    tick((ctx) => ctx.submitLimit(0, 'buy', PRICE - 1, SIZE));
    const o = venue.submitted[0]!;
    kernel.filled(o.request.id, 'same', PRICE - 1, SIZE / 2, 0, 'USDT', true, 2_000_000);
    kernel.filled(o.request.id, 'same', PRICE - 1, SIZE / 2, 0, 'USDT', true, 2_000_001);
    expect(kernel.position(0)).toBe(SIZE / 2);
    expect(kernel.counters.duplicateFills).toBe(1);
  });

  it('no order leaves on a book that is not trusted: denied by type, journaled, reported', () => {
    const { venue, strategy, journal, tick } = setup('resyncing');
    tick((ctx) => ctx.submitLimit(0, 'buy', PRICE - 1, SIZE));
    expect(venue.submitted).toHaveLength(0);
    expect(strategy.updates).toEqual([
      { kind: 'rejected', orderId: 1, rejectReason: 'book_not_trusted', done: true, fillSize: 0 },
    ]);
    expect(journal.find((e) => e.kind === 'risk')).toMatchObject({
      outcome: 'denied',
      reason: 'book_not_trusted',
    });
  });

  it('rapid loss: −50, then three losing fills to −110 against −100 → breaker, cancel-all, next order denied, alert', () => {
    const { kernel, venue, strategy, alerts, book, journal, tick } = setup('trusted', {
      drawdownLoss: '1000',
    });
    const around = (p: number) => {
      book.clear();
      book.set(true, p - 1, 1_000_000);
      book.set(false, p + 1, 1_000_000);
    };
    // 0.005 BTC bought at 60 000; the market falls to 50 000: −50 USDT.
    tick((ctx) => ctx.submitLimit(0, 'buy', 6_000_000, 500_000));
    fillAll(kernel, venue, 6_000_000, tick());
    around(5_000_000);
    tick();
    expect(kernel.pnl()).toBeCloseTo(-50, 6);
    expect(kernel.tradingState).toBe('ACTIVE');
    // A resting quote the breaker must cancel.
    tick((ctx) => ctx.submitLimit(0, 'sell', 5_000_100, 100_000));
    const resting = venue.submitted.pop()!;
    kernel.accepted(resting.request.id, 'rest', tick());
    // Three fills at the market, each paying 20 USDT: −70, −90, −110.
    const pnls: number[] = [];
    for (let k = 0; k < 3; k++) {
      tick((ctx) => ctx.submitLimit(0, 'buy', 5_000_000, 100_000));
      const o = venue.submitted.pop()!;
      kernel.filled(o.request.id, `loss${k}`, 5_000_000, 100_000, 20, 'USDT', false, tick());
      pnls.push(Math.round(kernel.pnl()));
    }
    expect(pnls).toEqual([-70, -90, -110]);
    expect(kernel.tradingState).toBe('HALTED');
    expect(kernel.gate.breaker.reason).toMatch(/daily|loss/);
    expect(venue.cancels).toEqual([resting.request.id]);
    expect(alerts.some((a) => a.kind === 'breaker')).toBe(true);
    expect(journal.some((e) => e.kind === 'state' && e.to === 'HALTED')).toBe(true);
    strategy.updates.length = 0;
    tick((ctx) => ctx.submitLimit(0, 'sell', 5_000_100, 100_000));
    expect(strategy.updates.at(-1)).toMatchObject({ kind: 'rejected', rejectReason: 'trading_halted' });
    expect(venue.submitted).toHaveLength(0);
  });

  it('a kill during a burst of 100 fills loses none of them and cancels what is left', async () => {
    const { kernel, venue, tick } = setup('trusted', {
      maxPosition: '1',
      maxOrderSize: '1',
      perSecond: 1000,
      perMinute: 10_000,
    });
    tick((ctx) => {
      for (let k = 0; k < 10; k++) ctx.submitLimit(0, 'buy', PRICE - 1 - k, 1_000_000); // 10 × 0.01
    });
    expect(venue.submitted).toHaveLength(10);
    const orders = venue.submitted.splice(0);
    for (const o of orders) kernel.accepted(o.request.id, `v${o.request.id}`, tick());
    let filled = 0;
    let t = tick();
    const burst = (n: number) => {
      for (let k = 0; k < n; k++) {
        const o = orders[filled % 5]!; // the first five orders take the fills
        t += 10_000;
        kernel.filled(o.request.id, `b${filled}`, o.request.price, 10_000, 0, 'USDT', true, t);
        filled++;
      }
    };
    burst(50);
    const killed = killAndConfirm(kernel, 'test kill', 1_000);
    expect(kernel.tradingState).toBe('HALTED');
    expect(venue.cancels).toHaveLength(10);
    burst(50); // fills racing the cancels are still applied
    for (const o of orders) {
      t += 1_000;
      kernel.canceled(o.request.id, t);
    }
    const report = await killed;
    expect(kernel.position(0)).toBe(100 * 10_000);
    expect(kernel.counters.fills).toBe(100);
    expect(kernel.orders.openCount).toBe(0);
    expect(report).toMatchObject({ reason: 'test kill', cancelled: 10 });
    expect(kernel.status()).toMatchObject({
      tradingState: 'HALTED',
      openOrders: 0,
      lastKill: { reason: 'test kill' },
    });
  });

  it('reset needs the admin token', () => {
    const { kernel } = setup();
    kernel.kill('k');
    expect(kernel.reset('wrong', 'secret')).toBe('refused');
    expect(kernel.tradingState).toBe('HALTED');
    expect(kernel.reset('secret', 'secret')).toBe('reset');
    expect(kernel.tradingState).toBe('ACTIVE');
  });
});
