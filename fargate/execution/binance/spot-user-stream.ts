/**
 * Spot user data on the WS API (`/ws-api/v3`): `userDataStream.subscribe.signature` with `apiKey`,
 * `timestamp` and the signature over the params sorted by name (`k=v` joined with `&`, not
 * percent-encoded). listenKeys are gone on spot (docs/execution.md): never used here. Events come
 * as `{"subscriptionId":n,"event":{…}}`; `executionReport` is the order update.
 */
import type { JsonObject } from '../../../core/venues/wire-guards.ts';
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { ServerClock } from '../server-clock.ts';
import type { BinanceSigner } from './sign.ts';
import type { StreamSession } from './user-stream.ts';

/** The id of our subscribe request, so its answer can be told from events. */
const SUBSCRIBE_ID = 'user-data';

/** The WS API payload to sign: params except `signature`, sorted by key, `k=v` joined with `&`. */
export function wsApiPayload(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function spotStreamSession(
  wsApiUrl: string,
  apiKey: string,
  signer: BinanceSigner,
  clock: ServerClock,
  redactor: SecretRedactor,
): StreamSession {
  const params: Record<string, string> = { apiKey, timestamp: String(clock.nowMs()) };
  // The WS API wants the raw base64/hex signature (JSON carries it; no percent-encoding).
  const signature = decodeURIComponent(signer.sign(wsApiPayload(params)));
  redactor.addSignature(signature);
  const hello = JSON.stringify({
    id: SUBSCRIBE_ID,
    method: 'userDataStream.subscribe.signature',
    params: { apiKey, timestamp: Number(params.timestamp), signature },
  });
  return { url: wsApiUrl, hello };
}

/** The executionReport inside a WS API event frame. */
export function unwrapSpotEvent(frame: JsonObject): JsonObject | undefined {
  const event = frame.event;
  return isObject(event) && event.e === 'executionReport' ? event : undefined;
}

/** The venue's refusal of our subscribe request (`{"id":"user-data","status":400,"error":{…}}`). */
export function spotSubscribeRefusal(frame: JsonObject): string | undefined {
  if (frame.id !== SUBSCRIBE_ID || frame.status === 200) return undefined;
  const e = isObject(frame.error) ? frame.error : {};
  return `code ${typeof e.code === 'number' ? e.code : '?'} ${typeof e.msg === 'string' ? e.msg.slice(0, 200) : ''}`;
}
