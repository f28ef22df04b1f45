/**
 * The offline cloud under every fault at once: PutRecords partly failing and throttled, a handler
 * invocation throwing (after its work) on 1 batch in 100, batches delivered again — and still every
 * row the task published is in S3 exactly once, counted with DuckDB over the emulated bucket.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS, runLocalCloud } from '../../local/cloud/run-local-cloud.ts';

describe('npm run local:cloud under faults', () => {
  it('archives every published row exactly once', { timeout: 90_000 }, async () => {
    // Small batches so that "1 batch in 100" comes round within a short run.
    const report = await runLocalCloud({ seconds: 6, faults: DEFAULT_FAULTS, batchSize: 2, seed: 7 });
    const { summary, fired } = report;
    expect(Object.keys(summary)).toEqual([
      'published',
      'processed',
      's3Objects',
      's3Rows',
      'duplicates',
      'lost',
      'deadLetters',
      's3Dir',
    ]);
    // Each fault fired.
    expect(fired.throttledRequests).toBeGreaterThan(0);
    expect(fired.streamThrottledRequests).toBe(fired.throttledRequests);
    expect(fired.partialRequests).toBeGreaterThan(0);
    expect(fired.streamRetriedEntries).toBe(fired.failedEntries);
    expect(fired.injectedThrows).toBeGreaterThan(0);
    expect(fired.redeliveries).toBeGreaterThan(0);
    expect(fired.droppedRecords).toBe(0);
    // And nothing was lost or stored twice.
    expect(report.drained).toBe(true);
    expect(summary.published).toBeGreaterThan(1000);
    expect(summary.s3Rows).toBe(summary.published);
    expect(summary.duplicates).toBe(0);
    expect(summary.lost).toBe(0);
    expect(summary.deadLetters).toBe(0);
    expect(summary.processed.normalize).toBeGreaterThan(0);
    expect(summary.processed.record).toBeGreaterThan(summary.processed.normalize);
    expect(summary.s3Objects).toBeGreaterThanOrEqual(summary.processed.record);
    for (const kind of ['raw', 'book', 'trade']) expect(report.rowsByKind[kind]).toBeGreaterThan(0);
  });
});
