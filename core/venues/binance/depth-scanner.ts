/**
 * Hand-written scanner for Binance `depthUpdate` frames — the hottest message of the platform.
 *
 * Why not JSON.parse: it builds an object, two arrays and two strings per level, which the book
 * then re-parses; measured on the BTCUSDT captures it alone runs at ~4 M level changes/s. This
 * scanner locates fields in the raw text in one pass and allocates nothing.
 *
 * Why bytes: the frame is copied once into a reusable byte array (TextEncoder.encodeInto, a native
 * copy) and read from there. Measured on the BTCUSDT captures, parsing the levels from a Uint8Array
 * runs 1.5× (spot) to 2.6× (USD-M) faster than from the string with `charCodeAt` (which re-checks
 * the string's representation on every call); the copy costs under a tenth of the parse. Node's
 * Buffer#utf8Write instead of encodeInto made no measurable difference, so the standard API stays. A frame that is not pure ASCII — never the case for Binance —
 * is not read here (NOT_DEPTH): the caller's JSON.parse path deals with it. Byte offsets therefore
 * equal string offsets. A NUL written after the frame stops every loop at its end.
 *
 * Whole feed (BinanceFeed.onMessage, raw line → exact book), same process, medians: spot 0.78× →
 * 2.0× JSON.parse's speed, USD-M 1.05× → 2.9× (with the window book in core/book/book-side.ts).
 *
 * Two modes:
 * - {@link DepthScan.scanHeader} (the feed's hot path): stops at the first level array once the
 *   header (e, s, U, u and, when asked, pu) is known, so the feed checks the sequence and then
 *   parses the arrays exactly once, straight into the book (apply-wire-levels.ts);
 * - {@link DepthScan.scan}: reads the whole frame and records where the level arrays are.
 * Both accept the raw stream form `{"e":"depthUpdate",...}` and the combined-stream envelope
 * `{"stream":"...","data":{...}}`, keys in any order, unknown keys skipped. Anything they do not
 * understand returns NOT_DEPTH or MALFORMED, and the caller falls back to JSON.parse, so a
 * surprise in the wire format costs speed, never correctness.
 *
 * Exactness: ids are read as JSON integers only — digits, no leading zero, at most 2^53 − 1 — so
 * `1e400`, `5.5`, `"5"`, `-1` and 2^53 + 1 are MALFORMED here (the caller counts them as
 * 'bad_sequence'), never rounded. An object (the frame or its envelope) naming a key twice is
 * DUPLICATE_KEY: JSON.parse keeps the last occurrence and this scanner would read the first, so
 * such a frame has no single meaning. Known keys are tracked as bits; the few unknown ones
 * (futures `T`) are compared by text.
 */

import { skipJsonSpace, skipJsonValue } from '../skip-json-value.ts';

export const ScanResult = { Depth: 1, NotDepth: 0, Malformed: -1, DuplicateKey: -2 } as const;
export type ScanResult = (typeof ScanResult)[keyof typeof ScanResult];

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;
const ZERO = 48;
const NINE = 57;

/** `object()` results besides an end index. */
const MALFORMED = -1;
const OTHER_MESSAGE = -2;
const STOPPED = -3;
const DUPLICATE = -4;

/** Keys seen in the current object (bits of `object()`'s `keys`). */
const KEY_E = 1;
const KEY_EVENT_TIME = 2;
const KEY_U = 4;
const KEY_FINAL = 8;
const KEY_S = 16;
const KEY_B = 32;
const KEY_A = 64;
const KEY_PU = 128;
const KEY_DATA = 256;
const KEY_STREAM = 512;
const KEY_T = 1024;
/** Unknown keys remembered per frame for the repeat check; a frame with more goes to JSON.parse. */
const MAX_UNKNOWN_KEYS = 16;

/** Header fields seen (bits of DepthScan.seen). */
const SEEN_U = 1;
const SEEN_FINAL = 2;
const SEEN_SYMBOL = 4;
const SEEN_BIDS = 8;
const SEEN_ASKS = 16;
const SEEN_PREV = 32;
const SEEN_HEADER = SEEN_U | SEEN_FINAL | SEEN_SYMBOL;
const SEEN_ALL = SEEN_HEADER | SEEN_BIDS | SEEN_ASKS;

