/** One hand-written record of each kind, and a fast-check arbitrary for random ones. */
import fc from 'fast-check';
import { EXCHANGES } from '../../../../core/market/exchange.ts';
import type { JournalEntry, JournalRecord, JsonValue } from '../../../../core/oms/journal/journal-record.ts';
import { ORDER_STATUSES } from '../../../../core/oms/order-status.ts';
import { ORDER_EVENTS } from '../../../../core/oms/order-transitions.ts';
import { TRADING_STATES } from '../../../../core/risk/trading-state.ts';

/** 2024-08-08T23:59:59.000000Z, 1 s before a UTC midnight. */
export const BEFORE_MIDNIGHT_US = Date.parse('2024-08-08T23:59:59Z') * 1000;

export function orderEntry(
  ts: number,
  orderId: number,
  event: 'submit' | 'accept' | 'fill' | 'canceled' | 'cancel_request' = 'accept',
): JournalEntry {
  const status = {
    submit: 'Submitted',
    accept: 'Accepted',
    fill: 'Filled',
    canceled: 'Canceled',
    cancel_request: 'PendingCancel',
  } as const;
  return {
    kind: 'order',
    ts,
    orderId,
    clientOrderId: `c-${orderId}`,
    ...(event === 'submit' ? {} : { venueOrderId: `v-${orderId}` }),
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    price: 6_183_764,
    size: 1_500,
    filled: event === 'fill' ? 1_500 : 0,
    priceScale: 2,
    sizeScale: 5,
    status: status[event],
    event,
  };
}

export function fillEntry(ts: number, orderId: number): JournalEntry {
  return {
    kind: 'fill',
    ts,
    orderId,
    clientOrderId: `c-${orderId}`,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: 'buy',
    tradeId: `t-${orderId}`,
    price: 6_183_764,
    size: 1_500,
    priceScale: 2,
    sizeScale: 5,
    fee: -93,
    feeScale: 4,
    feeCurrency: 'USDT',
    maker: true,
    venue: 'sim',
  };
}

export const SAMPLES: readonly JournalRecord[] = [
  { ...orderEntry(1_723_161_599_000_000, 7, 'submit'), seq: 1 } as JournalRecord,
  { ...fillEntry(1_723_161_599_100_000, 7), seq: 2 } as JournalRecord,
  {
    kind: 'risk',
    seq: 3,
    ts: 1_723_161_599_000_000,
    orderId: 8,
    outcome: 'denied',
    reason: 'MAX_NOTIONAL_EXCEEDED',
    detail: 'notional=120000 limit=100000',
  },
  { kind: 'risk', seq: 4, ts: 1_723_161_599_000_000, orderId: 9, outcome: 'accepted' },
  {
    kind: 'state',
    seq: 5,
    ts: 1_723_161_600_000_000,
    from: 'ACTIVE',
    to: 'HALTED',
    reason: 'kill switch',
    breaker: { state: 'HALTED', reason: 'manual', at: 1_723_161_600_000_000 },
  },
  {
    kind: 'params',
    seq: 6,
    ts: 1_723_161_600_000_001,
    target: 'risk',
    old: { maxNotional: 100_000 },
    new: { maxNotional: 50_000 },
  },
  {
    kind: 'control',
    seq: 7,
    ts: 1_723_161_600_000_002,
    action: 'kill',
    detail: { source: 'http', note: 'manual' },
  },
  {
    kind: 'session',
    seq: 8,
    ts: 1_723_161_500_000_000,
    phase: 'start',
    instance: 'task-1',
    epoch: 3,
    strategy: 'market-maker',
    params: { spread_bps: 10 },
    seed: 42,
    configHash: 'sha256:ab12',
  },
];

const jsonKey = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter(
    (k) =>
      !/token|secret|password|passphrase|api[-_]?key|private[-_]?key|signature|credential/i.test(k) &&
      k !== '__proto__',
  );
const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
    fc.string({ maxLength: 10 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(jsonKey, tie('v'), { maxKeys: 3 }),
  ),
})).v;

const id = fc.string({ minLength: 1, maxLength: 12 });
const units = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const scale = fc.integer({ min: 0, max: 18 });
const seqTs = { seq: fc.nat({ max: Number.MAX_SAFE_INTEGER }), ts: fc.nat({ max: 4_102_444_800_000_000 }) };
const instrument = {
  orderId: fc.nat(),
  clientOrderId: id,
  exchange: fc.constantFrom(...EXCHANGES),
  symbol: id,
  side: fc.constantFrom('buy' as const, 'sell' as const),
};

export const anyRecord: fc.Arbitrary<JournalRecord> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('order' as const),
      ...seqTs,
      ...instrument,
      venueOrderId: id,
      type: fc.constantFrom('limit' as const, 'market' as const),
      price: fc.option(units, { nil: null }),
      size: units,
      filled: units,
      priceScale: scale,
      sizeScale: scale,
      status: fc.constantFrom(...ORDER_STATUSES),
      event: fc.constantFrom(...ORDER_EVENTS),
      reason: fc.string({ maxLength: 30 }),
    },
    {
      requiredKeys: [
        'kind',
        'seq',
        'ts',
        'orderId',
        'clientOrderId',
        'exchange',
        'symbol',
        'side',
        'type',
        'price',
        'size',
        'filled',
        'priceScale',
        'sizeScale',
        'status',
        'event',
      ],
    },
  ),
  fc.record({
    kind: fc.constant('fill' as const),
    ...seqTs,
    ...instrument,
    tradeId: id,
    price: units,
    size: units,
    priceScale: scale,
    sizeScale: scale,
    fee: fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    feeScale: scale,
    feeCurrency: id,
    maker: fc.boolean(),
    venue: id,
  }),
  fc.record(
    {
      kind: fc.constant('risk' as const),
      ...seqTs,
      orderId: fc.nat(),
      outcome: fc.constantFrom('accepted' as const, 'denied' as const),
      reason: fc.string({ maxLength: 30 }),
      detail: fc.string({ maxLength: 30 }),
    },
    { requiredKeys: ['kind', 'seq', 'ts', 'orderId', 'outcome'] },
  ),
  fc.record({
    kind: fc.constant('state' as const),
    ...seqTs,
    from: fc.constantFrom(...TRADING_STATES),
    to: fc.constantFrom(...TRADING_STATES),
    reason: fc.string({ maxLength: 30 }),
    breaker: fc.record({
      state: fc.constantFrom(...TRADING_STATES),
      reason: fc.string({ maxLength: 30 }),
      at: seqTs.ts,
    }),
  }),
  fc.record({
    kind: fc.constant('params' as const),
    ...seqTs,
    target: fc.constantFrom('risk' as const, 'strategy' as const),
    old: jsonValue,
    new: jsonValue,
  }),
  fc.record({
    kind: fc.constant('control' as const),
    ...seqTs,
    action: fc.constantFrom(
      'kill' as const,
      'reset' as const,
      'risk_params' as const,
      'strategy_params' as const,
    ),
    detail: jsonValue,
  }),
  fc.record({
    kind: fc.constant('session' as const),
    ...seqTs,
    phase: fc.constantFrom('start' as const, 'stop' as const),
    instance: id,
    epoch: fc.nat(),
    strategy: id,
    params: jsonValue,
    seed: fc.nat(),
    configHash: id,
  }),
);
