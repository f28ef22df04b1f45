/**
 * Quality of a raw payload's frames, counted without venue state: how many WebSocket messages,
 * REST bodies and bytes it holds, and how many messages are not well-formed JSON (every venue the
 * platform speaks sends JSON, so such a frame is a broken or truncated message).
 */
import { RAW, RAW_TABLE, RAW_TYPES } from '../../core/recording/recording-tables.ts';
import type { RowsPayload } from '../../fargate/stream/rows-payload.ts';

export interface FrameQuality {
  readonly messages: number;
  readonly rest: number;
  readonly badMessages: number;
  readonly bytes: number;
}

const MESSAGE = RAW_TYPES.indexOf('message');
const REST = RAW_TYPES.indexOf('rest');

export function frameQuality(payload: RowsPayload): FrameQuality {
  const width = RAW_TABLE.numbers.length;
  const textColumns = RAW_TABLE.texts.length;
  let messages = 0;
  let rest = 0;
  let badMessages = 0;
  let bytes = 0;
  for (let r = 0; r < payload.rows; r++) {
    const type = payload.numbers[r * width + RAW.type];
    const body = payload.texts[r * textColumns + RAW.body] ?? '';
    bytes += body.length;
    if (type === REST) rest++;
    if (type !== MESSAGE) continue;
    messages++;
    try {
      JSON.parse(body);
    } catch {
      badMessages++;
    }
  }
  return { messages, rest, badMessages, bytes };
}
