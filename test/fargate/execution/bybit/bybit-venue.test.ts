import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { type CheckedMint, claimCheckedMint } from '../../../../core/risk/order-check.ts';
import type { ExecutionReports } from '../../../../core/trading/execution-venue.ts';
import type { BybitRest } from '../../../../fargate/execution/bybit/bybit-rest.ts';
import { BybitVenue } from '../../../../fargate/execution/bybit/bybit-venue.ts';

const mint = claimCheckedMint() as CheckedMint;
const BTC = makeInstrument({
  exchange: 'bybit',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 1,
  sizeScale: 3,
});

interface Exec {
  execId: string;
  qty: number;
}

const execution = (e: Exec) => ({
  symbol: 'BTCUSDT',
  orderId: 'o-7',
  orderLinkId: 'c-1',
  execId: e.execId,
  execType: 'Trade',
  side: 'Buy',
  execPrice: '100.0',
  execQty: (e.qty / 1000).toFixed(3),
  execFee: '0.01',
  isMaker: true,
  execTime: '1700000000000',
});

const orderRecord = (status: string, rejectReason = 'EC_NoError', timeInForce = 'GTC') => ({
  symbol: 'BTCUSDT',
  orderId: 'o-7',
  orderLinkId: 'c-1',
  orderStatus: status,
  rejectReason,
  timeInForce,
  cumExecQty: '0',
});

function setUp(execs: Exec[] = [], status = 'PartiallyFilled') {
  const reports: string[] = [];
  const filled: Array<{ tradeId: string; size: number }> = [];
  const sink = {
    accepted: () => reports.push('accepted'),
    filled: (_id: number, tradeId: string, _p: number, size: number) => filled.push({ tradeId, size }),
    canceled: () => reports.push('canceled'),
    rejected: (_id: number, reason: string) => reports.push(`rejected:${reason}`),
    amended: () => reports.push('amended'),
    requestRejected: () => reports.push('requestRejected'),
    expired: () => reports.push('expired'),
  } satisfies ExecutionReports;
  const rest = {
    banned: false,
    signed: async (method: string, path: string) => {
      if (method === 'POST') return { orderId: 'o-7', orderLinkId: 'c-1' };
      if (path === '/v5/execution/list') return { list: execs.map(execution) };
      return { list: [orderRecord(status)] };
    },
  } as unknown as BybitRest;
  const venue = new BybitVenue({ rest, instruments: [BTC], nowMicros: () => 1 });
  venue.connect(sink);
  venue.submit(
    mint.order({
      id: 1,
      instrument: 0,
      side: 'buy',
      type: 'limit',
      price: 1000,
      size: 1_000_000,
      postOnly: false,
      ioc: false,
    }),
    'c-1',
    0,
  );
  return { venue, reports, filled };
}

describe('BybitVenue fills: stream and REST recovery report each execution once', () => {
  it('any mix of stream deliveries (repeats included) followed by recovery', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (ids, picks) => {
          const execs = ids.map((execId, i) => ({ execId, qty: 10 * (i + 1) }));
          const { venue, filled } = setUp(execs);
          await venue.settled();
          for (const p of picks)
            venue.onStreamFrame({ topic: 'execution', data: [execution(execs[p % execs.length]!)] });
          await venue.recover();
          expect(filled.map((f) => f.tradeId).sort()).toEqual(ids.slice().sort());
          expect(filled.reduce((s, f) => s + f.size, 0)).toBe(execs.reduce((s, e) => s + e.qty, 0));
          expect(venue.counters.duplicateFills).toBe(picks.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a malformed record is counted, not applied; other topics are ignored', () => {
    const { venue, filled } = setUp();
    venue.onStreamFrame({ topic: 'execution', data: [{ symbol: 'BTCUSDT', orderId: 'o-7' }, 'x'] });
    venue.onStreamFrame({ topic: 'order', data: 'not a list' });
    venue.onStreamFrame({ topic: 'wallet', data: [{}] });
    expect(venue.counters.malformedEvents).toBe(3);
    expect(filled).toHaveLength(0);
  });
});

describe('BybitVenue order records', () => {
  it.each([
    [['New'], ['accepted']],
    [
      ['New', 'Cancelled'],
      ['accepted', 'canceled'],
    ],
    [['Cancelled:EC_PostOnlyWillTakeLiquidity'], ['rejected:post_only_cross']],
    [
      ['New', 'Cancelled:EC_NoImmediateQtyToFill'],
      ['accepted', 'expired'],
    ],
    [['PartiallyFilledCanceled:EC_NoError:IOC'], ['accepted', 'expired']],
    [['Rejected'], ['rejected:venue_rejected']],
    [['Filled', 'Filled:EC_OrigClOrdIDDoesNotExist', 'Cancelled'], ['accepted']],
  ])('%j → %j', (statuses, expected) => {
    const { venue, reports } = setUp();
    for (const s of statuses) {
      const [status, reason, tif] = s.split(':');
      venue.onStreamFrame({ topic: 'order', data: [orderRecord(status!, reason, tif)] });
    }
    expect(reports).toEqual(expected);
  });

  it('a terminal order whose record shows more filled than reported is recovered after a reconnect', async () => {
    const { venue, filled } = setUp([{ execId: 'e-1', qty: 500 }], 'Filled');
    await venue.settled();
    venue.onStreamFrame({ topic: 'order', data: [{ ...orderRecord('Filled'), cumExecQty: '0.5' }] });
    expect(venue.working).toBe(0);
    await venue.recover();
    expect(filled).toEqual([{ tradeId: 'e-1', size: 500 }]);
  });
});
