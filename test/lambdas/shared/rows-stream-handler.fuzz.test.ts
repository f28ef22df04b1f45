/**
 * The stream functions' shared handler (normalize and record run on it) under batches that mix
 * good records with hostile ones: data that is not base64, base64 of text that is not JSON, JSON
 * that is not a rows payload, real payloads with one field mutated, deep nesting. The handler never
 * throws (a throw fails the whole batch, good records included); every bad record, and only those,
 * is reported in batchItemFailures by its sequence number; every good record is processed once.
 */
import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAW_TABLE } from '../../../core/recording/recording-tables.ts';
import {
  ROWS_PAYLOAD_VERSION,
  type RowsPayload,
  rowsPayloadSchema,
} from '../../../fargate/stream/rows-payload.ts';
import { kinesisEvent } from '../../../local/cloud/kinesis-event.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

const { observability } = await import('../../../lambdas/shared/observability.ts');
const { rowsStreamHandler } = await import('../../../lambdas/shared/rows-stream-handler.ts');

/** Idempotency records in memory, with the DynamoDB layer's conditional-put semantics. */
class MemoryPersistence extends BasePersistenceLayer {
  private readonly records = new Map<string, IdempotencyRecord>();

  protected async _getRecord(key: string): Promise<IdempotencyRecord> {
    const record = this.records.get(key);
    if (!record) throw new IdempotencyItemNotFoundError(`no record ${key}`);
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing && !existing.isExpired())
      throw new IdempotencyItemAlreadyExistsError(`record ${record.idempotencyKey} exists`, existing);
    this.records.set(record.idempotencyKey, record);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}

const context = {
  functionName: 'rows-fuzz',
  awsRequestId: 'fuzz',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

function rawPayload(seq: number): RowsPayload {
  return {
    v: ROWS_PAYLOAD_VERSION,
    origin: 'raw',
    table: 'raw',
    exchange: 'binance',
    symbol: 'ALL',
    venueSymbol: '',
    session: 1_722_000_000_000_000,
    seq,
    rows: 1,
    numbers: RAW_TABLE.numbers.map(() => 0),
    texts: RAW_TABLE.texts.map(() => '{"e":"depthUpdate"}'),
  };
}

type Data =
  | { readonly kind: 'good'; readonly text: string }
  | { readonly kind: 'bad'; readonly data: string };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A record's data: good (a valid payload) or surely bad, as base64 the way Kinesis hands it over. */
const dataArb = (seq: number): fc.Arbitrary<Data> => {
  const good = JSON.stringify(rawPayload(seq));
  const keys = Object.keys(rawPayload(seq));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Data>({ kind: 'good', text: good }) },
    // Not base64 at all: characters outside the alphabet.
    fc.string({ minLength: 1, maxLength: 80 }).map<Data>((s) => ({ kind: 'bad', data: `!${s}\u0000` })),
    // Base64 of text that is not JSON.
    fc.string({ maxLength: 80 }).map<Data>((s) => ({ kind: 'bad', data: b64(`{${s}`) })),
    // Base64 of JSON that is no payload.
    fc.json({ maxDepth: 3 }).map<Data>((j) => ({ kind: 'bad', data: b64(j) })),
    // The payload, truncated.
    fc
      .integer({ min: 1, max: good.length - 1 })
      .map<Data>((n) => ({ kind: 'bad', data: b64(good.slice(0, n)) })),
    // The payload with one field replaced (huge numbers, strings for numbers, nesting) or added;
    // good or bad as the schema says.
    fc
      .tuple(
        fc.constantFrom(...keys, '__proto__', 'extra'),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom('1e400', '-1', '9007199254740993', '"12"', '[[[[]]]]', '{"$ne":1}'),
        ),
      )
      .map<Data>(([key, value]) => {
        const text = `${good.slice(0, -1)},${JSON.stringify(key)}:${typeof value === 'string' && /^[-\d["{]/.test(value) ? value : JSON.stringify(value)}}`;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return { kind: 'bad', data: b64(text) };
        }
        return rowsPayloadSchema.safeParse(parsed).success
          ? { kind: 'good', text }
          : { kind: 'bad', data: b64(text) };
      }),
    // Deep nesting.
    fc
      .integer({ min: 1_000, max: 20_000 })
      .map<Data>((d) => ({ kind: 'bad', data: b64('['.repeat(d) + ']'.repeat(d)) })),
  );
};

const batchArb = fc
  .integer({ min: 1, max: 12 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => dataArb(i + 1))));

let batches = 0;

function eventOf(datas: readonly Data[]): KinesisStreamEvent {
  batches++;
  const event = kinesisEvent(
    { streamName: 'raw', shardId: 'shardId-000000000000', region: 'ap-northeast-1' },
    datas.map((_, i) => ({
      SequenceNumber: `${batches}${String(i).padStart(4, '0')}`,
      PartitionKey: 'binance:ALL',
      Data: new Uint8Array(),
      ApproximateArrivalTimestamp: new Date(1_722_000_000_000),
    })),
  );
  event.Records.forEach((r, i) => {
    const d = datas[i]!;
    r.kinesis.data = d.kind === 'good' ? b64(d.text) : d.data;
  });
  return event;
}

describe('rows stream handler under hostile records', () => {
  it('reports exactly the bad records, processes every good one, never throws', async () => {
    let session = 0;
    const processed: string[] = [];
    const handler = rowsStreamHandler({
      name: 'fuzz',
      observability: observability('rows-fuzz'),
      persistence: new MemoryPersistence(),
      process: async (payload, record) => {
        processed.push(record.kinesis.sequenceNumber);
        return { rows: payload.rows };
      },
    });
    const seen = new Set<string>();
    let bad = 0;
    let allBad = 0;
    await fc.assert(
      fc.asyncProperty(batchArb, async (datas) => {
        processed.length = 0;
        session++;
        // A fresh session per batch: each batch's records are new identities.
        const event = eventOf(
          datas.map((d) =>
            d.kind === 'good'
              ? { kind: 'good', text: d.text.replace('"session":1722000000000000', `"session":${session}`) }
              : d,
          ),
        );
        const response = await handler(event, context);
        const failed = response.batchItemFailures.map((f) => f.itemIdentifier);
        const expectedBad = event.Records.filter((_, i) => datas[i]!.kind === 'bad').map(
          (r) => r.kinesis.sequenceNumber,
        );
        // A good record whose identity was seen before gets its stored result and is not run again.
        const expectedGood = event.Records.filter((r, i) => {
          if (datas[i]!.kind !== 'good') return false;
          const payload = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as unknown;
          if (!rowsPayloadSchema.safeParse(payload).success) return false;
          const p = payload as RowsPayload;
          const identity = `${p.origin}|${p.exchange}|${p.symbol}|${p.session}|${p.seq}`;
          if (seen.has(identity)) return false;
          seen.add(identity);
          return true;
        }).map((r) => r.kinesis.sequenceNumber);
        expect(failed).toEqual(expectedBad);
        expect(processed).toEqual(expectedGood);
        bad += expectedBad.length;
        if (expectedBad.length === datas.length) allBad++;
      }),
      { seed: 20261207, numRuns: 100 },
    );
    expect(bad).toBeGreaterThan(50);
    // A batch of nothing but bad records is answered too (no whole-batch throw).
    expect(allBad).toBeGreaterThan(0);
  }, 60_000);
});
