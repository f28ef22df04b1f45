/**
 * One line of a recorded capture, decoded. Formats (see test/fixtures/README.md):
 *   cryptofeed ws:   "<url> <-> <unix_s>" (connection opened), "<url> <- <unix_s>: <json>" (we sent),
 *                    "<unix_s>: <json>" (received, byte for byte)
 *   cryptofeed http: "<url> -> <unix_s>: <json>" (a REST response)
 *   hftbacktest:     "<receive_ns> <json>" (a REST depth snapshot is a line whose JSON has lastUpdateId)
 *   plain JSON lines (Bybit's historical download): "<json>", timed by the message's own "ts" (ms)
 * All times become integer microseconds.
 */
import type { Micros } from '../market/events.ts';
import { parseDecimal } from '../num/parse-decimal.ts';

export type CaptureRecordKind = 'open' | 'sent' | 'message' | 'rest';

export interface CaptureRecord {
  readonly kind: CaptureRecordKind;
  readonly localTs: Micros;
  /** The connection or REST URL, where the format records it. */
  readonly url: string;
  /** The raw JSON text, untouched. */
  readonly body: string;
}

/** Seconds with a fraction ("1633998512.0633569") → µs, exactly (sub-µs digits truncated). */
export function secondsToMicros(text: string): Micros {
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1, dot + 7).padEnd(6, '0');
  return parseDecimal(whole + frac, 0);
}

/** Nanoseconds ("1723161253937085768") → µs; a double cannot hold the ns value, so cut the string. */
export function nanosToMicros(text: string): Micros {
  return parseDecimal(text.length > 3 ? text.slice(0, -3) : '0', 0);
}

const RECEIVED = /^(\d+(?:\.\d+)?): /;
const WITH_URL = /^(\S+) (<->|<-|->) (\d+(?:\.\d+)?)(?:: )?/;
const NANOS = /^(\d{16,20}) /;
const JSON_TS = /"ts":(\d{10,16})/;

/** Decode one capture line; undefined for blank or unrecognised lines. */
export function parseCaptureLine(line: string): CaptureRecord | undefined {
  if (line.length === 0) return undefined;
  const c = line.charCodeAt(0);
  if (c === 123 || c === 91) {
    // Bare JSON line: the message's own ms timestamp is the only clock.
    const ts = JSON_TS.exec(line);
    return { kind: 'message', localTs: ts ? parseDecimal(ts[1]!, 0) * 1000 : 0, url: '', body: line };
  }
  let m = NANOS.exec(line);
  if (m) {
    const body = line.slice(m[0].length);
    const kind: CaptureRecordKind = body.includes('"lastUpdateId"') ? 'rest' : 'message';
    return { kind, localTs: nanosToMicros(m[1]!), url: '', body };
  }
  m = RECEIVED.exec(line);
  if (m) return { kind: 'message', localTs: secondsToMicros(m[1]!), url: '', body: line.slice(m[0].length) };
  m = WITH_URL.exec(line);
  if (m) {
    const kind: CaptureRecordKind = m[2] === '<->' ? 'open' : m[2] === '<-' ? 'sent' : 'rest';
    return { kind, localTs: secondsToMicros(m[3]!), url: m[1]!, body: line.slice(m[0].length) };
  }
  return undefined;
}
