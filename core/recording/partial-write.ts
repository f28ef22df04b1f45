/**
 * What a RecordingSink reports when a batch was stored only in part (the disk filled up after some
 * of its files were placed): which rows are stored, and in which files. The recorder then keeps and
 * retries exactly the other rows — no row is written twice, and none is counted lost that is stored.
 * Any other rejection of RecordingSink.write means that nothing of the batch was stored.
 */
export class PartialWriteError extends Error {
  override readonly name = 'PartialWriteError';

  constructor(
    message: string,
    /** The file system's error code of the failure (ENOSPC, EROFS, EACCES, EIO…), when there is one. */
    readonly code: string | undefined,
    /** Files placed before the failure: complete and visible. */
    readonly files: readonly string[],
    /** Ring slots (RowsView.index values) of the batch's rows that those files hold. */
    readonly writtenSlots: Int32Array,
  ) {
    super(message);
  }
}

/** The `code` of a file-system error (or of a PartialWriteError), if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
