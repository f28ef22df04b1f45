/**
 * What the recorder tells a person: one line per warning (drops, failed writes, recovery) and one
 * closing summary that says what was stored and what was not, and why.
 */
import type { RecordingKind } from '../../core/recording/recording-tables.ts';
import type { RecorderStats, RecorderWarning } from './recorder.ts';

const KINDS: readonly RecordingKind[] = ['raw', 'book', 'trade', 'event'];

export function describeRecorderWarning(w: RecorderWarning): string {
  switch (w.type) {
    case 'dropped':
      return `recorder: buffer full, dropped the ${w.dropped} oldest ${w.kind} rows (total ${w.totalDropped})`;
    case 'write_failed': {
      const retry = w.retryInMs >= 0 ? `kept, retrying in ${w.retryInMs} ms` : 'closing: not retried';
      const held = w.heldBack > 0 ? `; ${w.heldBack} more failed writes since the last line` : '';
      return `recorder: write failed (${w.kind}, ${w.rows} rows ${retry}): ${w.error}${held}`;
    }
    case 'write_recovered':
      return `recorder: writing again after ${w.failedAttempts} failed writes over ${(w.outageMs / 1000).toFixed(1)} s; the rows kept meanwhile are written`;
  }
}

/** Rows accepted but not (known to be) stored: dropped, waiting, in flight, given up, unknown. */
export function unwrittenRows(stats: RecorderStats): number {
  let n = 0;
  for (const k of KINDS) {
    const t = stats[k];
    n += t.dropped + t.waiting + t.inFlight + t.failed + t.unsettled;
  }
  return n;
}

/** The closing summary: stored rows and files, then each way a row was not stored (only those that happened). */
export function describeRecorderClose(stats: RecorderStats): string {
  let written = 0;
  let files = 0;
  let dropped = 0;
  let failed = 0;
  let unsettled = 0;
  for (const k of KINDS) {
    const t = stats[k];
    written += t.written;
    files += t.files;
    dropped += t.dropped;
    failed += t.failed + t.waiting;
    unsettled += t.unsettled + t.inFlight;
  }
  const lost: string[] = [];
  if (dropped > 0) lost.push(`${dropped} dropped (buffer full)`);
  if (failed > 0) lost.push(`${failed} not written (still failing or waiting when closing gave up)`);
  if (unsettled > 0) lost.push(`${unsettled} in a write still running at exit (may or may not be on disk)`);
  if (stats.ignoredAfterClose > 0) lost.push(`${stats.ignoredAfterClose} arrived after close (ignored)`);
  const head = `recorder: ${written} rows written in ${files} files`;
  return lost.length > 0 ? `${head}; ${lost.join(', ')}` : `${head}, nothing lost`;
}
