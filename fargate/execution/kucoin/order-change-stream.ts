/**
 * How the private order stream speaks KuCoin: before each connect a token and endpoint from the
 * signed `POST /api/v1/bullet-private` (the URL is `endpoint?token=…&connectId=…`), after the
 * `welcome` frame `{"type":"subscribe","topic":"/spotMarket/tradeOrdersV2","privateChannel":true,
 * "response":true}` (→ `ack`), `{"type":"ping"}` at the bullet's `pingInterval`.
 */
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { OrderStreamProtocol } from '../private-order-stream.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { KucoinRest } from './kucoin-rest.ts';
import { classifyKucoinFrame, KUCOIN_ORDER_TOPIC } from './order-change-message.ts';

const DEFAULT_PING_MS = 18_000;

export function kucoinOrderChangeProtocol(rest: KucoinRest, redactor: SecretRedactor): OrderStreamProtocol {
  let n = 0;
  const protocol: OrderStreamProtocol = {
    async session() {
      const data = await rest.signed('POST', '/api/v1/bullet-private');
      const token = isObject(data) && typeof data.token === 'string' ? data.token : '';
      const servers = isObject(data) && Array.isArray(data.instanceServers) ? data.instanceServers : [];
      const server: unknown = servers[0];
      if (!token || !isObject(server) || typeof server.endpoint !== 'string')
        throw new Error('kucoin bullet-private answered no token or endpoint');
      redactor.addSecret(token);
      if (typeof server.pingInterval === 'number' && server.pingInterval >= 1000)
        protocol.pingIntervalMs = server.pingInterval;
      const url = `${server.endpoint}?token=${encodeURIComponent(token)}&connectId=order-${++n}`;
      const subscribe = {
        id: `sub-${n}`,
        type: 'subscribe',
        topic: KUCOIN_ORDER_TOPIC,
        privateChannel: true,
        response: true,
      };
      return { url, subscribe: [JSON.stringify(subscribe)] };
    },
    waitsForWelcome: true,
    classify: classifyKucoinFrame,
    pingIntervalMs: DEFAULT_PING_MS,
    ping: () => JSON.stringify({ id: `ping-${++n}`, type: 'ping' }),
  };
  return protocol;
}
