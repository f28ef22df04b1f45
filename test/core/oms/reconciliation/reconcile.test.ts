import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../../../core/oms/order-status.ts';
import {
  type OmsOrderView,
  type OmsView,
  reconcile,
  type VenueFillView,
  type VenueOrderView,
} from '../../../../core/oms/reconciliation/reconcile.ts';

class FakeOms implements OmsView {
  readonly orders: OmsOrderView[] = [];
  readonly applied = new Set<string>();
  readonly net = new Map<number, number>();
  byId(id: number) {
    return this.orders.find((o) => o.id === id);
  }
  byClientOrderId(id: string) {
    return this.orders.find((o) => o.clientOrderId === id);
  }
  byVenueOrderId(_e: string, id: string) {
    return this.orders.find((o) => o.venueOrderId === id);
  }
  forEachOpen(fn: (o: OmsOrderView) => void) {
    for (const o of this.orders) if (o.status === 'Accepted' || o.status === 'PartiallyFilled') fn(o);
  }
  hasFill(id: number, tradeId: string) {
    return this.applied.has(`${id}/${tradeId}`);
  }
  position(i: number) {
    return this.net.get(i) ?? 0;
  }
  isOwn(id: string) {
    return id.startsWith('tp-');
  }
}

const order = (id: number, over: Partial<OmsOrderView> = {}): OmsOrderView => ({
  id,
  clientOrderId: `tp-1-0-${id}`,
  venueOrderId: `v${id}`,
  instrument: 0,
  status: 'Accepted' as OrderStatus,
  size: 10,
  filled: 0,
  createdTs: 0,
  ...over,
});
const venueOrder = (id: string, cid: string, over: Partial<VenueOrderView> = {}): VenueOrderView => ({
  instrument: 0,
  venueOrderId: id,
  clientOrderId: cid,
  side: 'buy',
  price: 100,
  size: 10,
  filled: 0,
  ...over,
});
const fill = (vid: string, tradeId: string, size: number, side: 'buy' | 'sell' = 'buy'): VenueFillView => ({
  instrument: 0,
  venueOrderId: vid,
  tradeId,
  side,
  price: 100,
  size,
});
const options = { now: 10_000_000, graceMicros: 5_000_000, positionThreshold: () => 0 };
const snapshot = (open: VenueOrderView[], fills: VenueFillView[], positions?: number) => ({
  exchange: 'binance-futures' as const,
  instruments: [0],
  openOrders: open,
  fills,
  positions: positions === undefined ? undefined : [{ instrument: 0, size: positions }],
});

describe('reconcile', () => {
  it('finds nothing when the venue and the OMS agree', () => {
    const oms = new FakeOms();
    oms.orders.push(order(1));
    expect(reconcile(oms, snapshot([venueOrder('v1', 'tp-1-0-1')], [], 0), options)).toEqual([]);
  });

  it('reports a fill the OMS has not applied, once, and counts it into the position check', () => {
    const oms = new FakeOms();
    oms.orders.push(order(1, { status: 'PartiallyFilled', filled: 4 }));
    oms.applied.add('1/t1');
    oms.net.set(0, 4);
    const found = reconcile(
      oms,
      snapshot(
        [venueOrder('v1', 'tp-1-0-1', { filled: 7 })],
        [fill('v1', 't1', 4), fill('v1', 't2', 3), fill('v1', 't2', 3)],
        7,
      ),
      options,
    );
    expect(found).toEqual([{ kind: 'missing_fill', orderId: 1, fill: fill('v1', 't2', 3) }]);
  });

  it('tells our unknown orders from foreign ones', () => {
    const oms = new FakeOms();
    const found = reconcile(
      oms,
      snapshot([venueOrder('v9', 'tp-1-3-9'), venueOrder('v8', 'web_abc')], []),
      options,
    );
    expect(found.map((d) => (d.kind === 'unknown_order' ? d.own : d.kind))).toEqual([true, false]);
  });

  it('closes an acknowledged order the venue no longer lists, unless fills explain it or it may be in flight', () => {
    const oms = new FakeOms();
    oms.orders.push(order(1), order(2), order(3, { createdTs: 9_000_000 }));
    const found = reconcile(oms, snapshot([], [fill('v2', 't', 10)]), options);
    expect(
      found.filter((d) => d.kind === 'vanished_order').map((d) => d.kind === 'vanished_order' && d.orderId),
    ).toEqual([1]);
  });

  it('breaks on a position difference above the threshold, not at it', () => {
    const oms = new FakeOms();
    oms.net.set(0, 5);
    const at = { ...options, positionThreshold: () => 2 };
    expect(reconcile(oms, snapshot([], [], 7), at)).toEqual([]);
    expect(reconcile(oms, snapshot([], [], 8), at)).toEqual([
      { kind: 'position_break', instrument: 0, ours: 5, venue: 8, threshold: 2 },
    ]);
  });

  it('property: after applying the missing fills a second pass finds none and positions agree', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.integer({ min: 1, max: 5 }),
            seen: fc.boolean(),
            side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
          }),
          {
            maxLength: 20,
          },
        ),
        (trades) => {
          const oms = new FakeOms();
          oms.orders.push(order(1, { size: 1000 }));
          let venueNet = 0;
          const fills = trades.map((t, k) => {
            const signed = t.side === 'buy' ? t.size : -t.size;
            venueNet += signed;
            if (t.seen) {
              oms.applied.add(`1/t${k}`);
              oms.net.set(0, oms.position(0) + signed);
            }
            return fill('v1', `t${k}`, t.size, t.side);
          });
          const snap = snapshot([venueOrder('v1', 'tp-1-0-1')], fills, venueNet);
          const first = reconcile(oms, snap, options);
          expect(first.some((d) => d.kind === 'position_break')).toBe(false);
          for (const d of first) {
            if (d.kind !== 'missing_fill') continue;
            oms.applied.add(`1/${d.fill.tradeId}`);
            oms.net.set(0, oms.position(0) + (d.fill.side === 'buy' ? d.fill.size : -d.fill.size));
          }
          expect(reconcile(oms, snap, options)).toEqual([]);
        },
      ),
    );
  });
});
