/**
 * The row shapes the recorder writes, one table per kind. A row is buffered as numbers (integer
 * units, µs, codes — in Float64Array columns, so recording allocates nothing) and strings (raw
 * frames, ids); the schema says how each stored Parquet column is made from those slots.
 *
 * Design decisions (measurements: fargate/recorder/README.md, "Layout choice"):
 * - Prices and sizes are stored as the platform keeps them: BIGINT integer units plus the
 *   instrument's scale (`price = price_units × 10^-price_scale`, core/market/instrument.ts). Exact,
 *   one type for every symbol and file, and an integer column costs a fraction of a DECIMAL(38,18)
 *   one to write (the earlier layout: 4–5× slower books, 16-byte values). Columns holding units are
 *   named `…_units` so nobody mistakes them for prices; SQL gets exact decimals back with the
 *   `units_to_decimal(units, scale)` macro (local/storage/recording-sql.ts).
 * - Timestamps are BIGINT µs (the codebase's clock unit); partitions use the receive time.
 * - rec_session (recorder start, µs) and rec_seq (one counter over every row a recorder accepts) give
 *   a total order: raw frames replay in the order the live session saw them.
 * - Top-of-book depth stays wide, one row per book update (bid_0_price_units … ask_19_size_units):
 *   a long layout (one row per update, side and level) writes 40× the rows and repeats the row's
 *   keys in each; measured 6× slower per update and 2× the bytes. The top of book is a plain column
 *   (crossed books, spreads); the long shape is a view (`book_levels`, recording-sql.ts).
 */

export type RecordingKind = 'raw' | 'book' | 'trade' | 'event';
export const RECORDING_KINDS: readonly RecordingKind[] = ['raw', 'book', 'trade', 'event'];

/** How a stored column is made from its slot. A NaN number (no sequence, a level beyond the book, no
 * score) is stored as NULL. */
export type StoredType =
  /** BIGINT from a number slot (integers; units, µs, sequence numbers). */
  | 'bigint'
  /** INTEGER from a number slot. */
  | 'int'
  /** DOUBLE (quality scores; never prices). */
  | 'double'
  /** VARCHAR picked from `values` by a small integer code in a number slot. */
  | 'code'
  /** VARCHAR from a text slot. */
  | 'text'
  /** VARCHAR: the venue's spelling of the row's symbol (from its partition). */
  | 'venue_symbol'
  /** BIGINT: the recorder session (the same for every row of a batch). */
  | 'session';

export interface StoredColumn {
  readonly name: string;
  readonly type: StoredType;
  /** Number slot (or text slot for 'text'); unused for venue_symbol and session. */
  readonly slot: number;
  readonly values?: readonly string[];
}

export interface RecordingTable {
  readonly kind: RecordingKind;
  /** Unique per shape (book depth included), for caches keyed by table. */
  readonly name: string;
  /** Names of the buffered number slots, in slot order. */
  readonly numbers: readonly string[];
  readonly texts: readonly string[];
  readonly columns: readonly StoredColumn[];
}

/** Number slots every table starts with. */
export const PID_SLOT = 0;
export const REC_SEQ_SLOT = 1;
export const LOCAL_TS_SLOT = 2;
const COMMON_NUMBERS = ['pid', 'rec_seq', 'local_ts'] as const;
const COMMON_COLUMNS: readonly StoredColumn[] = [
  { name: 'rec_session', type: 'session', slot: -1 },
  { name: 'rec_seq', type: 'bigint', slot: REC_SEQ_SLOT },
  { name: 'local_ts', type: 'bigint', slot: LOCAL_TS_SLOT },
];

/** Capture record kinds, in code order (raw.type). */
export const RAW_TYPES = ['message', 'rest', 'open', 'sent'] as const;
export type RawType = (typeof RAW_TYPES)[number];

export const RAW = {
  type: 3,
  /** Text slots. */
  connection: 0,
  url: 1,
  body: 2,
} as const;

export const RAW_TABLE: RecordingTable = {
  kind: 'raw',
  name: 'raw',
  numbers: [...COMMON_NUMBERS, 'type'],
  texts: ['connection', 'url', 'body'],
  columns: [
    ...COMMON_COLUMNS,
    { name: 'type', type: 'code', slot: RAW.type, values: RAW_TYPES },
    { name: 'connection', type: 'text', slot: RAW.connection },
    { name: 'url', type: 'text', slot: RAW.url },
    { name: 'body', type: 'text', slot: RAW.body },
  ],
};

export const BOOK = {
  exchangeTs: 3,
  sequence: 4,
  priceScale: 5,
  sizeScale: 6,
  bidLevels: 7,
  askLevels: 8,
  /** First level slot: level k is bid price, bid size, ask price, ask size (units) at 9 + 4k … 12 + 4k. */
  levels: 9,
} as const;

export const DEFAULT_BOOK_DEPTH = 20;
export const MAX_BOOK_DEPTH = 1000;

const bookTables = new Map<number, RecordingTable>();

