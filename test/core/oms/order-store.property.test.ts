import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Side } from '../../../core/market/events.ts';
import { isOpen, isTerminal } from '../../../core/oms/order-status.ts';
import { OrderStore } from '../../../core/oms/order-store.ts';
import { ORDER_EVENTS, type OrderEvent } from '../../../core/oms/order-transitions.ts';

const ORDERS: { instrument: number; side: Side }[] = [
  { instrument: 0, side: 'buy' },
  { instrument: 0, side: 'buy' },
  { instrument: 0, side: 'sell' },
  { instrument: 1, side: 'sell' },
];

// Mostly whole units so orders move forward; sometimes zero, NaN ("unchanged") or garbage.
const units = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY) },
);

const ENDING = new Set<OrderEvent>(['deny', 'reject', 'canceled', 'expired']);

const command = fc.oneof(
  fc.record({
    kind: fc.constant('event' as const),
    order: fc.integer({ min: 0, max: ORDERS.length }), // the last index is an unknown order
    // Every event appears; the ones that end an order less often, so orders live long enough to
    // reach the pending states.
    event: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...ORDER_EVENTS) },
      { weight: 3, arbitrary: fc.constantFrom(...ORDER_EVENTS.filter((e) => !ENDING.has(e))) },
    ),
    price: units,
    size: units,
  }),
  fc.record({
    kind: fc.constant('fill' as const),
    order: fc.integer({ min: 0, max: ORDERS.length }),
    tradeId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', ''), // few ids: duplicates are common
    price: units,
    size: units,
  }),
);

/** The invariants, checked without expect() so 200 runs × 60 steps stay fast. */
function violation(store: OrderStore, ids: number[], reached: Set<string>): string | undefined {
  const pending = [0, 0, 0, 0];
  let open = 0;
  for (const id of ids) {
    const o = store.get(id);
    if (o === undefined) return `order ${id} lost`;
    reached.add(o.status);
    if (!(o.filled >= 0 && o.filled <= o.size)) return `order ${id} filled ${o.filled} of ${o.size}`;
    const listed = store.openOf(o.instrument).includes(o);
    if (listed !== isOpen(o.status)) return `order ${id} ${o.status} listed=${listed}`;
    if (listed && isTerminal(o.status)) return `terminal order ${id} open`;
    if (listed) {
      open++;
      pending[o.instrument * 2 + (o.side === 'buy' ? 0 : 1)]! += o.size - o.filled;
    }
  }
  if (store.openCount !== open) return `openCount ${store.openCount}, counted ${open}`;
  for (let k = 0; k < 4; k++) {
    const got = store.pendingSize(k >> 1, k % 2 === 0 ? 'buy' : 'sell');
    if (got !== pending[k]) return `pendingSize[${k}] ${got}, counted ${pending[k]}`;
  }
  return undefined;
}

describe('OrderStore under random events and fills', () => {
  it('never throws, never overfills, never leaves a terminal order open, and keeps pending size exact', () => {
    const reached = new Set<string>();
    let appliedFills = 0;
    fc.assert(
      fc.property(fc.array(command, { minLength: 10, maxLength: 60 }), (commands) => {
        const store = new OrderStore({ instrumentCount: 2, onInvalidTransition: () => {} });
        const ids = ORDERS.map(
          (o, i) =>
            store.create(
              { clientOrderId: `p${i}`, exchange: 'bybit', type: 'limit', price: 100, size: 10, ...o },
              0,
            ).id,
        );
        ids.push(9999);
        let ts = 0;
        for (const c of commands) {
          ts++;
          const id = ids[c.order]!;
          if (c.kind === 'event') store.apply(id, c.event, ts, c.price, c.size);
          else {
            const fill = {
              tradeId: c.tradeId,
              price: c.price,
              size: c.size,
              fee: 0,
              feeCurrency: 'USDT',
              maker: false,
              ts,
            };
            if (store.applyFill(id, fill) === 'applied') appliedFills++;
          }

          const broken = violation(store, ids.slice(0, ORDERS.length), reached);
          if (broken !== undefined)
            throw new Error(`${broken} after ${c.kind} ${'event' in c ? c.event : c.tradeId}`);
        }
      }),
      { numRuns: 200 },
    );
    // The runs reach the interesting states, so the invariants were checked where they matter.
    expect(appliedFills).toBeGreaterThan(0);
    for (const s of ['PartiallyFilled', 'Filled', 'PendingCancel', 'PendingUpdate', 'Canceled'])
      expect(reached).toContain(s);
  });
});
