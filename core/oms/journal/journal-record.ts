/**
 * The records of the trading journal: every order event, fill, risk decision, trading-state change,
 * parameter change, control action and session boundary, one JSON line each. The journal is the
 * audit trail and the start-up source of truth (replayed into the OMS, positions and the breaker).
 *
 * Design decisions:
 * - Plain data, JSON-able, a `kind` discriminant, the event time `ts` (µs since the epoch, the
 *   platform's one time unit) and a `seq` the writer assigns, strictly increasing across the whole
 *   journal (days and restarts), so replay order never depends on clocks.
 * - Prices, sizes and fees are integer units with their scale, never floats. The line also carries
 *   each amount as an exact decimal string for a human reading the file (`priceDecimal` …); the
 *   codec derives it when encoding and checks it when decoding, so the two can never disagree and
 *   the in-memory record has one source of truth.
 * - Decoding validates the whole line (zod, unknown keys refused) and returns a described refusal,
 *   never throws: a torn or edited line is counted by the reader, not a crash at start-up.
 * - Values that are free-form JSON (parameters, control details, session parameters) are passed
 *   through `redactSecrets` when encoding: a credential can never reach the audit trail.
 */
import { z } from 'zod';
import type { Micros, Side } from '../../market/events.ts';
import { EXCHANGES, type ExchangeId } from '../../market/exchange.ts';
import { formatDecimal } from '../../num/format-decimal.ts';
import { MAX_SCALE } from '../../num/pow10.ts';
import { TRADING_STATES, type TradingState, type TradingStatus } from '../../risk/trading-state.ts';
import type { OrderId, OrderType } from '../../strategy/order-types.ts';
import { ORDER_STATUSES, type OrderStatus } from '../order-status.ts';
import { ORDER_EVENTS, type OrderEvent } from '../order-transitions.ts';
import { redactSecrets } from './redact-secrets.ts';