const encoder = new TextEncoder();
const DEPTH_UPDATE = encoder.encode('depthUpdate"');
const AT_DEPTH = encoder.encode('@depth');

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Fields of the last scanned frame. One instance per feed, overwritten by each scan. */
export class DepthScan {
  symbolStart = 0;
  symbolEnd = 0;
  firstId = 0;
  finalId = 0;
  /** Futures only: the previous frame's final id; NaN on spot. */
  prevFinalId = Number.NaN;
  eventTime = 0;
  /** Futures `T` (transaction time, ms); NaN when the frame has none. */
  transactTime = Number.NaN;
  /** Level arrays `[…]` (start at '[', end after ']'); set by {@link scan}, not by a stopped {@link scanHeader}. */
  bidsStart = 0;
  bidsEnd = 0;
  asksStart = 0;
  asksEnd = 0;
  /**
   * After {@link scanHeader}: offset of the first level array's key (its opening quote) when the
   * scan stopped there, −1 when it read the whole frame (then the array offsets are set).
   */
  levelsAt = -1;
  /** Objects open at `levelsAt` (2 inside the combined-stream envelope). */
  levelsDepth = 0;
  /** The frame as bytes, `length` long, NUL-terminated, with ≥ 4 bytes of room after the NUL. */
  bytes = new Uint8Array(4096);
  /** `bytes` again, for reading four at a time (apply-wire-levels.ts). */
  view = new DataView(this.bytes.buffer);
  length = 0;
  private isDepth = false;
  private seen = 0;
  private stopAt = 0;
  /** Unknown keys of the open objects: start offset and length in `bytes`. */
  private readonly unknownStart = new Int32Array(MAX_UNKNOWN_KEYS);
  private readonly unknownLength = new Int32Array(MAX_UNKNOWN_KEYS);
  private unknownCount = 0;

  /** Read the whole frame. Depth: fields and array offsets set; NotDepth: another message; Malformed: not what we expect. */
  scan(text: string): ScanResult {
    return this.run(text, 0);
  }

  /**
   * Read up to the first level array once the header is known (e, s, U, u, and pu when
   * `needPrev`); otherwise like {@link scan}. On Depth, `levelsAt` says which happened. The arrays
   * and the rest of a stopped frame are not checked here: the caller's level walk checks them.
   */
  scanHeader(text: string, needPrev: boolean): ScanResult {
    return this.run(text, needPrev ? SEEN_HEADER | SEEN_PREV : SEEN_HEADER);
  }

  private run(text: string, stopAt: number): ScanResult {
    this.isDepth = false;
    this.seen = 0;
    this.prevFinalId = Number.NaN;
    this.eventTime = 0;
    this.transactTime = Number.NaN;
    this.levelsAt = -1;
    this.stopAt = stopAt;
    this.unknownCount = 0;
    if (!this.load(text)) return ScanResult.NotDepth;
    const b = this.bytes;
    const i = skipSpaces(b, 0);
    if (b[i] !== LBRACE) return ScanResult.NotDepth;
    const end = this.object(i, 1);
    if (end === STOPPED) return ScanResult.Depth;
    if (end < 0) {
      if (end === OTHER_MESSAGE) return ScanResult.NotDepth;
      return end === DUPLICATE ? ScanResult.DuplicateKey : ScanResult.Malformed;
    }
    if (!this.isDepth) return ScanResult.NotDepth;
    if (skipSpaces(b, end) !== this.length) return ScanResult.Malformed;
    return (this.seen & SEEN_ALL) === SEEN_ALL ? ScanResult.Depth : ScanResult.Malformed;
  }

  /** Copy `text` into `bytes`; false when it is not pure ASCII. */
  private load(text: string): boolean {
    const n = text.length;
    if (this.bytes.length < n + 8) {
      this.bytes = new Uint8Array(Math.max(n + 8, this.bytes.length * 2));
      this.view = new DataView(this.bytes.buffer);
    }
    // One small result object per frame: encodeInto has no other way to say how much it wrote.
    const r = encoder.encodeInto(text, this.bytes);
    if (r.read !== n || r.written !== n) return false;
    this.bytes[n] = 0;
    this.length = n;
    return true;
  }

