/**
 * Client order ids: prefix + instance + lease epoch + counter, in a form each venue accepts, and
 * readable back so reconciliation can tell our orders from anyone else's.
 *
 * Uniqueness across restarts comes from the lease epoch: it changes on every process start (the
 * lease grants a new one), and the counter restarts at 0 in each epoch. Two processes never share
 * an (instance, epoch), so no id repeats. All fields are base36 (lowercase), which keeps ids short.
 *
 * Two forms:
 * - text `{prefix}-{instance}-{epoch}-{counter}`, e.g. `tp-1-2n9c-0`; at most 8 + 1 + 4 + 1 + 7 + 1 +
 *   9 = 31 characters of [a-zA-Z0-9-].
 * - uuid: a deterministic UUID-shaped id (RFC 9562 version 8, "custom"): 32 bits FNV-1a of the
 *   prefix, 16 bits instance, version nibble 8, 12 bits of epoch, the variant bits 10 with 2 more
 *   epoch bits, 12 bits of epoch, then 6 bits of epoch and the 42-bit counter. A foreign UUID
 *   passes `parseClientOrderId` only if its first 32 bits match our prefix hash and it is version 8.
 *
 * Venue rules (docs/execution.md):
 * - Binance spot `newClientOrderId`: FIX ClOrdID rule `^[a-zA-Z0-9-_]{1,36}$` (REST regex
 *   unverified) → text.
 * - Binance USD-M `newClientOrderId`: `^[\.A-Z\:/a-z0-9_-]{1,36}$` → text.
 * - Bybit `orderLinkId`: ≤ 36 characters of letters, digits, `-`, `_` → text.
 * - Kraken `cl_ord_id`: long UUID (36 chars, hyphens), short UUID (32 hex) or free text ≤ 18
 *   characters → uuid (the text form can pass 18).
 * - Coinbase `client_order_id`: format unverified there (Hummingbot caps it at 32); a UUID is the
 *   form every Coinbase API documents → uuid.
 * - KuCoin `clientOid`: UUID recommended, max length unverified (Hummingbot uses 40); taken as
 *   ≤ 40 of [A-Za-z0-9_-] → text.
 */
import type { ExchangeId } from '../market/exchange.ts';

export type ClientOrderIdForm = 'text' | 'uuid';

