/**
 * How the private order stream speaks Coinbase Advanced Trade: on open, one subscribe to `user` for
 * the adapter's products and one to `heartbeats` (a channel with no traffic is closed after 60–90 s),
 * each with its own fresh JWT (no `uri` claim; it lives two minutes, so it is signed per connect on
 * the venue's clock). `subscriptions` answers, `error` refuses. No application ping.
 */
import type { OrderStreamProtocol } from '../private-order-stream.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { ServerClock } from '../server-clock.ts';
import type { CoinbaseSigner } from './sign.ts';
import { classifyCoinbaseFrame } from './user-channel-message.ts';

export function coinbaseUserProtocol(
  url: string,
  products: readonly string[],
  signer: CoinbaseSigner,
  clock: ServerClock,
  redactor: SecretRedactor,
): OrderStreamProtocol {
  const subscribe = (channel: string): string => {
    const jwt = signer.wsJwt(clock.nowMs() / 1000);
    redactor.addSignature(jwt);
    return JSON.stringify({ type: 'subscribe', channel, product_ids: products, jwt });
  };
  return {
    session: async () => ({ url, subscribe: [subscribe('user'), subscribe('heartbeats')] }),
    waitsForWelcome: false,
    classify: classifyCoinbaseFrame,
    pingIntervalMs: 0,
  };
}