  /** Returns the offset after the object, or MALFORMED / OTHER_MESSAGE / STOPPED / DUPLICATE. */
  private object(i: number, depth: number): number {
    const b = this.bytes;
    let keys = 0;
    const unknownBase = this.unknownCount;
    i++; // past '{'
    for (;;) {
      i = skipSpaces(b, i);
      let c = b[i]!;
      if (c === RBRACE) {
        this.unknownCount = unknownBase;
        return i + 1;
      }
      if (c !== QUOTE) return MALFORMED;
      const keyStart = i + 1;
      i = skipString(b, i);
      if (i < 0) return MALFORMED;
      const keyLen = i - 1 - keyStart;
      i = skipSpaces(b, i);
      if (b[i] !== COLON) return MALFORMED;
      i = skipSpaces(b, i + 1);
      const k = b[keyStart]!;
      c = b[i]!;
      if (keyLen === 1) {
        switch (k) {
          case 101: // e
            if ((keys & KEY_E) !== 0) return DUPLICATE;
            keys |= KEY_E;
            if (c !== QUOTE) return MALFORMED;
            if (!matches(b, i + 1, DEPTH_UPDATE)) return OTHER_MESSAGE;
            this.isDepth = true;
            i += 1 + DEPTH_UPDATE.length;
            break;
          case 69: // E
            if ((keys & KEY_EVENT_TIME) !== 0) return DUPLICATE;
            keys |= KEY_EVENT_TIME;
            i = this.readInt(i);
            if (i < 0) return MALFORMED;
            this.eventTime = this.lastInt;
            break;
          case 84: // T
            if ((keys & KEY_T) !== 0) return DUPLICATE;
            keys |= KEY_T;
            i = this.readInt(i);
            if (i < 0) return MALFORMED;
            this.transactTime = this.lastInt;
            break;
          case 85: // U
            if ((keys & KEY_U) !== 0) return DUPLICATE;
            keys |= KEY_U;
            i = this.readInt(i);
            if (i < 0) return MALFORMED;
            this.firstId = this.lastInt;
            this.seen |= SEEN_U;
            break;
          case 117: // u
            if ((keys & KEY_FINAL) !== 0) return DUPLICATE;
            keys |= KEY_FINAL;
            i = this.readInt(i);
            if (i < 0) return MALFORMED;
            this.finalId = this.lastInt;
            this.seen |= SEEN_FINAL;
            break;
          case 115: // s
            if ((keys & KEY_S) !== 0) return DUPLICATE;
            keys |= KEY_S;
            if (c !== QUOTE) return MALFORMED;
            this.symbolStart = i + 1;
            i = skipString(b, i);
            if (i < 0) return MALFORMED;
            this.symbolEnd = i - 1;
            this.seen |= SEEN_SYMBOL;
            break;
          case 98: // b
          case 97: // a
            if ((keys & (k === 98 ? KEY_B : KEY_A)) !== 0) return DUPLICATE;
            keys |= k === 98 ? KEY_B : KEY_A;
            if (c !== LBRACKET) return this.isDepth ? MALFORMED : OTHER_MESSAGE; // spot bookTicker has "b":"price"
            if (this.stopAt !== 0 && this.isDepth && (this.seen & this.stopAt) === this.stopAt) {
              this.levelsAt = keyStart - 1;
              this.levelsDepth = depth;
              return STOPPED;
            }
            // Not the hot path (that stops above): a plain structural skip, exact for any JSON.
            if (k === 98) {
              this.bidsStart = i;
              i = skipValue(b, i);
              this.bidsEnd = i;
              this.seen |= SEEN_BIDS;
            } else {
              this.asksStart = i;
              i = skipValue(b, i);
              this.asksEnd = i;
              this.seen |= SEEN_ASKS;
            }
            if (i < 0) return MALFORMED;
            break;
          default:
            if (!this.firstUnknown(keyStart, keyLen, unknownBase)) return this.unknownOverflow();
            i = skipValue(b, i);
            if (i < 0) return MALFORMED;
        }
      } else if (keyLen === 2 && k === 112 && b[keyStart + 1] === 117) {
        // pu
        if ((keys & KEY_PU) !== 0) return DUPLICATE;
        keys |= KEY_PU;
        i = this.readInt(i);
        if (i < 0) return MALFORMED;
        this.prevFinalId = this.lastInt;
        this.seen |= SEEN_PREV;
      } else if (keyLen === 4 && matchesText(b, keyStart, 'data')) {
        // Matched by name whatever its value, so a repeat of any type is seen as one.
        if ((keys & KEY_DATA) !== 0) return DUPLICATE;
        if (c !== LBRACE) return OTHER_MESSAGE;
        keys |= KEY_DATA;
        i = this.object(i, depth + 1);
        if (i < 0) return i;
      } else if (keyLen === 6 && matchesText(b, keyStart, 'stream')) {
        if ((keys & KEY_STREAM) !== 0) return DUPLICATE;
        if (c !== QUOTE) return OTHER_MESSAGE;
        keys |= KEY_STREAM;
        const close = skipString(b, i);
        if (close < 0) return MALFORMED;
        // "<symbol>@depth…" only; anything else is another stream.
        let at = i + 1;
        while (at < close && b[at] !== 64) at++;
        if (at === close || !matches(b, at, AT_DEPTH)) return OTHER_MESSAGE;
        i = close;
      } else {
        if (!this.firstUnknown(keyStart, keyLen, unknownBase)) return this.unknownOverflow();
        i = skipValue(b, i);
        if (i < 0) return MALFORMED;
      }
      i = skipSpaces(b, i);
      c = b[i]!;
      if (c === COMMA) i++;
      else if (c !== RBRACE) return MALFORMED;
    }
  }

  /** Why firstUnknown said no: a repeat, or no room left (then the caller's strict JSON reader decides). */
  private unknownOverflow(): number {
    return this.unknownCount === MAX_UNKNOWN_KEYS ? MALFORMED : DUPLICATE;
  }

