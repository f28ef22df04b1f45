/**
 * How the private order stream speaks Kraken WS v2: before each connect a token from REST
 * `GetWebSocketsToken` (valid 15 min for connecting; a live connection keeps it), then
 * `{"method":"subscribe","params":{"channel":"executions","token",…}}` on open — no order or trade
 * snapshot: after a reconnect the adapter's TradesHistory poll fills the gap. Ping
 * `{"method":"ping"}` every 20 s (the venue also sends `heartbeat`).
 */
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { OrderStreamProtocol } from '../private-order-stream.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import { classifyKrakenFrame } from './executions-message.ts';
import type { KrakenRest } from './kraken-rest.ts';

export function krakenExecutionsProtocol(
  rest: KrakenRest,
  url: string,
  redactor: SecretRedactor,
): OrderStreamProtocol {
  let reqId = 0;
  return {
    async session() {
      const result = await rest.call('GetWebSocketsToken', {});
      const token = isObject(result) && typeof result.token === 'string' ? result.token : '';
      if (!token) throw new Error('kraken GetWebSocketsToken answered no token');
      redactor.addSecret(token);
      const params = { channel: 'executions', token, snap_orders: false, snap_trades: false };
      return { url, subscribe: [JSON.stringify({ method: 'subscribe', params, req_id: ++reqId })] };
    },
    waitsForWelcome: false,
    classify: classifyKrakenFrame,
    pingIntervalMs: 20_000,
    ping: () => JSON.stringify({ method: 'ping', req_id: ++reqId }),
  };
}
