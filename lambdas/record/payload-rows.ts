/**
 * A rows payload back into the recorder's row buffer (core/recording/row-ring.ts): the same rows,
 * slot for slot, that the task's Recorder held — so the Parquet writer sees exactly what the local
 * recorder gives it. One payload is one partition (pid 0).
 */
import type { RowBatch } from '../../core/recording/recording-sink.ts';
import { PID_SLOT } from '../../core/recording/recording-tables.ts';
import { RowRing } from '../../core/recording/row-ring.ts';
import { type RowsPayload, recordingTableNamed } from '../../fargate/stream/rows-payload.ts';

export function payloadBatch(payload: RowsPayload): RowBatch {
  const table = recordingTableNamed(payload.table);
  if (!table) throw new Error(`unknown recording table ${payload.table}`); // the schema refuses these
  const width = table.numbers.length;
  const textColumns = table.texts.length;
  const ring = new RowRing(width, textColumns, payload.rows, Number.POSITIVE_INFINITY, payload.rows);
  for (let r = 0; r < payload.rows; r++) {
    const slot = ring.push();
    const at = slot * width;
    const from = r * width;
    for (let k = 0; k < width; k++) {
      const v = payload.numbers[from + k];
      ring.data[at + k] = v === null || v === undefined ? Number.NaN : v;
    }
    ring.data[at + PID_SLOT] = 0;
    for (let c = 0; c < textColumns; c++) ring.setText(slot, c, payload.texts[r * textColumns + c]!);
  }
  return {
    table,
    session: payload.session,
    rows: ring,
    partitions: [{ exchange: payload.exchange, symbol: payload.symbol, venueSymbol: payload.venueSymbol }],
  };
}
