/**
 * Kinesis PutRecords service limits, and packing a queue of entries into requests within them:
 * at most 500 entries and 5 MiB per request; one entry (data plus partition key) at most 1 MiB.
 */

export const MAX_ENTRIES_PER_REQUEST = 500;
export const MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
export const MAX_BYTES_PER_RECORD = 1024 * 1024;

/** An entry's size as Kinesis counts it: data plus the partition key (UTF-8). */
export function entryBytes(partitionKey: string, data: Uint8Array): number {
  return data.byteLength + Buffer.byteLength(partitionKey);
}

/**
 * How many of `count` waiting entries (entry i of `sizeAt(i)` bytes, oldest first) go into one
 * request: as many as fit both limits, at least one (an entry over MAX_BYTES_PER_RECORD is refused
 * before it is queued).
 */
export function takeForRequest(
  sizeAt: (i: number) => number,
  count: number,
  maxEntries = MAX_ENTRIES_PER_REQUEST,
  maxBytes = MAX_BYTES_PER_REQUEST,
): number {
  let bytes = 0;
  let n = 0;
  while (n < count && n < maxEntries) {
    const size = sizeAt(n);
    if (n > 0 && bytes + size > maxBytes) break;
    bytes += size;
    n++;
  }
  return n;
}
