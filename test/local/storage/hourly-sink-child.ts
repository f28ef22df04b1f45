/**
 * A recorder writing hourly files until it is killed: `node --import tsx hourly-sink-child.ts <root>`.
 * Batches of 60 trades over 6 symbols, 7 minutes of receive time apart (an hour closes every ~9
 * batches); after each batch is stored it prints the rows written so far, one line per batch.
 */
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { ParquetSink } from '../../../local/storage/parquet-sink.ts';
import { instruments, recordBatch } from './hourly-session.ts';

const root = process.argv[2];
if (!root) throw new Error('usage: hourly-sink-child.ts <root>');
const symbols = instruments(6);
const recorder = new Recorder({ sink: await ParquetSink.open({ root }), pollIntervalMs: 0 });
for (let b = 0; ; b++) {
  recordBatch(recorder, symbols, b, 60, 7 * 60_000_000);
  await recorder.flush();
  process.stdout.write(`${recorder.stats().trade.written}\n`);
}
