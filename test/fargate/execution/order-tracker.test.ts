import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VenueRequestError } from '../../../fargate/execution/execution-outcome.ts';
import { OrderTracker } from '../../../fargate/execution/order-tracker.ts';

function recording() {
  const events: string[] = [];
  const tracker = new OrderTracker(() => 1_000_000);
  tracker.reports = {
    accepted: (id) => events.push(`accepted ${id}`),
    filled: (id, tradeId, _p, size) => events.push(`filled ${id} ${tradeId} ${size}`),
    canceled: (id) => events.push(`canceled ${id}`),
    rejected: (id, reason) => events.push(`rejected ${id} ${reason}`),
    amended: () => events.push('amended'),
    requestRejected: (id, reason, isAmend) => events.push(`requestRejected ${id} ${reason} ${isAmend}`),
    expired: (id) => events.push(`expired ${id}`),
  };
  return { tracker, events };
}

const fill = (tradeId: string, size = 5) => ({
  tradeId,
  price: 100,
  size,
  fee: '0.01',
  feeAsset: 'USDT',
  maker: false,
  timeMs: 1000,
});

describe('OrderTracker', () => {
  it('reports each venue trade once however often the polls list it, and acks once before the first fill', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 40 }), (ids) => {
        const { tracker, events } = recording();
        const t = tracker.add(1, 0, 'buy', 'c1', 100, 1000);
        for (const id of ids) tracker.fill(t, fill(`T${id}`));
        const unique = new Set(ids);
        expect(events.filter((e) => e.startsWith('filled'))).toHaveLength(unique.size);
        expect(events.filter((e) => e.startsWith('accepted'))).toHaveLength(unique.size > 0 ? 1 : 0);
        if (unique.size > 0) expect(events[0]).toBe('accepted 1');
        expect(tracker.counters.duplicateFills).toBe(ids.length - unique.size);
        expect(t.reported).toBe(unique.size * 5);
      }),
    );
  });

  it('keeps scopes apart: the same trade id on the buy and the sell side are two fills (a self-trade)', () => {
    const { tracker, events } = recording();
    const buy = tracker.add(1, 0, 'buy', 'b', 100, 10);
    const sell = tracker.add(2, 0, 'sell', 's', 100, 10);
    expect(tracker.fill(buy, fill('T1'))).toBe(true);
    expect(tracker.fill(sell, fill('T1'))).toBe(true);
    expect(events.filter((e) => e.startsWith('filled'))).toHaveLength(2);
  });

  it('counts a malformed fill (non-integer or non-positive units) instead of reporting it', () => {
    const { tracker, events } = recording();
    const t = tracker.add(1, 0, 'buy', 'c', 100, 10);
    expect(tracker.fill(t, { ...fill('T1'), size: Number.NaN })).toBe(false);
    expect(tracker.fill(t, { ...fill('T2'), price: 0 })).toBe(false);
    expect(tracker.counters.malformedFills).toBe(2);
    expect(events).toEqual([]);
  });

  it('terminal reports come once; outcomes map to reject, request-reject, halt or a query', () => {
    const { tracker, events } = recording();
    const halts: number[] = [];
    const withHalt = new OrderTracker(
      () => 0,
      (code) => halts.push(code),
    );
    withHalt.reports = tracker.reports;
    const t = tracker.add(1, 0, 'buy', 'c', 100, 10);
    tracker.canceled(t);
    tracker.canceled(t);
    tracker.expired(t);
    expect(events).toEqual(['accepted 1', 'canceled 1']);
    const reject = new VenueRequestError(
      { kind: 'reject', reason: 'insufficient_margin', code: 200004, message: 'Balance insufficient!' },
      400,
    );
    const t2 = tracker.add(2, 0, 'buy', 'c2', 100, 10);
    expect(tracker.failed(t2, reject, undefined)).toBe(false);
    const t3 = tracker.add(3, 0, 'buy', 'c3', 100, 10);
    expect(tracker.failed(t3, reject, false)).toBe(false);
    const unknown = new VenueRequestError({ kind: 'unknown-status', code: 0, message: 'timeout' }, 0);
    expect(tracker.failed(t3, unknown, false)).toBe(true);
    expect(tracker.failed(t3, new Error('socket hang up'), false)).toBe(true);
    const t4 = withHalt.add(4, 0, 'buy', 'c4', 100, 10);
    withHalt.failed(
      t4,
      new VenueRequestError({ kind: 'halt', code: 401, message: 'Unauthorized' }, 401),
      undefined,
    );
    expect(events.slice(2)).toEqual([
      'rejected 2 insufficient_margin',
      'requestRejected 3 insufficient_margin false',
      'rejected 4 trading_halted',
    ]);
    expect(halts).toEqual([401]);
    expect(tracker.counters.unknownQueried).toBe(2);
  });

  it('an adopted order counts the fills the OMS already has and is found by its venue id', () => {
    const { tracker, events } = recording();
    const t = tracker.adopt(9, {
      instrument: 0,
      venueOrderId: 'V9',
      clientOrderId: 'c9',
      side: 'sell',
      price: 100,
      size: 10,
      filled: 4,
    });
    expect(tracker.byVenueId('V9')).toBe(t);
    expect(t.reported).toBe(4);
    tracker.fill(t, fill('T1', 6));
    expect(events).toEqual(['filled 9 T1 6']);
  });
});
