import { describe, expect, it } from 'vitest';
import {
  KinesisStream,
  type PutRecordsRequest,
  type PutRecordsResponse,
  type StreamWarning,
} from '../../../fargate/stream/kinesis-stream.ts';
import { MAX_BYTES_PER_RECORD } from '../../../fargate/stream/put-records-limits.ts';
import { ManualTimers, settle } from './manual-timers.ts';

const names = { raw: 'raw-stream', normalized: 'normalized-stream' };
const rec = (key: string, text: string) => ({ partitionKey: key, data: Buffer.from(text) });
const texts = (r: PutRecordsRequest) => r.Records.map((e) => Buffer.from(e.Data).toString());

function harness(answer: (r: PutRecordsRequest, call: number) => Promise<PutRecordsResponse>, extra = {}) {
  const timers = new ManualTimers();
  const calls: PutRecordsRequest[] = [];
  const warnings: StreamWarning[] = [];
  const stream = new KinesisStream({
    putRecords: (r) => {
      calls.push(r);
      return answer(r, calls.length);
    },
    streamNames: names,
    lingerMs: 50,
    retry: { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0 },
    random: () => 0,
    setTimer: timers.setTimer,
    now: () => timers.now,
    onWarning: (w) => warnings.push(w),
    ...extra,
  });
  return { timers, calls, warnings, stream };
}

const ok = (r: PutRecordsRequest) =>
  Promise.resolve({ FailedRecordCount: 0, Records: r.Records.map(() => ({})) });

describe('KinesisStream', () => {
  it('waits the linger time, then sends one request to the named stream', async () => {
    const h = harness(ok);
    h.stream.publish('raw', rec('binance:ALL', 'a'));
    h.stream.publish('raw', rec('binance:ALL', 'b'));
    expect(h.calls).toHaveLength(0);
    h.timers.advance(50);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.StreamName).toBe('raw-stream');
    expect(texts(h.calls[0]!)).toEqual(['a', 'b']);
    await settle();
    expect(h.stream.stats('raw')).toMatchObject({ accepted: 2, published: 2, pending: 0, requests: 1 });
  });

  it('sends at once when 500 records wait, and no more than 500 in a request', async () => {
    const h = harness(ok);
    for (let i = 0; i < 700; i++) h.stream.publish('normalized', rec(`k:${i % 7}`, String(i)));
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.Records).toHaveLength(500);
    await settle();
    h.timers.advance(50);
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1]!.Records).toHaveLength(200);
  });

  it('sends again only the entries a partial failure reported, after a backoff', async () => {
    const h = harness((r, call) =>
      call === 1
        ? Promise.resolve({
            FailedRecordCount: 2,
            Records: r.Records.map((_, i) =>
              i % 2 === 1 ? { ErrorCode: 'ProvisionedThroughputExceededException' } : {},
            ),
          })
        : ok(r),
    );
    for (const t of ['a', 'b', 'c', 'd']) h.stream.publish('raw', rec('x:ALL', t));
    h.timers.advance(50);
    await settle();
    expect(h.stream.stats('raw')).toMatchObject({ published: 2, retriedEntries: 2, pending: 2 });
    h.timers.advance(99);
    expect(h.calls).toHaveLength(1); // still backing off
    h.timers.advance(1);
    expect(h.calls).toHaveLength(2);
    expect(texts(h.calls[1]!)).toEqual(['b', 'd']);
    await settle();
    expect(h.stream.stats('raw')).toMatchObject({ accepted: 4, published: 4, pending: 0 });
    expect(h.warnings.some((w) => w.type === 'retrying')).toBe(true);
  });

  it('retries a throttled request whole with growing backoff, then resets it', async () => {
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
    });
    const h = harness((r, call) => (call <= 2 ? Promise.reject(throttled) : ok(r)));
    h.stream.publish('raw', rec('x:ALL', 'a'));
    h.timers.advance(50);
    await settle();
    h.timers.advance(100);
    await settle();
    expect(h.calls).toHaveLength(2);
    h.timers.advance(199);
    expect(h.calls).toHaveLength(2);
    h.timers.advance(1);
    await settle();
    expect(h.calls).toHaveLength(3);
    expect(h.stream.stats('raw')).toMatchObject({ throttledRequests: 2, published: 1, pending: 0 });
  });

  it('drops the oldest waiting records past its bound, counted, with one warning per interval', async () => {
    const h = harness(() => new Promise(() => {}), { maxRecords: 3, warnIntervalMs: 1000 });
    for (const t of ['a', 'b', 'c', 'd', 'e']) h.stream.publish('raw', rec('x:ALL', t));
    h.timers.advance(50); // in flight forever: 'c','d','e' taken
    for (const t of ['f', 'g', 'h', 'i']) h.stream.publish('raw', rec('x:ALL', t));
    expect(texts(h.calls[0]!)).toEqual(['c', 'd', 'e']);
    const stats = h.stream.stats('raw');
    expect(stats.dropped).toBe(3);
    expect(stats.accepted).toBe(9);
    expect(h.warnings.filter((w) => w.type === 'dropped')).toHaveLength(1);
  });

  it('refuses a record over 1 MiB and counts it', () => {
    const h = harness(ok);
    h.stream.publish('raw', { partitionKey: 'x:ALL', data: new Uint8Array(MAX_BYTES_PER_RECORD) });
    expect(h.stream.stats('raw')).toMatchObject({ oversize: 1, accepted: 0 });
    expect(h.warnings[0]).toMatchObject({ type: 'oversize' });
  });

  it('flush sends at once and resolves when everything is stored', async () => {
    const h = harness(ok);
    h.stream.publish('raw', rec('x:ALL', 'a'));
    h.stream.publish('normalized', rec('x:BTC', 'b'));
    const flushed = h.stream.flush();
    expect(h.calls).toHaveLength(2);
    await flushed;
    expect(h.stream.stats('normalized').published).toBe(1);
  });
});
