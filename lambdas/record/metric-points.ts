/**
 * The time-series points in a rows payload: a top-of-book point per book row (best bid and ask as
 * exact decimals) and a quality point per quality event row. Symbols are the partition's
 * (path-safe: BTC-USDT), the spelling the archive's folders use.
 */

import { formatDecimalTrimmed } from '../../core/num/format-decimal.ts';
import {
  BOOK,
  EVENT,
  EVENT_TABLE,
  EVENT_TYPES,
  ISSUE_SEPARATOR,
  LOCAL_TS_SLOT,
} from '../../core/recording/recording-tables.ts';
import type { QualityPoint, TopOfBookPoint } from '../../core/recording/time-series-store.ts';
import { type RowsPayload, recordingTableNamed } from '../../fargate/stream/rows-payload.ts';

const QUALITY_CODE = EVENT_TYPES.indexOf('quality');

function decimal(units: number | null | undefined, scale: number | null | undefined): string | null {
  if (units === null || units === undefined || scale === null || scale === undefined) return null;
  return formatDecimalTrimmed(units, scale);
}

export function topOfBookPoints(payload: RowsPayload): TopOfBookPoint[] {
  const table = recordingTableNamed(payload.table);
  if (table?.kind !== 'book') return [];
  const width = table.numbers.length;
  const points: TopOfBookPoint[] = [];
  for (let r = 0; r < payload.rows; r++) {
    const n = (slot: number) => payload.numbers[r * width + slot];
    const priceScale = n(BOOK.priceScale);
    const sizeScale = n(BOOK.sizeScale);
    const ts = n(LOCAL_TS_SLOT);
    const bidPrice = decimal(n(BOOK.levels), priceScale);
    const askPrice = decimal(n(BOOK.levels + 2), priceScale);
    // An empty book has no point to plot (and Timestream takes no record without a measure).
    if (ts === null || ts === undefined || (bidPrice === null && askPrice === null)) continue;
    points.push({
      exchange: payload.exchange,
      symbol: payload.symbol,
      ts,
      bidPrice,
      bidSize: decimal(n(BOOK.levels + 1), sizeScale),
      askPrice,
      askSize: decimal(n(BOOK.levels + 3), sizeScale),
    });
  }
  return points;
}

export function qualityPoints(payload: RowsPayload): QualityPoint[] {
  if (payload.table !== EVENT_TABLE.name) return [];
  const width = EVENT_TABLE.numbers.length;
  const textColumns = EVENT_TABLE.texts.length;
  const points: QualityPoint[] = [];
  for (let r = 0; r < payload.rows; r++) {
    const type = payload.numbers[r * width + EVENT.type];
    const score = payload.numbers[r * width + EVENT.score];
    const ts = payload.numbers[r * width + LOCAL_TS_SLOT];
    if (type !== QUALITY_CODE || score === null || score === undefined || ts === null || ts === undefined)
      continue;
    const issues = payload.texts[r * textColumns + EVENT.issues] ?? '';
    points.push({
      exchange: payload.exchange,
      symbol: payload.symbol,
      ts,
      score,
      issues: issues === '' ? [] : issues.split(ISSUE_SEPARATOR),
    });
  }
  return points;
}
