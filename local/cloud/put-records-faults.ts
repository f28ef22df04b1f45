/**
 * Faults on the task's PutRecords calls, the ones the emulator never produces (it enforces no
 * shard limits): a whole request throttled (ProvisionedThroughputExceededException), and partial
 * failures — some entries answered with an ErrorCode. A failed entry is not sent to the emulator at
 * all, as the service stores nothing for a failed entry; the answer keeps each entry's position.
 */

import type { Random } from '../../core/sim/random.ts';
import type { PutRecords } from '../../fargate/stream/kinesis-stream.ts';

export interface PutRecordsFaultRates {
  /** Every n-th request is refused as a whole (0: never). */
  readonly throttleEvery: number;
  /** Every n-th request has failed entries (0: never): each with chance `entryFailure`, at least one. */
  readonly partialEvery: number;
  readonly entryFailure: number;
}

export interface PutRecordsFaultCounts {
  throttledRequests: number;
  partialRequests: number;
  failedEntries: number;
}

class ThrottledError extends Error {
  override readonly name = 'ProvisionedThroughputExceededException';
}

export function faultyPutRecords(
  inner: PutRecords,
  rates: PutRecordsFaultRates,
  random: Random,
): { putRecords: PutRecords; counts: PutRecordsFaultCounts } {
  const counts: PutRecordsFaultCounts = { throttledRequests: 0, partialRequests: 0, failedEntries: 0 };
  let requests = 0;
  const putRecords: PutRecords = async (request) => {
    requests++;
    if (rates.throttleEvery > 0 && requests % rates.throttleEvery === 0) {
      counts.throttledRequests++;
      throw new ThrottledError('Rate exceeded for shard (injected)');
    }
    if (!(rates.partialEvery > 0 && requests % rates.partialEvery === 0)) return inner(request);
    const fail = request.Records.map(() => random() < rates.entryFailure);
    if (!fail.includes(true)) fail[Math.floor(random() * fail.length)] = true;
    const failed = fail.filter(Boolean).length;
    counts.partialRequests++;
    counts.failedEntries += failed;
    const sent = request.Records.filter((_, i) => !fail[i]);
    const answer = sent.length > 0 ? await inner({ ...request, Records: sent }) : { Records: [] };
    const results = answer.Records ?? [];
    let k = 0;
    return {
      FailedRecordCount: failed + (answer.FailedRecordCount ?? 0),
      Records: request.Records.map((_, i) =>
        fail[i] ? { ErrorCode: 'ProvisionedThroughputExceededException' } : (results[k++] ?? {}),
      ),
    };
  };
  return { putRecords, counts };
}
