import { describe, expect, it } from 'vitest';
import { isOpen, isTerminal, ORDER_STATUSES, type OrderStatus } from '../../../core/oms/order-status.ts';
import type { InvalidTransition } from '../../../core/oms/order-store.ts';
import {
  ORDER_EVENTS,
  ORDER_TRANSITIONS,
  type OrderEvent,
  transitionOf,
} from '../../../core/oms/order-transitions.ts';
import { driveTo, fill, makeStore, newOrder } from './support/orders.ts';

/** Values that make every payload-carrying event a real change. */
function send(store: ReturnType<typeof makeStore>, id: number, event: OrderEvent) {
  if (event === 'fill') return store.applyFill(id, fill(1));
  if (event === 'update_request') return store.apply(id, event, 10, 102, 11);
  if (event === 'updated') return store.apply(id, event, 10, 105, 11);
  return store.apply(id, event, 10);
}

const cells = ORDER_STATUSES.flatMap((status) => ORDER_EVENTS.map((event) => ({ status, event })));

describe('order transition table', () => {
  it('has a row for every status and the exact status strings', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    expect(ORDER_STATUSES).toEqual([
      'Initialized',
      'Denied',
      'Submitted',
      'Accepted',
      'PartiallyFilled',
      'Filled',
      'Canceled',
      'Rejected',
      'Expired',
      'PendingCancel',
      'PendingUpdate',
    ]);
  });

  it('open and terminal are disjoint; Initialized is neither', () => {
    for (const s of ORDER_STATUSES) expect(isOpen(s) && isTerminal(s)).toBe(false);
    expect(isOpen('Initialized') || isTerminal('Initialized')).toBe(false);
    expect(ORDER_STATUSES.filter(isTerminal)).toEqual([
      'Denied',
      'Filled',
      'Canceled',
      'Rejected',
      'Expired',
    ]);
  });

  it.each(cells)('$status + $event follows the table', ({ status, event }) => {
    const invalid: InvalidTransition[] = [];
    const store = makeStore(invalid);
    const id = newOrder(store);
    driveTo(store, id, status);
    const before = { ...store.get(id)! };
    const counters = { ...store.counters };
    const cell = transitionOf(status, event);
    const result = send(store, id, event);
    const after = store.get(id)!;

    if (cell === undefined) {
      expect(result).toBe('invalid');
      expect({ ...after }).toEqual(before);
      expect(store.counters.invalidTransitions).toBe(counters.invalidTransitions + 1);
      expect(invalid).toEqual([
        { orderId: id, status, event, reason: 'no_transition', ts: event === 'fill' ? 1 : 10 },
      ]);
      return;
    }
    expect(invalid).toEqual([]);
    if (cell === 'duplicate' || cell === 'late') {
      expect(result).toBe(cell);
      expect({ ...after }).toEqual(before);
      const key = cell === 'late' ? 'lateReports' : 'duplicateReports';
      expect(store.counters[key]).toBe(counters[key] + 1);
      return;
    }
    // An ack while pending whose saved status is already Accepted changes nothing.
    const noChange = event === 'accept' && (status === 'PendingCancel' || status === 'PendingUpdate');
    expect(result).toBe(noChange ? 'duplicate' : 'applied');
    const expected: OrderStatus = cell === 'previous' ? 'Accepted' : cell;
    expect(after.status).toBe(expected);
  });

  it.each(
    ORDER_STATUSES.filter((s) => {
      const c = transitionOf(s, 'fill');
      return c !== undefined;
    }),
  )('a fill completing an order from %s goes to Filled', (status) => {
    const store = makeStore();
    const id = newOrder(store);
    driveTo(store, id, status);
    const o = store.get(id)!;
    expect(store.applyFill(id, fill(o.size - o.filled))).toBe('applied');
    expect(o.status).toBe('Filled');
    expect(store.openCount).toBe(0);
    expect(store.pendingSize(0, 'buy')).toBe(0);
  });

  it('every terminal status except Canceled/Expired refuses a fill', () => {
    for (const s of ORDER_STATUSES.filter(isTerminal)) {
      expect(transitionOf(s, 'fill') === undefined).toBe(s !== 'Canceled' && s !== 'Expired');
    }
  });
});
