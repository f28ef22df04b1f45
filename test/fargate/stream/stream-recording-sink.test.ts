import { describe, expect, it } from 'vitest';
import type { TradeEvent } from '../../../core/market/events.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { InProcessStream } from '../../../fargate/stream/in-process-stream.ts';
import { MAX_BYTES_PER_RECORD } from '../../../fargate/stream/put-records-limits.ts';
import { type RowsPayload, rowsPayloadSchema } from '../../../fargate/stream/rows-payload.ts';
import type { StreamName, StreamRecord } from '../../../fargate/stream/stream-port.ts';
import { StreamRecordingSink } from '../../../fargate/stream/stream-recording-sink.ts';

const BTC = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 8,
});

const trade = (i: number): TradeEvent => ({
  type: 'trade',
  exchange: 'binance',
  symbol: 'BTC/USDT',
  exchangeTs: 1_000 + i,
  localTs: 1_765_000_000_000_000 + i,
  tradeId: `t${i}`,
  price: 6183764 + i,
  size: 100 + i,
  side: i % 2 === 0 ? 'buy' : 'sell',
});

async function recordThrough(fill: (r: Recorder) => void) {
  const stream = new InProcessStream();
  const got: Array<{ stream: StreamName; record: StreamRecord; payload: RowsPayload }> = [];
  for (const name of ['raw', 'normalized'] as const)
    stream.subscribe(name, (record) =>
      got.push({
        stream: name,
        record,
        payload: rowsPayloadSchema.parse(JSON.parse(Buffer.from(record.data).toString())),
      }),
    );
  const sink = new StreamRecordingSink(stream);
  const recorder = new Recorder({
    sink,
    session: 1_765_000_000_000_000,
    pollIntervalMs: 0,
    policy: { maxRows: 50_000, maxDelayMs: 1e9 },
  });
  fill(recorder);
  await recorder.close();
  await stream.flush();
  return { got, sink };
}

describe('StreamRecordingSink', () => {
  it('publishes raw frames on raw and trades on normalized, keyed exchange:symbol, numbered per key', async () => {
    const { got, sink } = await recordThrough((r) => {
      r.recordMessage('binance', '0.0', 1_765_000_000_000_000, '{"e":"depthUpdate","s":"BTCUSDT"}');
      r.recordTrade(trade(0), BTC);
      r.recordTrade(trade(1), BTC);
    });
    const raw = got.filter((g) => g.stream === 'raw');
    const normalized = got.filter((g) => g.stream === 'normalized');
    expect(raw).toHaveLength(1);
    expect(raw[0]!.record.partitionKey).toBe('binance:ALL');
    expect(raw[0]!.payload).toMatchObject({
      origin: 'raw',
      table: 'raw',
      rows: 1,
      seq: 0,
      texts: ['0.0', '', '{"e":"depthUpdate","s":"BTCUSDT"}'],
    });
    expect(normalized).toHaveLength(1);
    expect(normalized[0]!.record.partitionKey).toBe('binance:BTC-USDT');
    expect(normalized[0]!.payload).toMatchObject({
      table: 'trade',
      rows: 2,
      venueSymbol: 'BTCUSDT',
      texts: ['t0', 't1'],
    });
    expect(sink.stats()).toEqual({ records: 2, rows: 3, oversizeRows: 0 });
  });

  it('splits a partition into records under 1 MiB, with consecutive sequences and every row once', async () => {
    const frame = `{"data":"${'x'.repeat(40_000)}"}`;
    const { got } = await recordThrough((r) => {
      for (let i = 0; i < 60; i++) r.recordMessage('kraken', '0.0', 1_765_000_000_000_000 + i, frame);
    });
    expect(got.length).toBeGreaterThan(2);
    for (const g of got) expect(g.record.data.byteLength).toBeLessThan(MAX_BYTES_PER_RECORD);
    expect(got.map((g) => g.payload.seq)).toEqual(got.map((_, i) => i));
    expect(got.reduce((n, g) => n + g.payload.rows, 0)).toBe(60);
    const recSeqs = got.flatMap((g) =>
      Array.from({ length: g.payload.rows }, (_, k) => g.payload.numbers[k * 4 + 1]),
    );
    expect(new Set(recSeqs).size).toBe(60);
  });

  it('refuses a single row over the record limit, counted', async () => {
    const { got, sink } = await recordThrough((r) =>
      r.recordMessage('kraken', '0.0', 1, 'y'.repeat(MAX_BYTES_PER_RECORD)),
    );
    expect(got).toHaveLength(0);
    expect(sink.stats().oversizeRows).toBe(1);
  });
});

describe('rowsPayloadSchema', () => {
  const good = {
    v: 1,
    origin: 'normalized',
    table: 'trade',
    exchange: 'binance',
    symbol: 'BTC-USDT',
    venueSymbol: 'BTCUSDT',
    session: 1,
    seq: 0,
    rows: 1,
    numbers: [0, 1, 2, 3, 0, 5, 6, 2, 8],
    texts: ['t'],
  };
  it('accepts a well-formed payload', () => {
    expect(rowsPayloadSchema.safeParse(good).success).toBe(true);
  });
  it.each([
    ['an unknown table', { table: 'orders' }],
    ['numbers that do not fill the rows', { numbers: [1, 2] }],
    ['texts that do not fill the rows', { texts: [] }],
    ['a symbol that is not path-safe', { symbol: '../etc' }],
    ['an unknown field', { extra: 1 }],
    ['a fractional sequence', { seq: 1.5 }],
  ])('refuses %s', (_, change) => {
    expect(rowsPayloadSchema.safeParse({ ...good, ...change }).success).toBe(false);
  });
});
