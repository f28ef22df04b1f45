import { describe, expect, it } from 'vitest';
import type { ManagedOrder } from '../../../core/oms/managed-order.ts';
import type { FillReport, InvalidTransition } from '../../../core/oms/order-store.ts';
import { driveTo, fill, makeStore, newOrder } from './support/orders.ts';

describe('OrderStore fills', () => {
  it('partial fills accumulate, average, and finish the order', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'Accepted');
    expect(store.pendingSize(0, 'buy')).toBe(10);
    expect(store.applyFill(id, fill(3, 100))).toBe('applied');
    expect(store.applyFill(id, fill(2, 110))).toBe('applied');
    const o = store.get(id)!;
    expect(o.status).toBe('PartiallyFilled');
    expect(o.filled).toBe(5);
    expect(o.avgFillPrice).toBe(104); // (3·100 + 2·110) / 5
    expect(store.pendingSize(0, 'buy')).toBe(5);
    expect(store.openOf(0)).toContain(o);
    expect(store.applyFill(id, fill(5, 98))).toBe('applied');
    expect(o.status).toBe('Filled');
    expect(o.avgFillPrice).toBe(101); // (520 + 490) / 10
    expect(store.pendingSize(0, 'buy')).toBe(0);
    expect(store.openOf(0)).toHaveLength(0);
    expect(store.openCount).toBe(0);
  });

  it('a duplicate fill is applied once and counted', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'Accepted');
    expect(store.applyFill(id, fill(2, 100, 'T1'))).toBe('applied');
    expect(store.applyFill(id, fill(2, 100, 'T1'))).toBe('duplicate');
    expect(store.get(id)!.filled).toBe(2);
    expect(store.counters.duplicateFills).toBe(1);
    expect(store.counters.invalidTransitions).toBe(0);
  });

  it('the same trade id on the other side (self-trade) or another instrument is a different fill', () => {
    const store = makeStore();
    const buy = newOrder(store, 'buy', 0);
    const sell = newOrder(store, 'sell', 0);
    const other = newOrder(store, 'buy', 1);
    for (const id of [buy, sell, other]) driveTo(store, id, 'Accepted');
    expect(store.applyFill(buy, fill(1, 100, '42'))).toBe('applied');
    expect(store.applyFill(sell, fill(1, 100, '42'))).toBe('applied');
    expect(store.applyFill(other, fill(1, 100, '42'))).toBe('applied');
    expect(store.counters.duplicateFills).toBe(0);
  });

  it('a fill after a cancel request keeps the cancel pending; a refused cancel returns to PartiallyFilled', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'PendingCancel');
    expect(store.applyFill(id, fill(4))).toBe('applied');
    const o = store.get(id)!;
    expect(o.status).toBe('PendingCancel');
    expect(store.pendingSize(0, 'buy')).toBe(6);
    expect(store.apply(id, 'cancel_rejected', 5)).toBe('applied');
    expect(o.status).toBe('PartiallyFilled');
  });

  it('a fill completing a pending-cancel order wins; the cancel ack then is late', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'PendingCancel');
    expect(store.applyFill(id, fill(10))).toBe('applied');
    expect(store.get(id)!.status).toBe('Filled');
    expect(store.apply(id, 'canceled', 6)).toBe('late');
    expect(store.apply(id, 'cancel_rejected', 7)).toBe('late');
    expect(store.get(id)!.status).toBe('Filled');
    expect(store.counters.lateReports).toBe(2);
    expect(store.counters.invalidTransitions).toBe(0);
  });

  it('a fill before the ack moves Submitted to PartiallyFilled; the ack is then late', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'Submitted');
    expect(store.applyFill(id, fill(3))).toBe('applied');
    expect(store.get(id)!.status).toBe('PartiallyFilled');
    expect(store.apply(id, 'accept', 3)).toBe('late');
    expect(store.get(id)!.status).toBe('PartiallyFilled');
  });

  it('a late fill after Canceled is applied, never reopens the order, and can complete it', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'Canceled');
    expect(store.applyFill(id, fill(4))).toBe('applied');
    const o = store.get(id)!;
    expect(o.status).toBe('Canceled');
    expect(o.filled).toBe(4);
    expect(store.openCount).toBe(0);
    expect(store.pendingSize(0, 'buy')).toBe(0);
    expect(store.applyFill(id, fill(6))).toBe('applied');
    expect(o.status).toBe('Filled');
  });

  it('refuses an overfill, a malformed fill, an unknown order and a fill through apply', () => {
    const invalid: InvalidTransition[] = [];
    const store = makeStore(invalid);
    const id = newOrder(store);
    driveTo(store, id, 'Accepted');
    const before = { ...store.get(id)! };
    const bad: FillReport[] = [
      fill(11),
      fill(1.5),
      fill(0),
      fill(1, Number.NaN),
      fill(1, 100, ''),
      { ...fill(1), fee: Number.POSITIVE_INFINITY },
      { ...fill(1), price: '100' as unknown as number },
      { ...fill(1), tradeId: 7 as unknown as string },
    ];
    for (const f of bad) expect(store.applyFill(id, f)).toBe('invalid');
    expect(store.applyFill(999, fill(1))).toBe('invalid');
    expect(store.apply(id, 'fill', 5)).toBe('invalid');
    expect({ ...store.get(id)! }).toEqual(before);
    expect(invalid.map((t) => t.reason)).toEqual([
      'overfill',
      'bad_fill',
      'bad_fill',
      'bad_fill',
      'bad_fill',
      'bad_fill',
      'bad_fill',
      'bad_fill',
      'unknown_order',
      'fill_without_report',
    ]);
    expect(store.counters.invalidTransitions).toBe(10);
    // A refused fill is not remembered: the same trade id with good values still applies.
    expect(store.applyFill(id, fill(1, 100, 'ok-later'))).toBe('applied');
  });
});

