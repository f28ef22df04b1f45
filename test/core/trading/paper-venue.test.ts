/**
 * Paper trading: the simulated exchange driven by live events through the kernel. Orders arrive
 * after the entry latency, fills come back after the response latency, all on event time.
 */

import { describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import { loadRiskParams } from '../../../config/risk.ts';
import { L2Book } from '../../../core/book/l2-book.ts';
import { LevelChanges } from '../../../core/book/level-changes.ts';
import { ClientOrderIds } from '../../../core/oms/client-order-id.ts';
import { RiskGate } from '../../../core/risk/risk-gate.ts';
import { createQueueModel } from '../../../core/sim/queue/queue-spec.ts';
import type { StrategyContext } from '../../../core/strategy/context.ts';
import type { OrderUpdate } from '../../../core/strategy/order-types.ts';
import { PaperVenue } from '../../../core/trading/paper-venue.ts';
import { TradingKernel } from '../../../core/trading/trading-kernel.ts';
import { killAndConfirm } from '../../../fargate/trading/kill-and-confirm.ts';

const BTC = configuredInstruments().find((i) => i.exchange === 'binance' && i.venueSymbol === 'BTCUSDT')!;
const BID = 5_999_999;
const ASK = 6_000_001;

function world() {
  const book = new L2Book();
  const changes = new LevelChanges();
  const updates: Array<{ kind: string; ts: number; fillSize: number; maker: boolean }> = [];
  let submit: ((ctx: StrategyContext) => void) | undefined;
  const paper = new PaperVenue({
    instruments: [BTC],
    queue: createQueueModel({ model: 'risk-averse' }),
    partialFills: true,
    liquidityConsumption: true,
    entryUs: 5_000,
    responseUs: 5_000,
    fees: [{ maker: 0.0001, taker: 0.0004 }],
  });
  let kernel: TradingKernel | undefined;
  kernel = new TradingKernel({
    instruments: [BTC],
    books: () => ({ book, trust: 'trusted' }),
    venueOf: () => paper,
    gate: new RiskGate([BTC], loadRiskParams(), { nowMicros: () => kernel?.time ?? 0 }),
    clientIds: new ClientOrderIds({ prefix: 'tp', instance: 1, epoch: 1 }),
    strategy: {
      onBook: (ctx) => {
        submit?.(ctx);
        submit = undefined;
      },
      onOrderUpdate: (_ctx, u: OrderUpdate) =>
        updates.push({ kind: u.kind, ts: u.ts, fillSize: u.fillSize, maker: u.maker }),
    },
    strategyName: 'test',
    params: {},
    random: () => 0.5,
  });
  paper.connect(kernel);
  kernel.start(0);
  /** One live book message at `t` (snapshot: the whole book). */
  const message = (t: number, levels: Array<[boolean, number, number]>, snapshot = false) => {
    if (snapshot) book.clear();
    changes.reset();
    for (const [isBid, p, q] of levels) {
      book.set(isBid, p, q);
      changes.push(isBid, p, q);
    }
    paper.onBook(0, book, changes, snapshot, t);
    kernel!.onBook(0, t);
  };
  return {
    kernel: kernel!,
    paper,
    updates,
    message,
    onNextBook: (f: (ctx: StrategyContext) => void) => {
      submit = f;
    },
  };
}

describe('paper venue', () => {
  it('a resting bid is accepted after the latency and filled by a sell that trades through it', () => {
    const w = world();
    w.message(
      1_000_000,
      [
        [true, BID, 1_000_000],
        [false, ASK, 1_000_000],
      ],
      true,
    );
    w.onNextBook((ctx) => ctx.submitLimit(0, 'buy', BID, 200_000, { postOnly: true }));
    w.message(1_001_000, [[true, BID, 1_100_000]]);
    expect(w.kernel.orders.get(1)?.status).toBe('Submitted');
    // The order reaches the simulated exchange at 1 006 000 and the ack comes back 5 ms later.
    w.message(1_007_000, [[false, ASK, 900_000]]);
    expect(w.paper.exchange.openOrders).toBe(1);
    w.message(1_012_000, [[false, ASK, 800_000]]);
    expect(w.updates).toEqual([{ kind: 'accepted', ts: 1_011_000, fillSize: 0, maker: false }]);
    // A sell prints below our price: the aggressor swept our level.
    w.paper.onTrade(0, BID - 1, 2_000_000, 'sell', 1_020_000);
    w.kernel.onTrade(0, BID - 1, 2_000_000, 'sell', 1_020_000, 1_020_000);
    w.message(1_030_000, [[true, BID - 1, 500_000]]);
    expect(w.updates.at(-1)).toEqual({ kind: 'fill', ts: 1_025_000, fillSize: 200_000, maker: true });
    expect(w.kernel.position(0)).toBe(200_000);
    // Maker fee 1 bp of 0.002 × 59 999.99 ≈ 0.012 USDT.
    expect(w.kernel.positions.fees(0)).toBeCloseTo(0.002 * 59_999.99 * 0.0001, 9);
  });

  it('a kill cancels resting paper orders; the venue confirms after its latency', async () => {
    const w = world();
    w.message(
      1_000_000,
      [
        [true, BID, 1_000_000],
        [false, ASK, 1_000_000],
      ],
      true,
    );
    w.onNextBook((ctx) => {
      ctx.submitLimit(0, 'buy', BID, 200_000, { postOnly: true });
      ctx.submitLimit(0, 'sell', ASK, 200_000, { postOnly: true });
    });
    w.message(1_001_000, [[true, BID, 1_000_001]]);
    w.message(1_020_000, [[true, BID, 1_000_002]]);
    expect(w.kernel.orders.openCount).toBe(2);
    const killed = killAndConfirm(w.kernel, 'test', 1_000);
    w.message(1_040_000, [[true, BID, 1_000_003]]);
    const report = await killed;
    expect(report.cancelled).toBe(2);
    expect(w.kernel.orders.openCount).toBe(0);
    expect(w.paper.exchange.openOrders).toBe(0);
  });
});
