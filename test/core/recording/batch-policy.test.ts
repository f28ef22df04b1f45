import { describe, expect, it } from 'vitest';
import { batchPolicy, DEFAULT_BATCH_POLICY, flushDue } from '../../../core/recording/batch-policy.ts';

describe('batch policy', () => {
  it('fills in defaults and keeps overrides', () => {
    expect(batchPolicy()).toEqual(DEFAULT_BATCH_POLICY);
    expect(batchPolicy({ maxRows: 10 }).maxRows).toBe(10);
  });

  it('rejects bad numbers, naming every one', () => {
    expect(() => batchPolicy({ maxRows: 0, maxDelayMs: -1 })).toThrow(/maxRows.*maxDelayMs/);
    expect(() => batchPolicy({ maxRows: 10, maxBufferedRows: 5 })).toThrow(/must not exceed/);
    expect(() => batchPolicy({ maxBufferedChars: 1.5 })).toThrow(/maxBufferedChars/);
  });

  it('flushes by size or by age, never when nothing waits', () => {
    const p = batchPolicy({ maxRows: 100, maxDelayMs: 1000 });
    expect(flushDue(0, 0, 10_000, p)).toBe(false);
    expect(flushDue(99, 0, 999, p)).toBe(false);
    expect(flushDue(100, 0, 0, p)).toBe(true);
    expect(flushDue(1, 0, 1000, p)).toBe(true);
    expect(flushDue(1, 500, 1499, p)).toBe(false);
  });
});
