/**
 * Tick positions and labels for a UTC time axis over µs timestamps: the smallest calendar-friendly
 * interval (1 ms … 1 year) that keeps the labels from crowding, ticks aligned to multiples of it
 * since the epoch (so minutes fall on :00, days on midnight UTC), labels only as precise as the
 * interval needs. Below 1 ms (sub-millisecond captures) the ticks fall back to plain 1-2-5 µs steps.
 */
import type { Micros } from '../../../market/events.ts';
import { formatUtc } from '../format.ts';
import { niceStep, ticksInside } from './linear-scale.ts';

const MS = 1000;
const SEC = 1000 * MS;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const INTERVALS: readonly number[] = [
  MS,
  2 * MS,
  5 * MS,
  10 * MS,
  20 * MS,
  50 * MS,
  100 * MS,
  200 * MS,
  500 * MS,
  SEC,
  2 * SEC,
  5 * SEC,
  10 * SEC,
  15 * SEC,
  30 * SEC,
  MIN,
  2 * MIN,
  5 * MIN,
  10 * MIN,
  15 * MIN,
  30 * MIN,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  90 * DAY,
  365 * DAY,
];

export interface TimeTicks {
  readonly ticks: readonly Micros[];
  readonly interval: number;
  format(ts: Micros): string;
  /** Axis title, with the date when the whole axis is within one UTC day. */
  readonly label: string;
}

function labelFor(interval: number, spansDays: boolean): (ts: Micros) => string {
  if (interval < MS)
    return (ts) => `${formatUtc(ts, 'millisecond').slice(17)}${String(ts % 1000).padStart(3, '0')}`;
  if (interval < SEC) return (ts) => formatUtc(ts, 'millisecond').slice(11); // HH:MM:SS.mmm
  if (interval < MIN) return (ts) => formatUtc(ts, 'second').slice(11); // HH:MM:SS
  if (interval < DAY)
    return spansDays ? (ts) => formatUtc(ts, 'minute').slice(5) : (ts) => formatUtc(ts, 'minute').slice(11);
  return (ts) => formatUtc(ts, 'day');
}

/** Approximate label width in px at 11 px font, to decide how many ticks fit. */
function labelWidth(interval: number, spansDays: boolean): number {
  if (interval < SEC) return 84;
  if (interval < MIN) return 56;
  if (interval < DAY) return spansDays ? 76 : 40;
  return 72;
}

export function timeTicks(start: Micros, end: Micros, widthPx: number): TimeTicks {
  const span = Math.max(1, end - start);
  const spansDays = Math.floor(start / DAY) !== Math.floor(end / DAY);
  const label = spansDays ? 'Time (UTC)' : `Time (UTC, ${formatUtc(start, 'day')})`;
  for (const interval of INTERVALS) {
    const room = Math.max(2, Math.floor(widthPx / (labelWidth(interval, spansDays) + 24)));
    if (span / interval <= room) {
      const ticks = ticksInside(start, end, interval);
      return { ticks, interval, format: labelFor(interval, spansDays), label };
    }
  }
  const interval = niceStep(span, 6);
  return { ticks: ticksInside(start, end, interval), interval, format: (ts) => formatUtc(ts, 'day'), label };
}

/** Sub-millisecond spans: plain µs steps, labelled in seconds within the minute. */
export function microTicks(start: Micros, end: Micros, widthPx: number): TimeTicks {
  const interval = niceStep(Math.max(1, end - start), Math.max(2, Math.floor(widthPx / 110)));
  return {
    ticks: ticksInside(start, end, interval),
    interval,
    format: labelFor(interval, false),
    label: `Time (UTC, ${formatUtc(start, 'day')})`,
  };
}

/** The right tick generator for the span. */
export function utcTicks(start: Micros, end: Micros, widthPx: number): TimeTicks {
  return end - start < 4 * MS ? microTicks(start, end, widthPx) : timeTicks(start, end, widthPx);
}
