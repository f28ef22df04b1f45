/**
 * Where a simulator session's venue ids (update ids, sequences, trade ids) start, so that ids keep
 * increasing across restarts as a real venue's do: a recording folder holding several sessions
 * never sees an id twice.
 *
 * The start is the session's start time in µs since 2024-01-01, plus FIRST_SEQUENCE. A later session
 * starts above every id an earlier one used as long as each symbol used fewer ids than microseconds
 * went by — under one million level changes a second per symbol; the bundled replays make about a
 * thousand a second at speed 1 (USD-M BTCUSDT depth@0ms, the busiest), so any replay speed below
 * ~500 keeps the rule. Persisting the last ids instead would need a state file per data folder and
 * break for a second simulator started beside the first; the clock needs neither.
 *
 * The 2024 origin keeps ids at 15 digits or fewer until 2055: venues that send ids as digit strings
 * (KuCoin) are read by core/venues/sequence-id.ts, which takes at most 15 digits. Bybit reads u = 1
 * as "service restarted": the start is never below FIRST_SEQUENCE.
 */
import type { Micros } from '../../../core/market/events.ts';
import { FIRST_SEQUENCE } from './truth-book.ts';

/** 2024-01-01T00:00:00Z in µs. */
export const SESSION_ID_ORIGIN_MICROS: Micros = Date.UTC(2024, 0, 1) * 1000;

/** The first id of a session started at `startMicros` (a clock before the origin gives FIRST_SEQUENCE). */
export function sessionFirstId(startMicros: Micros): number {
  return FIRST_SEQUENCE + Math.max(0, Math.floor(startMicros - SESSION_ID_ORIGIN_MICROS));
}