describe('OrderStore reports out of order', () => {
  it('a late submit ack while a cancel is pending keeps the cancel; a refused cancel returns to Accepted', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'Submitted');
    expect(store.apply(id, 'cancel_request', 2)).toBe('applied');
    expect(store.apply(id, 'accept', 3)).toBe('applied');
    expect(store.get(id)!.status).toBe('PendingCancel');
    expect(store.apply(id, 'accept', 3)).toBe('duplicate');
    expect(store.apply(id, 'cancel_rejected', 4)).toBe('applied');
    expect(store.get(id)!.status).toBe('Accepted');
  });

  it('cancel then the ack and a second cancel ack: Canceled stays, the rest is late or duplicate', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'Submitted');
    store.apply(id, 'cancel_request', 2);
    expect(store.apply(id, 'canceled', 3)).toBe('applied');
    expect(store.apply(id, 'accept', 4)).toBe('late');
    expect(store.apply(id, 'canceled', 5)).toBe('duplicate');
    expect(store.get(id)!.status).toBe('Canceled');
    expect(store.counters).toMatchObject({ lateReports: 1, duplicateReports: 1, invalidTransitions: 0 });
  });

  it('anything but a fill after Rejected contradicts it and is invalid; the order stays Rejected', () => {
    const invalid: InvalidTransition[] = [];
    const store = makeStore(invalid);
    const id = newOrder(store);
    driveTo(store, id, 'Rejected');
    expect(store.apply(id, 'accept', 3)).toBe('invalid');
    expect(store.applyFill(id, fill(1))).toBe('invalid');
    expect(store.get(id)!.status).toBe('Rejected');
    expect(invalid.map((t) => [t.status, t.event])).toEqual([
      ['Rejected', 'accept'],
      ['Rejected', 'fill'],
    ]);
  });
});

describe('OrderStore amends', () => {
  it('an amend moves price and size only when confirmed, and pending size follows', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'Accepted');
    expect(store.apply(id, 'update_request', 3, 101, 12)).toBe('applied');
    const o = store.get(id)!;
    expect([o.status, o.price, o.size]).toEqual(['PendingUpdate', 100, 10]);
    expect(store.pendingSize(0, 'buy')).toBe(10);
    expect(store.apply(id, 'updated', 4)).toBe('applied');
    expect([o.status, o.price, o.size]).toEqual(['Accepted', 101, 12]);
    expect(store.pendingSize(0, 'buy')).toBe(12);
  });

  it('a refused amend restores the status and keeps price and size', () => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, 'PartiallyFilled');
    store.apply(id, 'update_request', 3, 99, 8);
    expect(store.apply(id, 'update_rejected', 4)).toBe('applied');
    const o = store.get(id)!;
    expect([o.status, o.price, o.size]).toEqual(['PartiallyFilled', 100, 10]);
    expect(Number.isNaN(o.requestedSize)).toBe(true);
  });

  it('refuses an amend below the filled size; an amend down to it fills the order', () => {
    const invalid: InvalidTransition[] = [];
    const store = makeStore(invalid);
    const id = newOrder(store);
    driveTo(store, id, 'PartiallyFilled'); // 3 filled
    expect(store.apply(id, 'update_request', 3, Number.NaN, 2)).toBe('invalid');
    expect(store.apply(id, 'update_request', 3, 1.5, Number.NaN)).toBe('invalid');
    expect(invalid.map((t) => t.reason)).toEqual(['bad_update', 'bad_update']);
    expect(store.get(id)!.status).toBe('PartiallyFilled');
    expect(store.apply(id, 'update_request', 3, Number.NaN, 3)).toBe('applied');
    expect(store.apply(id, 'updated', 4)).toBe('applied');
    expect(store.get(id)!.status).toBe('Filled');
    expect(store.openCount).toBe(0);
  });
});

