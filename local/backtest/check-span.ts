/**
 * Refuse a tape whose time span the engine cannot walk. The engine samples equity (and fires
 * strategy timers) on a fixed clock across the WHOLE span, gaps included — a folder holding captures
 * of different sessions (the bundled Binance fixtures are from 2021 and 2024) makes a tape spanning
 * years, i.e. tens of millions of samples and an out-of-memory crash half a minute later. Better a
 * clear message now.
 */
import type { Tape } from '../../core/backtest/tape/tape.ts';

/** More equity samples than this is refused (≈ 58 days at the default 1 s). */
export const MAX_EQUITY_SAMPLES = 5_000_000;

export function checkTapeSpan(tape: Tape, equityIntervalUs: number): void {
  if (tape.length === 0) return;
  const span = tape.endTs - tape.startTs;
  const samples = span / equityIntervalUs;
  if (samples <= MAX_EQUITY_SAMPLES) return;
  const days = (span / 86_400e6).toFixed(1);
  const sessions = tape.sources
    .map((s) => s.name.split(/[\\/]/).pop())
    .filter((s) => s !== undefined)
    .join(', ');
  throw new Error(
    `the data spans ${days} days (${new Date(tape.startTs / 1000).toISOString()} → ` +
      `${new Date(tape.endTs / 1000).toISOString()}; sources: ${sessions}); at one equity sample every ` +
      `${equityIntervalUs / 1e6} s that is ${Math.round(samples / 1e6)} M samples. Captures of different ` +
      'sessions do not make one backtest: narrow it with --from/--to or --symbols, or pass one capture.',
  );
}
