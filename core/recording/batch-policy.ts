/**
 * When the recorder hands buffered rows to its sink, and how much it may hold. Per table:
 * - a flush starts when `maxRows` rows wait, or when the oldest waiting row has waited `maxDelayMs`;
 *   a flush takes everything waiting (one batch in flight per table at a time);
 * - at most `maxBufferedRows` rows (and, for raw frames, `maxBufferedChars` characters of text)
 *   wait; past that the OLDEST waiting rows are dropped, counted and reported. Rows already handed
 *   to the sink are never dropped. So memory is bounded by two buffers per table: the one filling
 *   and the one being written.
 */

export interface BatchPolicy {
  /** Rows waiting that start a flush. */
  readonly maxRows: number;
  /** Age (ms) of the oldest waiting row that starts a flush. */
  readonly maxDelayMs: number;
  /** Rows that may wait per table; the oldest are dropped beyond this. */
  readonly maxBufferedRows: number;
  /** Characters of text (raw frames) that may wait per table; the oldest rows are dropped beyond this. */
  readonly maxBufferedChars: number;
}

/**
 * Memory at the limits, per table and buffer (two buffers per table): a top-20 book row is 89
 * doubles (712 B), so 100 k rows ≈ 71 MB; raw frames ≈ 64 Mi characters of text.
 */
export const DEFAULT_BATCH_POLICY: BatchPolicy = {
  maxRows: 50_000,
  maxDelayMs: 1_000,
  maxBufferedRows: 100_000,
  maxBufferedChars: 64 * 1024 * 1024,
};

/** Fill in defaults and check the numbers; throws a RangeError naming every bad field. */
export function batchPolicy(overrides: Partial<BatchPolicy> = {}): BatchPolicy {
  const p: BatchPolicy = { ...DEFAULT_BATCH_POLICY, ...overrides };
  const errors: string[] = [];
  const positiveInt = (name: keyof BatchPolicy) => {
    const v = p[name];
    if (!Number.isInteger(v) || v < 1) errors.push(`${name} must be a positive integer (got ${v})`);
  };
  positiveInt('maxRows');
  positiveInt('maxBufferedRows');
  positiveInt('maxBufferedChars');
  if (!(p.maxDelayMs >= 0) || !Number.isFinite(p.maxDelayMs))
    errors.push(`maxDelayMs must be a finite number ≥ 0 (got ${p.maxDelayMs})`);
  if (errors.length === 0 && p.maxRows > p.maxBufferedRows)
    errors.push(`maxRows (${p.maxRows}) must not exceed maxBufferedRows (${p.maxBufferedRows})`);
  if (errors.length > 0) throw new RangeError(`invalid batch policy: ${errors.join('; ')}`);
  return p;
}

/**
 * Should a table with `waiting` rows, the oldest waiting since `waitingSinceMs`, flush at `nowMs`?
 * (Whether a batch is already in flight is the caller's business.)
 */
export function flushDue(
  waiting: number,
  waitingSinceMs: number,
  nowMs: number,
  policy: BatchPolicy,
): boolean {
  if (waiting === 0) return false;
  return waiting >= policy.maxRows || nowMs - waitingSinceMs >= policy.maxDelayMs;
}
