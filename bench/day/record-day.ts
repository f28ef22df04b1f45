/**
 * The recorded-Parquet form of a capture: what `npm start` leaves in ./data for the same frames —
 * every line through `Recorder.recordCapture` into `ParquetSink` (the recorder's raw table,
 * `raw/exchange=…/symbol=…/date=…/hour=…/part-*.parquet`), which `cli backtest` reads back through
 * local/storage/read-raw-recording.ts.
 *
 * The capture streams in as it decompresses (a day does not fit in memory). Recorded in bursts with a yield to the event loop between them, as a socket callback would, and
 * waiting while a full batch is still unwritten, so the bounded buffer never drops a row; the run
 * fails unless every row was written.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { openCaptureStream } from '../../local/capture/read-capture.ts';
import { ParquetSink } from '../../local/storage/parquet-sink.ts';

const BURST = 20_000;

export interface RecordedDay {
  readonly root: string;
  readonly rows: number;
  readonly files: number;
}

export async function recordCaptureFile(capturePath: string, root: string): Promise<RecordedDay> {
  const capture = await openCaptureStream(capturePath);
  const recorder = new Recorder({
    sink: await ParquetSink.open({ root }),
    policy: { maxRows: BURST, maxBufferedRows: 4 * BURST, maxBufferedChars: 1 << 30 },
    closeTimeoutMs: 600_000,
  });
  let records = 0;
  for await (const batch of capture.batches) {
    for (const record of batch) {
      recorder.recordCapture(capture.exchange, record, 'conn-0');
      if (++records % BURST !== 0) continue;
      recorder.poll();
      do await yieldToLoop();
      while (recorder.stats().raw.waiting >= 2 * BURST);
    }
  }
  await recorder.close();
  const raw = recorder.stats().raw;
  if (raw.written !== records || raw.dropped + raw.failed + raw.unsettled > 0)
    throw new Error(
      `recording ${root}: ${raw.written} of ${records} rows written (dropped ${raw.dropped}, failed ${raw.failed}, unsettled ${raw.unsettled})`,
    );
  return { root, rows: raw.written, files: raw.files };
}