/** The book table for `depth` levels per side (one shared object per depth). */
export function bookTable(depth: number = DEFAULT_BOOK_DEPTH): RecordingTable {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_BOOK_DEPTH)
    throw new RangeError(`book depth must be an integer in 1…${MAX_BOOK_DEPTH}, got ${depth}`);
  let table = bookTables.get(depth);
  if (table) return table;
  const numbers: string[] = [
    ...COMMON_NUMBERS,
    'exchange_ts',
    'sequence',
    'price_scale',
    'size_scale',
    'bid_levels',
    'ask_levels',
  ];
  const columns: StoredColumn[] = [
    ...COMMON_COLUMNS,
    { name: 'exchange_ts', type: 'bigint', slot: BOOK.exchangeTs },
    { name: 'venue_symbol', type: 'venue_symbol', slot: -1 },
    { name: 'sequence', type: 'bigint', slot: BOOK.sequence },
    { name: 'price_scale', type: 'int', slot: BOOK.priceScale },
    { name: 'size_scale', type: 'int', slot: BOOK.sizeScale },
    { name: 'bid_levels', type: 'int', slot: BOOK.bidLevels },
    { name: 'ask_levels', type: 'int', slot: BOOK.askLevels },
  ];
  for (let k = 0; k < depth; k++) {
    const at = numbers.length;
    numbers.push(`bid_${k}_price`, `bid_${k}_size`, `ask_${k}_price`, `ask_${k}_size`);
    columns.push(
      { name: bookLevelColumn('bid', k, 'price'), type: 'bigint', slot: at },
      { name: bookLevelColumn('bid', k, 'size'), type: 'bigint', slot: at + 1 },
      { name: bookLevelColumn('ask', k, 'price'), type: 'bigint', slot: at + 2 },
      { name: bookLevelColumn('ask', k, 'size'), type: 'bigint', slot: at + 3 },
    );
  }
  table = {
    kind: 'book',
    name: `book${depth}`,
    numbers,
    texts: [],
    columns,
  };
  bookTables.set(depth, table);
  return table;
}

/** The stored name of a book level column: `bid_0_price_units` … `ask_19_size_units`. */
export function bookLevelColumn(side: 'bid' | 'ask', level: number, what: 'price' | 'size'): string {
  return `${side}_${level}_${what}_units`;
}

/** Depth of a book table, from its level columns. */
export function bookDepth(table: RecordingTable): number {
  return (table.numbers.length - BOOK.levels) / 4;
}

export const TRADE_SIDES = ['buy', 'sell', 'unknown'] as const;

export const TRADE = {
  exchangeTs: 3,
  side: 4,
  price: 5,
  size: 6,
  priceScale: 7,
  sizeScale: 8,
  /** Text slot. */
  tradeId: 0,
} as const;

export const TRADE_TABLE: RecordingTable = {
  kind: 'trade',
  name: 'trade',
  numbers: [...COMMON_NUMBERS, 'exchange_ts', 'side', 'price', 'size', 'price_scale', 'size_scale'],
  texts: ['trade_id'],
  columns: [
    ...COMMON_COLUMNS,
    { name: 'exchange_ts', type: 'bigint', slot: TRADE.exchangeTs },
    { name: 'venue_symbol', type: 'venue_symbol', slot: -1 },
    { name: 'trade_id', type: 'text', slot: TRADE.tradeId },
    { name: 'side', type: 'code', slot: TRADE.side, values: TRADE_SIDES },
    { name: 'price_units', type: 'bigint', slot: TRADE.price },
    { name: 'size_units', type: 'bigint', slot: TRADE.size },
    { name: 'price_scale', type: 'int', slot: TRADE.priceScale },
    { name: 'size_scale', type: 'int', slot: TRADE.sizeScale },
  ],
};

/** The MarketEvent types the event table keeps, in code order. */
export const EVENT_TYPES = ['book_state', 'quality', 'connection'] as const;
export type RecordedEventType = (typeof EVENT_TYPES)[number];

export const EVENT = {
  exchangeTs: 3,
  type: 4,
  score: 5,
  /** Text slots. */
  state: 0,
  detail: 1,
  issues: 2,
} as const;

export const EVENT_TABLE: RecordingTable = {
  kind: 'event',
  name: 'event',
  numbers: [...COMMON_NUMBERS, 'exchange_ts', 'type', 'score'],
  texts: ['state', 'detail', 'issues'],
  columns: [
    ...COMMON_COLUMNS,
    { name: 'exchange_ts', type: 'bigint', slot: EVENT.exchangeTs },
    { name: 'type', type: 'code', slot: EVENT.type, values: EVENT_TYPES },
    { name: 'state', type: 'text', slot: EVENT.state },
    { name: 'detail', type: 'text', slot: EVENT.detail },
    { name: 'score', type: 'double', slot: EVENT.score },
    { name: 'issues', type: 'text', slot: EVENT.issues },
  ],
};

/** Quality issues are stored as one text column, joined with this separator. */
export const ISSUE_SEPARATOR = '; ';
