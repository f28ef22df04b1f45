/**
 * The wire form of a stream record: the recorder's rows of one table for one partition
 * (exchange, symbol), as JSON. Both streams carry it — raw frames on `raw`, book / trade / event
 * rows on `normalized` — and the record Lambda turns it back into the same rows the local recorder
 * writes (lambdas/record/payload-rows.ts), so the cloud archive and `./data` are one layout.
 *
 * Identity: (`origin`, `exchange`, `symbol`, `session`, `seq`). `seq` counts the records of one
 * partition key on one stream within one task session (`session`: the recorder's start, µs), so a
 * consumer can order records that a PutRecords retry reordered, spot gaps, and de-duplicate a
 * redelivery. Rows keep the recorder's `rec_seq`: one counter over every row of the session.
 *
 * Numbers are the table's number slots row-major (`rows × table.numbers.length`, NaN as null);
 * texts its text slots row-major (`rows × table.texts.length`).
 */
import { z } from 'zod';
import { ALL_SYMBOLS } from '../../core/recording/partition-path.ts';
import {
  bookTable,
  EVENT_TABLE,
  MAX_BOOK_DEPTH,
  RAW_TABLE,
  type RecordingTable,
  TRADE_TABLE,
} from '../../core/recording/recording-tables.ts';
import type { StreamName } from './stream-port.ts';

export const ROWS_PAYLOAD_VERSION = 1;

const BOOK_TABLE_NAME = /^book(\d{1,4})$/;

/** The recording table a payload names ('raw', 'trade', 'event', 'book20' …); undefined if none. */
export function recordingTableNamed(name: string): RecordingTable | undefined {
  if (name === RAW_TABLE.name) return RAW_TABLE;
  if (name === TRADE_TABLE.name) return TRADE_TABLE;
  if (name === EVENT_TABLE.name) return EVENT_TABLE;
  const m = BOOK_TABLE_NAME.exec(name);
  if (!m) return undefined;
  const depth = Number(m[1]);
  return depth >= 1 && depth <= MAX_BOOK_DEPTH ? bookTable(depth) : undefined;
}

const SEQUENCE = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const rowsPayloadSchema = z
  .object({
    v: z.literal(ROWS_PAYLOAD_VERSION),
    origin: z.enum(['raw', 'normalized']),
    table: z.string().max(16),
    exchange: z.string().regex(/^[a-z0-9-]{1,32}$/),
    /** The partition's path-safe symbol (core/recording/partition-path.ts), ALL for raw frames. */
    symbol: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    venueSymbol: z.string().max(64),
    session: SEQUENCE,
    seq: SEQUENCE,
    rows: z.number().int().positive(),
    numbers: z.array(z.number().nullable()),
    texts: z.array(z.string()),
  })
  .strict()
  .superRefine((p, ctx) => {
    const table = recordingTableNamed(p.table);
    if (!table) {
      ctx.addIssue({ code: 'custom', path: ['table'], message: 'unknown recording table' });
      return;
    }
    if (p.numbers.length !== p.rows * table.numbers.length)
      ctx.addIssue({
        code: 'custom',
        path: ['numbers'],
        message: `expected ${p.rows} × ${table.numbers.length}`,
      });
    if (p.texts.length !== p.rows * table.texts.length)
      ctx.addIssue({
        code: 'custom',
        path: ['texts'],
        message: `expected ${p.rows} × ${table.texts.length}`,
      });
  });

export type RowsPayload = z.infer<typeof rowsPayloadSchema>;

/** The stream a table's rows travel on. */
export function streamOfTable(table: RecordingTable): StreamName {
  return table.kind === 'raw' ? 'raw' : 'normalized';
}

/** `exchange:symbol`, the partition key of every record of a partition. */
export function partitionKeyOf(exchange: string, symbol: string): string {
  return `${exchange}:${symbol || ALL_SYMBOLS}`;
}