  /**
   * Remember an unknown key of the object whose unknown keys start at `base`; false when that
   * object already has it (byte comparison: a key written with escapes is not Binance's plain
   * output, and the JSON path reads such frames) or there is no room left to remember it.
   */
  private firstUnknown(start: number, length: number, base: number): boolean {
    const b = this.bytes;
    const n = this.unknownCount;
    if (n === MAX_UNKNOWN_KEYS) return false;
    for (let k = base; k < n; k++) {
      if (this.unknownLength[k] !== length) continue;
      const other = this.unknownStart[k]!;
      let same = true;
      for (let j = 0; j < length; j++) {
        if (b[other + j] !== b[start + j]) {
          same = false;
          break;
        }
      }
      if (same) return false;
    }
    this.unknownStart[n] = start;
    this.unknownLength[n] = length;
    this.unknownCount = n + 1;
    return true;
  }

  private lastInt = 0;

  /** A JSON integer ≤ 2^53 − 1 at `i` (no sign, no leading zero); the offset after it, or -1. */
  private readInt(i: number): number {
    const b = this.bytes;
    let c = b[i]!;
    if (c < ZERO || c > NINE) return -1;
    if (c === ZERO && b[i + 1]! >= ZERO && b[i + 1]! <= NINE) return -1;
    let v = 0;
    do {
      v = v * 10 + (c - ZERO);
      c = b[++i]!;
    } while (c >= ZERO && c <= NINE);
    if (v > Number.MAX_SAFE_INTEGER) return -1;
    this.lastInt = v;
    return i;
  }
}

export function skipSpaces(b: Uint8Array, i: number): number {
  while (isSpace(b[i]!)) i++;
  return i;
}

function matches(b: Uint8Array, i: number, word: Uint8Array): boolean {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return false;
  return true;
}

function matchesText(b: Uint8Array, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** Skip one JSON value starting at `i`; returns the offset after it, -1 when malformed. */
export function skipValue(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c === QUOTE) return skipString(b, i);
  if (c === LBRACKET || c === LBRACE) {
    let depth = 0;
    for (;;) {
      const d = b[i]!;
      if (d === QUOTE) {
        i = skipString(b, i);
        if (i < 0) return -1;
        continue;
      }
      if (d === LBRACKET || d === LBRACE) depth++;
      else if (d === RBRACKET || d === RBRACE) {
        if (--depth === 0) return i + 1;
      } else if (d === 0) return -1;
      i++;
    }
  }
  // number, true, false, null
  const start = i;
  for (;;) {
    const d = b[i]!;
    if (d === COMMA || d === RBRACE || d === RBRACKET || d === 0 || isSpace(d)) break;
    i++;
  }
  return i > start ? i : -1;
}

/** Offset after the string whose opening quote is at `i`; -1 when it does not end. */
function skipString(b: Uint8Array, i: number): number {
  for (i++; ; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c === 0 || (c === BACKSLASH && b[++i] === 0)) return -1;
  }
}

/**
 * Walk a `[["price","size"],...]` range of the frame TEXT and hand each level's string ranges to
 * `onLevel` (the general path: any spacing, extra tuple elements). Returns false when the range is
 * not of that shape or `onLevel` refuses a level.
 */
export function forEachWireLevel(
  text: string,
  start: number,
  end: number,
  onLevel: (priceStart: number, priceEnd: number, sizeStart: number, sizeEnd: number) => boolean,
): boolean {
  let i = start + 1;
  for (;;) {
    while (isSpace(text.charCodeAt(i))) i++;
    let c = text.charCodeAt(i);
    if (c === RBRACKET) return i + 1 === end;
    if (c !== LBRACKET) return false;
    i++;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== QUOTE) return false;
    const ps = i + 1;
    const pe = text.indexOf('"', ps);
    if (pe < 0 || pe >= end) return false;
    i = pe + 1;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== COMMA) return false;
    i++;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== QUOTE) return false;
    const ss = i + 1;
    const se = text.indexOf('"', ss);
    if (se < 0 || se >= end) return false;
    i = se + 1;
    // Tolerate extra tuple elements.
    for (;;) {
      while (isSpace(text.charCodeAt(i))) i++;
      c = text.charCodeAt(i);
      if (c === RBRACKET) break;
      if (c !== COMMA) return false;
      i = skipJsonValue(text, skipJsonSpace(text, i + 1));
      if (i < 0) return false;
    }
    i++;
    if (!onLevel(ps, pe, ss, se)) return false;
    while (isSpace(text.charCodeAt(i))) i++;
    c = text.charCodeAt(i);
    if (c === COMMA) i++;
    else if (c !== RBRACKET) return false;
  }
}