export interface ClientOrderIdRule {
  readonly form: ClientOrderIdForm;
  /** The venue's accepted shape, checked by the tests against every form we generate. */
  readonly pattern: RegExp;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const CLIENT_ORDER_ID_RULES: Readonly<Record<ExchangeId, ClientOrderIdRule>> = {
  binance: { form: 'text', pattern: /^[a-zA-Z0-9-_]{1,36}$/ },
  'binance-futures': { form: 'text', pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/ },
  bybit: { form: 'text', pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  kraken: { form: 'uuid', pattern: UUID_PATTERN },
  coinbase: { form: 'uuid', pattern: UUID_PATTERN },
  kucoin: { form: 'text', pattern: /^[A-Za-z0-9_-]{1,40}$/ },
};

export const MAX_INSTANCE = 0xffff;
export const MAX_EPOCH = 0xffffffff;
/** 2^42 − 1: the counter field of the uuid form; at 1000 orders a second an epoch lasts 139 years. */
export const MAX_COUNTER = 2 ** 42 - 1;
const PREFIX_PATTERN = /^[A-Za-z0-9]{1,8}$/;
const BASE36_PATTERN = /^(0|[1-9a-z][0-9a-z]*)$/;

export interface ClientOrderIdConfig {
  /** 1–8 letters or digits, the same for every process of this deployment. */
  readonly prefix: string;
  /** Which trading instance (0–65535). */
  readonly instance: number;
  /** The lease epoch of this process start (0–2^32−1), different on every start. */
  readonly epoch: number;
}

export interface ParsedClientOrderId {
  readonly form: ClientOrderIdForm;
  readonly instance: number;
  readonly epoch: number;
  readonly counter: number;
}

/** 32-bit FNV-1a of an ASCII string. */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

function checkConfig(c: ClientOrderIdConfig): void {
  if (!PREFIX_PATTERN.test(c.prefix))
    throw new RangeError(`client order id prefix must match ${PREFIX_PATTERN}`);
  if (!Number.isInteger(c.instance) || c.instance < 0 || c.instance > MAX_INSTANCE) {
    throw new RangeError(`client order id instance must be 0–${MAX_INSTANCE}, got ${c.instance}`);
  }
  if (!Number.isInteger(c.epoch) || c.epoch < 0 || c.epoch > MAX_EPOCH) {
    throw new RangeError(`client order id epoch must be 0–${MAX_EPOCH}, got ${c.epoch}`);
  }
}

/** The id for one counter value in one form. */
export function formatClientOrderId(
  c: ClientOrderIdConfig,
  counter: number,
  form: ClientOrderIdForm,
): string {
  if (form === 'text')
    return `${c.prefix}-${c.instance.toString(36)}-${c.epoch.toString(36)}-${counter.toString(36)}`;
  const e = c.epoch;
  const epochHigh = Math.floor(e / 2 ** 20); // bits 31..20
  const epochVariant = Math.floor(e / 2 ** 18) & 0x3; // bits 19..18
  const epochMid = Math.floor(e / 2 ** 6) & 0xfff; // bits 17..6
  const epochLow = e & 0x3f; // bits 5..0
  const tail = epochLow * 2 ** 42 + counter; // 48 bits, exact in a double
  return `${hex(fnv1a32(c.prefix), 8)}-${hex(c.instance, 4)}-8${hex(epochHigh, 3)}-${hex(8 + epochVariant, 1)}${hex(epochMid, 3)}-${hex(tail, 12)}`;
}

/**
 * Reads back one of our ids (either form) made with `prefix`, or undefined for anything else —
 * another system's order, a hand-placed one, a malformed string. Never throws.
 */
export function parseClientOrderId(id: string, prefix: string): ParsedClientOrderId | undefined {
  if (typeof id !== 'string' || typeof prefix !== 'string') return undefined;
  if (id.startsWith(`${prefix}-`)) {
    const parts = id.slice(prefix.length + 1).split('-');
    if (parts.length !== 3 || !parts.every((p) => p.length <= 11 && BASE36_PATTERN.test(p))) return undefined;
    const instance = Number.parseInt(parts[0]!, 36);
    const epoch = Number.parseInt(parts[1]!, 36);
    const counter = Number.parseInt(parts[2]!, 36);
    if (instance > MAX_INSTANCE || epoch > MAX_EPOCH || counter > MAX_COUNTER) return undefined;
    return { form: 'text', instance, epoch, counter };
  }
  if (!UUID_PATTERN.test(id) || id[14] !== '8') return undefined;
  if (Number.parseInt(id.slice(0, 8), 16) !== fnv1a32(prefix)) return undefined;
  const variant = Number.parseInt(id[19]!, 16);
  if (variant < 8 || variant > 11) return undefined;
  const epochHigh = Number.parseInt(id.slice(15, 18), 16);
  const epochMid = Number.parseInt(id.slice(20, 23), 16);
  const tail = Number.parseInt(id.slice(24), 16);
  const epochLow = Math.floor(tail / 2 ** 42);
  const counter = tail - epochLow * 2 ** 42;
  const epoch = epochHigh * 2 ** 20 + (variant - 8) * 2 ** 18 + epochMid * 2 ** 6 + epochLow;
  return { form: 'uuid', instance: Number.parseInt(id.slice(9, 13), 16), epoch, counter };
}

/** Hands out the ids of one process: counter 0, 1, 2, … in this epoch, shared by every venue. */
export class ClientOrderIds {
  private counter = 0;
  /** The text form up to its counter: only the counter changes from one id to the next. */
  private readonly textHead: string;

  constructor(readonly config: ClientOrderIdConfig) {
    checkConfig(config);
    this.textHead = `${config.prefix}-${config.instance.toString(36)}-${config.epoch.toString(36)}-`;
  }

  /** Ids handed out so far in this epoch. */
  get issued(): number {
    return this.counter;
  }

  next(exchange: ExchangeId): string {
    if (this.counter > MAX_COUNTER) throw new RangeError('client order id counter exhausted for this epoch');
    const form = CLIENT_ORDER_ID_RULES[exchange].form;
    // Same string as formatClientOrderId's text form, without re-encoding the fixed fields.
    if (form === 'text') return this.textHead + (this.counter++).toString(36);
    return formatClientOrderId(this.config, this.counter++, form);
  }

  /** Ours: made with this prefix (any instance or epoch — an earlier run's orders are ours too). */
  isOwn(id: string): boolean {
    return parseClientOrderId(id, this.config.prefix) !== undefined;
  }
}
