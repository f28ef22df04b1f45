/**
 * KuCoin spot public websocket.
 * - No fixed URL: each connection first POSTs `/api/v1/bullet-public` (through the REST weight
 *   budget) and connects to `instanceServers[0].endpoint?token=…&connectId=…`. The token is a
 *   credential of sorts: it never appears in logs, events or recordings.
 * - Wait for `{"type":"welcome"}`, then subscribe `{"id":1,"type":"subscribe","topic":
 *   "/market/level2:BTC-USDT,ETH-USDT","privateChannel":false,"response":true}` and the same for
 *   `/market/match:` — at most 100 symbols per topic, maxSymbolsPerConnection per connection.
 * - Keep-alive: `{"id":"n","type":"ping"}` every `pingInterval` of the token response; no frame for
 *   pingInterval + pingTimeout means the connection is dead.
 * - Books come from REST snapshots (the feed asks), so there is no per-symbol resubscribe.
 */
import type { ResolvedVenue } from '../../../config/venues.ts';
import { isObject, parseJson } from '../../../core/venues/wire-guards.ts';
import { redactUrl } from '../redact.ts';
import { type ConnectTarget, chunk, type TargetContext, type VenueProtocol } from './venue-protocol.ts';

type KucoinVenue = Extract<ResolvedVenue, { exchange: 'kucoin' }>;

interface InstanceServer {
  readonly endpoint: string;
  readonly pingInterval: number;
  readonly pingTimeout: number;
}

/** The usable parts of a bullet-public response, or a reason why there are none. */
export function parseBulletResponse(body: string): { token: string; server: InstanceServer } | string {
  const msg = parseJson(body);
  if (!isObject(msg)) return 'token response is not a JSON object';
  if (msg.code !== '200000') return `token refused (code ${String(msg.code)})`;
  const data = msg.data;
  if (!isObject(data) || typeof data.token !== 'string' || !Array.isArray(data.instanceServers)) {
    return 'token response without token or instanceServers';
  }
  const s: unknown = data.instanceServers[0];
  if (
    !isObject(s) ||
    typeof s.endpoint !== 'string' ||
    typeof s.pingInterval !== 'number' ||
    typeof s.pingTimeout !== 'number'
  ) {
    return 'token response without a usable instance server';
  }
  return {
    token: data.token,
    server: { endpoint: s.endpoint, pingInterval: s.pingInterval, pingTimeout: s.pingTimeout },
  };
}

export class KucoinProtocol implements VenueProtocol {
  readonly exchange = 'kucoin' as const;
  readonly sendIntervalMs: number;
  readonly pingIntervalMs = undefined;
  private nextId = 1;

  constructor(private readonly venue: KucoinVenue) {
    this.sendIntervalMs = venue.settings.sendIntervalMs;
  }

  shard(symbols: readonly string[]): string[][] {
    return chunk(symbols, this.venue.settings.maxSymbolsPerConnection);
  }

  async target(ctx: TargetContext): Promise<ConnectTarget> {
    const s = this.venue.settings;
    const res = await ctx.rest.post(s.tokenPath, s.tokenWeight, ctx.signal);
    const parsed = parseBulletResponse(res.body);
    if (typeof parsed === 'string') throw new Error(parsed);
    const url = new URL(parsed.server.endpoint);
    url.searchParams.set('token', parsed.token);
    url.searchParams.set('connectId', ctx.connectId);
    return {
      url: url.toString(),
      displayUrl: redactUrl(url.toString()),
      pingIntervalMs: parsed.server.pingInterval,
      idleTimeoutMs: parsed.server.pingInterval + parsed.server.pingTimeout,
    };
  }

  isWelcome(raw: string): boolean {
    const msg = parseJson(raw);
    return isObject(msg) && msg.type === 'welcome';
  }

  subscribe(symbols: readonly string[]): string[] {
    const out: string[] = [];
    for (const group of chunk(symbols, this.venue.settings.maxSymbolsPerTopic)) {
      for (const channel of ['/market/level2:', '/market/match:']) {
        out.push(
          JSON.stringify({
            id: this.nextId++,
            type: 'subscribe',
            topic: channel + group.join(','),
            privateChannel: false,
            response: true,
          }),
        );
      }
    }
    return out;
  }

  resubscribeBook(): undefined {
    return undefined;
  }

  ping(n: number): string {
    return JSON.stringify({ id: String(n), type: 'ping' });
  }
}
