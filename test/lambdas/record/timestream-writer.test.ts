import {
  RejectedRecordsException,
  TimestreamWriteClient,
  WriteRecordsCommand,
} from '@aws-sdk/client-timestream-write';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TopOfBookPoint } from '../../../core/recording/time-series-store.ts';
import { type RejectedPoint, TimestreamWriter } from '../../../lambdas/record/timestream-writer.ts';

const mock = mockClient(TimestreamWriteClient);

const point = (i: number): TopOfBookPoint => ({
  exchange: 'binance',
  symbol: 'BTC-USDT',
  ts: 1_765_000_000_000_000 + i,
  bidPrice: '61837.64',
  bidSize: '0.5',
  askPrice: i % 2 === 0 ? '61837.65' : null,
  askSize: i % 2 === 0 ? '1' : null,
});

describe('TimestreamWriter', () => {
  beforeEach(() => mock.reset());

  it('writes multi-measure records, 100 per request, with the shared attributes sent once', async () => {
    mock.on(WriteRecordsCommand).resolves({});
    const writer = new TimestreamWriter({
      client: new TimestreamWriteClient({ region: 'ap-northeast-1' }),
      database: 'db',
      table: 'tob',
    });
    await writer.writeTopOfBook(Array.from({ length: 250 }, (_, i) => point(i)));
    const calls = mock.commandCalls(WriteRecordsCommand);
    expect(calls.map((c) => c.args[0].input.Records?.length)).toEqual([100, 100, 50]);
    const input = calls[0]!.args[0].input;
    expect(input).toMatchObject({
      DatabaseName: 'db',
      TableName: 'tob',
      CommonAttributes: { MeasureName: 'top_of_book', MeasureValueType: 'MULTI', TimeUnit: 'MICROSECONDS' },
    });
    expect(input.Records?.[0]).toEqual({
      Dimensions: [
        { Name: 'exchange', Value: 'binance' },
        { Name: 'symbol', Value: 'BTC-USDT' },
      ],
      Time: '1765000000000000',
      MeasureValues: [
        { Name: 'bid_price', Value: '61837.64', Type: 'VARCHAR' },
        { Name: 'bid_size', Value: '0.5', Type: 'VARCHAR' },
        { Name: 'ask_price', Value: '61837.65', Type: 'VARCHAR' },
        { Name: 'ask_size', Value: '1', Type: 'VARCHAR' },
      ],
    });
    // An empty side is left out, not sent as an empty measure.
    expect(input.Records?.[1]?.MeasureValues?.map((m) => m.Name)).toEqual(['bid_price', 'bid_size']);
    expect(writer.written).toBe(250);
  });

  it('counts rejected records with their index in the call and goes on with the next request', async () => {
    mock
      .on(WriteRecordsCommand)
      .rejectsOnce(
        new RejectedRecordsException({
          $metadata: {},
          message: 'rejected',
          RejectedRecords: [{ RecordIndex: 7, Reason: 'duplicate with other values' }],
        }),
      )
      .resolves({});
    const rejected: RejectedPoint[] = [];
    const writer = new TimestreamWriter({
      client: new TimestreamWriteClient({ region: 'ap-northeast-1' }),
      database: 'db',
      table: 'q',
      onRejected: (r) => rejected.push(r),
    });
    await writer.writeQuality(
      Array.from({ length: 150 }, (_, i) => ({
        exchange: 'kraken',
        symbol: 'BTC-USD',
        ts: i,
        score: 90,
        issues: ['stale'],
      })),
    );
    expect(mock.commandCalls(WriteRecordsCommand)).toHaveLength(2);
    expect(rejected).toEqual([{ measure: 'quality', index: 7, reason: 'duplicate with other values' }]);
    expect(writer.rejected).toBe(1);
    expect(writer.written).toBe(149);
  });

  it('throws other errors (the batch is retried)', async () => {
    mock.on(WriteRecordsCommand).rejects(new Error('network down'));
    const writer = new TimestreamWriter({
      client: new TimestreamWriteClient({ region: 'ap-northeast-1' }),
      database: 'd',
      table: 't',
    });
    await expect(writer.writeTopOfBook([point(0)])).rejects.toThrow('network down');
  });
});
