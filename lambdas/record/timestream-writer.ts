/**
 * The time-series store port's write side on Amazon Timestream for LiveAnalytics: one multi-measure
 * record per point (dimensions exchange and symbol, time in µs), at most 100 records per
 * WriteRecords request, the attributes all records share sent once as CommonAttributes. Prices and
 * sizes are VARCHAR measures, so they stay exact. Queries go through Timestream's query API (or
 * Athena over the archive), not through this writer.
 *
 * Rejected records (RejectedRecordsException: a point already stored with other values, a time
 * outside the memory store's window) would be rejected again on a retry, so they are counted and
 * reported through `onRejected` with their index in the call's points, and the rest of the call goes on.
 *
 * Timestream for LiveAnalytics is closed to new AWS accounts (since 2025-06-20): the record Lambda
 * uses it only where an environment turns it on (TIMESTREAM_DATABASE / TIMESTREAM_TABLE).
 */
import {
  type _Record,
  RejectedRecordsException,
  type TimestreamWriteClient,
  WriteRecordsCommand,
} from '@aws-sdk/client-timestream-write';
import type {
  QualityPoint,
  TimeSeriesStore,
  TopOfBookPoint,
} from '../../core/recording/time-series-store.ts';

export type TimeSeriesWriter = Pick<TimeSeriesStore, 'writeTopOfBook' | 'writeQuality' | 'close'>;

export const MAX_RECORDS_PER_WRITE = 100;

export interface RejectedPoint {
  readonly measure: 'top_of_book' | 'quality';
  /** Index in the points of the write call. */
  readonly index: number;
  readonly reason: string;
}

export interface TimestreamWriterOptions {
  readonly client: Pick<TimestreamWriteClient, 'send'>;
  readonly database: string;
  readonly table: string;
  readonly onRejected?: (rejected: RejectedPoint) => void;
}

export class TimestreamWriter implements TimeSeriesWriter {
  rejected = 0;
  written = 0;

  constructor(private readonly options: TimestreamWriterOptions) {}

  writeTopOfBook(points: readonly TopOfBookPoint[]): Promise<void> {
    return this.write('top_of_book', points, (p) => [
      ['bid_price', p.bidPrice],
      ['bid_size', p.bidSize],
      ['ask_price', p.askPrice],
      ['ask_size', p.askSize],
    ]);
  }

  writeQuality(points: readonly QualityPoint[]): Promise<void> {
    return this.write('quality', points, (p) => [
      ['score', String(p.score), 'DOUBLE'],
      ['issues', p.issues.join('; ')],
    ]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async write<P extends { exchange: string; symbol: string; ts: number }>(
    measure: RejectedPoint['measure'],
    points: readonly P[],
    measures: (p: P) => Array<[string, string | null, ('DOUBLE' | 'VARCHAR')?]>,
  ): Promise<void> {
    for (let from = 0; from < points.length; from += MAX_RECORDS_PER_WRITE) {
      const chunk = points.slice(from, from + MAX_RECORDS_PER_WRITE);
      const records: _Record[] = chunk.map((p) => ({
        Dimensions: [
          { Name: 'exchange', Value: p.exchange },
          { Name: 'symbol', Value: p.symbol },
        ],
        Time: String(Math.trunc(p.ts)),
        // A measure without a value (an empty side) is left out: Timestream has no NULL measure.
        MeasureValues: measures(p)
          .filter((m): m is [string, string, ('DOUBLE' | 'VARCHAR')?] => m[1] !== null && m[1] !== '')
          .map(([Name, Value, Type]) => ({ Name, Value, Type: Type ?? 'VARCHAR' })),
      }));
      try {
        await this.options.client.send(
          new WriteRecordsCommand({
            DatabaseName: this.options.database,
            TableName: this.options.table,
            CommonAttributes: { MeasureName: measure, MeasureValueType: 'MULTI', TimeUnit: 'MICROSECONDS' },
            Records: records,
          }),
        );
        this.written += records.length;
      } catch (error) {
        if (!(error instanceof RejectedRecordsException)) throw error;
        const rejected = error.RejectedRecords ?? [];
        this.rejected += rejected.length;
        this.written += records.length - rejected.length;
        for (const r of rejected)
          this.options.onRejected?.({ measure, index: from + (r.RecordIndex ?? 0), reason: r.Reason ?? '' });
      }
    }
  }
}
