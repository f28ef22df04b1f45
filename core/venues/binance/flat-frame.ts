/**
 * Reader for Binance's small flat frames — bookTicker, trade, aggTrade: one object of string,
 * integer and boolean values, bare or in the combined-stream envelope `{"stream":"…","data":{…}}`.
 * On a USD-M BTCUSDT day they are ~93 % of the frames (bookTicker alone ~70 %), so reading them
 * through JSON.parse plus the strict duplicate-key pass would cost more than every depth diff.
 *
 * It accepts only a subset of JSON whose meaning is unambiguous: no whitespace, no escapes, no
 * characters outside printable ASCII, integers of at most 15 digits without sign or leading zero
 * (exact as doubles, and `String(Number(text)) === text`), `true`/`false`, keys named once per
 * object. A top-level object without the envelope may not name `stream`. Anything else — floats,
 * null, nesting, a repeated key — returns false, and the caller takes the JSON.parse path, so a
 * surprise costs speed, never correctness. Nothing is allocated: the frame is copied into a reusable
 * byte array (TextEncoder.encodeInto, as the depth scanner does: reading bytes is faster than
 * `charCodeAt` on the sliced strings a capture line yields) and fields are offsets into it, which
 * equal string offsets because only ASCII is read.
 */

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const ZERO = 48;
const NINE = 57;
/** Digits of the longest integer read (below 2^53 and printed back unchanged). */
const MAX_DIGITS = 15;
/** Keys of one frame; a frame with more is not a flat frame. */
const MAX_KEYS = 24;

export const FlatValue = { String: 1, Integer: 2, True: 3, False: 4 } as const;

const encoder = new TextEncoder();
const ENVELOPE_HEAD = encoder.encode('{"stream":"');
const ENVELOPE_DATA = encoder.encode(',"data":');
const TRUE = encoder.encode('true');
const FALSE = encoder.encode('false');

/** Fields of the last frame read. One instance per feed, overwritten by each read. */
export class FlatFrame {
  count = 0;
  private readonly keyStart = new Int32Array(MAX_KEYS);
  private readonly keyEnd = new Int32Array(MAX_KEYS);
  private readonly valueStart = new Int32Array(MAX_KEYS);
  private readonly valueEnd = new Int32Array(MAX_KEYS);
  private readonly valueKind = new Uint8Array(MAX_KEYS);
  private text = '';
  private bytes = new Uint8Array(512);

  /** Read `text`; true when it is a flat frame (its data object's fields are then available). */
  read(text: string): boolean {
    this.text = text;
    this.count = 0;
    const n = text.length;
    if (this.bytes.length < n + 1) this.bytes = new Uint8Array(Math.max(n + 1, this.bytes.length * 2));
    const b = this.bytes;
    const r = encoder.encodeInto(text, b);
    if (r.read !== n || r.written !== n) return false;
    // A NUL after the frame ends every loop at its end.
    b[n] = 0;
    if (startsWith(b, ENVELOPE_HEAD, 0)) {
      const streamEnd = stringEnd(b, ENVELOPE_HEAD.length);
      if (streamEnd < 0 || !startsWith(b, ENVELOPE_DATA, streamEnd + 1)) return false;
      const end = this.object(streamEnd + 1 + ENVELOPE_DATA.length);
      return end > 0 && end === n - 1 && b[end] === RBRACE;
    }
    if (this.object(0) !== n) return false;
    return this.indexOf('stream') < 0;
  }

  /** Index of `key` in the frame, −1 when absent. */
  indexOf(key: string): number {
    for (let k = 0; k < this.count; k++) {
      const s = this.keyStart[k]!;
      if (this.keyEnd[k]! - s === key.length && this.equals(s, key)) return k;
    }
    return -1;
  }

  /** FlatValue of field k (0 when k < 0). */
  kind(k: number): number {
    return k < 0 ? 0 : this.valueKind[k]!;
  }

  /** Is `key` a string equal to `value`? */
  isString(key: string, value: string): boolean {
    const k = this.indexOf(key);
    if (k < 0 || this.valueKind[k] !== FlatValue.String) return false;
    const s = this.valueStart[k]!;
    return this.valueEnd[k]! - s === value.length && this.equals(s, value);
  }

  /** The text of field k's value (a string without its quotes). */
  valueText(k: number): string {
    return this.text.slice(this.valueStart[k]!, this.valueEnd[k]!);
  }

  /** Field k's integer value. */
  integer(k: number): number {
    return Number(this.valueText(k));
  }

  private equals(at: number, literal: string): boolean {
    const b = this.bytes;
    for (let j = 0; j < literal.length; j++) if (b[at + j] !== literal.charCodeAt(j)) return false;
    return true;
  }

  /** Returns the offset after the object at `i`, or −1. */
  private object(i: number): number {
    const b = this.bytes;
    if (b[i] !== LBRACE) return -1;
    i++;
    if (b[i] === RBRACE) return i + 1;
    for (;;) {
      if (b[i] !== QUOTE || this.count === MAX_KEYS) return -1;
      const ks = i + 1;
      const ke = stringEnd(b, ks);
      if (ke < 0 || b[ke + 1] !== COLON) return -1;
      if (this.repeats(ks, ke)) return -1;
      i = ke + 2;
      const k = this.count++;
      this.keyStart[k] = ks;
      this.keyEnd[k] = ke;
      const c = b[i]!;
      if (c === QUOTE) {
        const ve = stringEnd(b, i + 1);
        if (ve < 0) return -1;
        this.valueStart[k] = i + 1;
        this.valueEnd[k] = ve;
        this.valueKind[k] = FlatValue.String;
        i = ve + 1;
      } else if (c >= ZERO && c <= NINE) {
        let j = i + 1;
        while (isDigit(b[j]!)) j++;
        if (j - i > MAX_DIGITS || (c === ZERO && j - i > 1)) return -1;
        this.valueStart[k] = i;
        this.valueEnd[k] = j;
        this.valueKind[k] = FlatValue.Integer;
        i = j;
      } else if (startsWith(b, TRUE, i)) {
        this.valueKind[k] = FlatValue.True;
        i += 4;
      } else if (startsWith(b, FALSE, i)) {
        this.valueKind[k] = FlatValue.False;
        i += 5;
      } else return -1;
      const d = b[i];
      if (d === RBRACE) return i + 1;
      if (d !== COMMA) return -1;
      i++;
    }
  }

  /** Does the key at [ks, ke) repeat one already read in this object? */
  private repeats(ks: number, ke: number): boolean {
    const b = this.bytes;
    const len = ke - ks;
    for (let k = 0; k < this.count; k++) {
      const s = this.keyStart[k]!;
      if (this.keyEnd[k]! - s !== len) continue;
      let same = true;
      for (let j = 0; j < len && same; j++) same = b[s + j] === b[ks + j];
      if (same) return true;
    }
    return false;
  }
}

function startsWith(b: Uint8Array, prefix: Uint8Array, at: number): boolean {
  for (let j = 0; j < prefix.length; j++) if (b[at + j] !== prefix[j]) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Offset of the closing quote of a string starting at `i` (after its opening quote); −1 on an escape, a control character or the end (the NUL). */
function stringEnd(b: Uint8Array, i: number): number {
  for (;;) {
    const c = b[i]!;
    if (c === QUOTE) return i;
    if (c < 0x20 || c > 0x7e || c === 92) return -1;
    i++;
  }
}