describe('OrderStore bookkeeping', () => {
  it('refuses to submit an order with a size or price that is not whole units', () => {
    const store = makeStore();
    const bad = store.create(
      {
        clientOrderId: 'bad',
        exchange: 'binance',
        instrument: 0,
        side: 'buy',
        type: 'limit',
        price: 100,
        size: 0.5,
      },
      0,
    );
    expect(store.apply(bad.id, 'submit', 1)).toBe('invalid');
    expect(bad.status).toBe('Initialized');
    const market = store.create(
      {
        clientOrderId: 'mkt',
        exchange: 'binance',
        instrument: 0,
        side: 'sell',
        type: 'market',
        price: Number.NaN,
        size: 4,
      },
      0,
    );
    expect(store.apply(market.id, 'submit', 1)).toBe('applied');
    expect(store.pendingSize(0, 'sell')).toBe(4);
  });

  it('finds orders by client and venue order id; a second, different venue id is a conflict', () => {
    const store = makeStore();
    const a = newOrder(store);
    const b = newOrder(store);
    const oa = store.get(a)!;
    expect(store.byClientOrderId(oa.clientOrderId)).toBe(oa);
    expect(store.assignVenueOrderId(a, 'V1')).toBe('applied');
    expect(store.assignVenueOrderId(a, 'V1')).toBe('duplicate');
    expect(store.byVenueOrderId('binance', 'V1')).toBe(oa);
    expect(store.byVenueOrderId('kraken', 'V1')).toBeUndefined();
    expect(store.assignVenueOrderId(a, 'V2')).toBe('invalid');
    expect(store.assignVenueOrderId(b, 'V1')).toBe('invalid');
    expect(store.assignVenueOrderId(b, '')).toBe('invalid');
    expect(store.counters.venueIdConflicts).toBe(2);
  });

  it('keeps finished orders in a bounded history: late reports stay late until forgotten', () => {
    const store = makeStore([], 2);
    const ids = [newOrder(store), newOrder(store), newOrder(store)];
    const firstCid = store.get(ids[0]!)!.clientOrderId;
    for (const id of ids) driveTo(store, id, 'Canceled');
    expect(store.get(ids[0]!)).toBeUndefined();
    expect(store.byClientOrderId(firstCid)).toBeUndefined();
    expect(store.get(ids[1]!)?.status).toBe('Canceled');
    expect(store.counters.historyEvicted).toBe(1);
    expect(store.apply(ids[1]!, 'expired', 9)).toBe('late');
    expect(store.apply(ids[0]!, 'expired', 9)).toBe('invalid');
  });

  it('iterates open orders of every instrument; the visited order may leave during the visit', () => {
    const store = makeStore();
    const ids = [
      newOrder(store, 'buy', 0),
      newOrder(store, 'sell', 0),
      newOrder(store, 'buy', 1),
      newOrder(store),
    ];
    for (const id of ids.slice(0, 3)) driveTo(store, id, 'Accepted');
    expect(store.openCount).toBe(3);
    const seen: number[] = [];
    store.forEachOpen((o: Readonly<ManagedOrder>) => {
      seen.push(o.id);
      store.apply(o.id, 'canceled', 5);
    });
    expect(seen.sort()).toEqual(ids.slice(0, 3).sort());
    expect(store.openCount).toBe(0);
    expect(store.openOf(0)).toHaveLength(0);
    expect(store.openOf(7)).toHaveLength(0);
  });

  it('throws on programming errors in create only', () => {
    const store = makeStore();
    const req = {
      clientOrderId: 'x',
      exchange: 'binance',
      instrument: 0,
      side: 'buy',
      type: 'limit',
      price: 1,
      size: 1,
    } as const;
    store.create(req, 0);
    expect(() => store.create(req, 0)).toThrow(/already used/);
    expect(() => store.create({ ...req, clientOrderId: 'y', instrument: 2 }, 0)).toThrow(/out of range/);
  });
});