export const JOURNAL_KINDS = ['order', 'fill', 'risk', 'state', 'params', 'control', 'session'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface RecordHeader {
  /** Position in the journal, assigned by the writer: strictly increasing, never reused. */
  readonly seq: number;
  /** Event time, µs since the epoch. */
  readonly ts: Micros;
}

/** One step of an order's life, with the order's state after it. */
export interface OrderRecord extends RecordHeader {
  readonly kind: 'order';
  readonly orderId: OrderId;
  readonly clientOrderId: string;
  readonly venueOrderId?: string;
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Limit price units; null for a market order. */
  readonly price: number | null;
  readonly size: number;
  readonly filled: number;
  readonly priceScale: number;
  readonly sizeScale: number;
  readonly status: OrderStatus;
  readonly event: OrderEvent;
  /** Why a deny/reject/… happened, when the event has a reason (a typed code with context). */
  readonly reason?: string;
}

export interface FillRecord extends RecordHeader {
  readonly kind: 'fill';
  readonly orderId: OrderId;
  readonly clientOrderId: string;
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly side: Side;
  /** The venue's trade id: with `venue`, the key fills are de-duplicated on. */
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  readonly priceScale: number;
  readonly sizeScale: number;
  /** Fee units in `feeCurrency` (negative: a rebate). */
  readonly fee: number;
  readonly feeScale: number;
  readonly feeCurrency: string;
  readonly maker: boolean;
  /** The execution venue that reported the fill: the exchange id when live, the simulator's id in paper trading. */
  readonly venue: string;
}

export interface RiskRecord extends RecordHeader {
  readonly kind: 'risk';
  readonly orderId: OrderId;
  readonly outcome: 'accepted' | 'denied';
  /** The denial's typed reason code. */
  readonly reason?: string;
  /** The denial's context, `key=value` pairs. */
  readonly detail?: string;
}

export interface StateRecord extends RecordHeader {
  readonly kind: 'state';
  readonly from: TradingState;
  readonly to: TradingState;
  readonly reason: string;
  /** The circuit breaker's snapshot at the change (what `CircuitBreaker.restore` reads back). */
  readonly breaker: TradingStatus;
}

export interface ParamsRecord extends RecordHeader {
  readonly kind: 'params';
  readonly target: 'risk' | 'strategy';
  readonly old: JsonValue;
  readonly new: JsonValue;
}

/** An operator action, journaled so a replay re-applies it at the same event time. */
export interface ControlRecord extends RecordHeader {
  readonly kind: 'control';
  readonly action: 'kill' | 'reset' | 'risk_params' | 'strategy_params' | 'reconcile';
  readonly detail: JsonValue;
}

export interface SessionRecord extends RecordHeader {
  readonly kind: 'session';
  readonly phase: 'start' | 'stop';
  /** Which runner instance wrote the session (e.g. the task id). */
  readonly instance: string;
  /** Restart counter: one more than the previous session's. */
  readonly epoch: number;
  readonly strategy: string;
  readonly params: JsonValue;
  readonly seed: number;
  /** Hash of the resolved configuration the session ran with. */
  readonly configHash: string;
}

export type JournalRecord =
  | OrderRecord
  | FillRecord
  | RiskRecord
  | StateRecord
  | ParamsRecord
  | ControlRecord
  | SessionRecord;

/** A record before the writer numbers it. */
export type JournalEntry = JournalRecord extends infer R
  ? R extends JournalRecord
    ? Omit<R, 'seq'>
    : never
  : never;

/** A line the codec refused, and why (bounded text: never the line's parsed values). */
export interface JournalRefusal {
  readonly error: string;
}

export function isRefusal(value: JournalRecord | JournalRefusal): value is JournalRefusal {
  return 'error' in value;
}

// ---- schemas -------------------------------------------------------------------------------------

const units = z.int().nonnegative();
const scale = z.int().min(0).max(MAX_SCALE);
const text = z.string().min(1).max(200);
const note = z.string().max(2000);
const json = z.json() as z.ZodType<JsonValue>;
const header = { seq: z.int().nonnegative(), ts: z.int().nonnegative() };
const exchange = z.enum(EXCHANGES);
const side = z.enum(['buy', 'sell']);

const orderSchema = z.strictObject({
  kind: z.literal('order'),
  ...header,
  orderId: z.int().nonnegative(),
  clientOrderId: text,
  venueOrderId: text.optional(),
  exchange,
  symbol: text,
  side,
  type: z.enum(['limit', 'market']),
  price: units.nullable(),
  size: units,
  filled: units,
  priceScale: scale,
  sizeScale: scale,
  status: z.enum(ORDER_STATUSES),
  event: z.enum(ORDER_EVENTS),
  reason: note.optional(),
});

const fillSchema = z.strictObject({
  kind: z.literal('fill'),
  ...header,
  orderId: z.int().nonnegative(),
  clientOrderId: text,
  exchange,
  symbol: text,
  side,
  tradeId: text,
  price: units,
  size: units,
  priceScale: scale,
  sizeScale: scale,
  fee: z.int(),
  feeScale: scale,
  feeCurrency: text,
  maker: z.boolean(),
  venue: text,
});

const riskSchema = z.strictObject({
  kind: z.literal('risk'),
  ...header,
  orderId: z.int().nonnegative(),
  outcome: z.enum(['accepted', 'denied']),
  reason: note.optional(),
  detail: note.optional(),
});

const tradingState = z.enum(TRADING_STATES as readonly TradingState[] as [TradingState, ...TradingState[]]);

const stateSchema = z.strictObject({
  kind: z.literal('state'),
  ...header,
  from: tradingState,
  to: tradingState,
  reason: note,
  breaker: z.strictObject({ state: tradingState, reason: note, at: z.int().nonnegative() }),
});

const paramsSchema = z.strictObject({
  kind: z.literal('params'),
  ...header,
  target: z.enum(['risk', 'strategy']),
  old: json,
  new: json,
});

const controlSchema = z.strictObject({
  kind: z.literal('control'),
  ...header,
  action: z.enum(['kill', 'reset', 'risk_params', 'strategy_params', 'reconcile']),
  detail: json,
});

const sessionSchema = z.strictObject({
  kind: z.literal('session'),
  ...header,
  phase: z.enum(['start', 'stop']),
  instance: text,
  epoch: z.int().nonnegative(),
  strategy: text,
  params: json,
  seed: z.int().nonnegative(),
  configHash: text,
});

const recordSchema = z.discriminatedUnion('kind', [
  orderSchema,
  fillSchema,
  riskSchema,
  stateSchema,
  paramsSchema,
  controlSchema,
  sessionSchema,
]);

// ---- decimal forms -------------------------------------------------------------------------------

/** The human-readable amounts a line carries next to the units: [line key, units key, scale key]. */
const DECIMALS: Readonly<Record<JournalKind, readonly (readonly [string, string, string])[]>> = {
  order: [
    ['priceDecimal', 'price', 'priceScale'],
    ['sizeDecimal', 'size', 'sizeScale'],
    ['filledDecimal', 'filled', 'sizeScale'],
  ],
  fill: [
    ['priceDecimal', 'price', 'priceScale'],
    ['sizeDecimal', 'size', 'sizeScale'],
    ['feeDecimal', 'fee', 'feeScale'],
  ],
  risk: [],
  state: [],
  params: [],
  control: [],
  session: [],
};

function decimalOf(units: unknown, scale: unknown): string | null {
  return typeof units === 'number' && typeof scale === 'number' ? formatDecimal(units, scale) : null;
}

// ---- codec ---------------------------------------------------------------------------------------

/** Longest line decoded; anything longer is refused unread (a runaway line is corruption, not a record). */
export const MAX_LINE_CHARS = 1 << 20;

/** Each kind's keys in line order (the schema's: kind, seq, ts first) with their `"key":` text. */
function keysOf(shape: object): readonly (readonly [key: string, prefix: string])[] {
  return Object.keys(shape).map((key, i) => [key, `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`] as const);
}
const KEYS: Readonly<Record<JournalKind, readonly (readonly [string, string])[]>> = {
  order: keysOf(orderSchema.shape),
  fill: keysOf(fillSchema.shape),
  risk: keysOf(riskSchema.shape),
  state: keysOf(stateSchema.shape),
  params: keysOf(paramsSchema.shape),
  control: keysOf(controlSchema.shape),
  session: keysOf(sessionSchema.shape),
};
/** Keys whose values are free-form JSON (a risk record's `detail` is a string: redacting it is a no-op). */
const FREE_FORM = new Set(['old', 'new', 'detail', 'params']);

/**
 * One JSON line (no trailing newline): the record's schema keys in schema order, its amounts also
 * as decimal strings, free-form values with secrets redacted. Written key by key from the schema's
 * key list, so a property the kind does not define never reaches the file (it would make the line
 * unreadable at replay). Encoding does not validate the values: the types do, and decoding checks.
 */
export function encodeRecord(record: JournalRecord): string {
  return encodeEntry(record, record.seq);
}

/** `encodeRecord` of `entry` numbered `seq`, without building the numbered record (the writer's path). */
export function encodeEntry(entry: JournalEntry, seq: number): string {
  const fields = entry as unknown as Record<string, unknown>;
  let line = '';
  for (const [key, prefix] of KEYS[entry.kind]) {
    const value = key === 'seq' ? seq : fields[key];
    if (value === undefined) continue;
    const text =
      typeof value === 'number'
        ? Number.isFinite(value)
          ? String(value)
          : 'null'
        : JSON.stringify(FREE_FORM.has(key) ? redactSecrets(value as JsonValue) : value);
    // The first key, `kind`, is always present and its prefix opens the object.
    line += prefix + text;
  }
  for (const [key, unitsKey, scaleKey] of DECIMALS[entry.kind])
    line += `,"${key}":${JSON.stringify(decimalOf(fields[unitsKey], fields[scaleKey]))}`;
  return `${line}}`;
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}

/** A line back to its record, or a refusal saying what is wrong with it. */
export function decodeRecord(line: string): JournalRecord | JournalRefusal {
  if (line.length > MAX_LINE_CHARS) return { error: `line too long (${line.length} chars)` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { error: 'not JSON (a torn or edited line)' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { error: 'not a JSON object' };
  const fields = parsed as Record<string, unknown>;
  const kind = fields.kind;
  if (typeof kind !== 'string' || !(JOURNAL_KINDS as readonly string[]).includes(kind))
    return { error: 'kind: not a journal record kind' };
  // The decimal forms are checked against the units, then dropped: the units are the record.
  for (const [key, unitsKey, scaleKey] of DECIMALS[kind as JournalKind]) {
    const expected = decimalOf(fields[unitsKey], fields[scaleKey]);
    if (fields[key] !== expected) return { error: `${key}: does not match ${unitsKey} and ${scaleKey}` };
    delete fields[key];
  }
  try {
    const result = recordSchema.safeParse(fields);
    if (!result.success) return { error: describeIssues(result.error) };
    return result.data as JournalRecord;
  } catch {
    // A value nested deeper than the validator's stack: refused like any other bad line.
    return { error: 'nested too deeply' };
  }
}
