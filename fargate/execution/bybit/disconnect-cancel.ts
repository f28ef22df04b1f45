/**
 * Bybit's dead-man switch, disconnect-cancel (DCP): `POST /v5/order/disconnected-cancel-all`
 * (`product` DERIVATIVES | SPOT, `timeWindow` 3–300 s) sets the window, and a private connection
 * subscribed to that product's `dcp.*` topic is what the venue watches: once every such connection
 * has been down longer than the window, the venue cancels all of the product's orders
 * (`cancelType CancelByDCP`). So the switch is armed by setting the window here and keeping the
 * private stream subscribed to the topics this returns; a clean shutdown unsubscribes them first.
 * DCP is for institutional accounts (enabled by the account manager): a refusal is counted and
 * reported, not fatal — trading goes on without the switch, and the log says so.
 */
import type { BybitRest } from './bybit-rest.ts';
import { type BybitCategory, dcpProductOf } from './category.ts';

export const DCP_PATH = '/v5/order/disconnected-cancel-all';
export const DCP_MIN_WINDOW_S = 3;
export const DCP_MAX_WINDOW_S = 300;

export class BybitDisconnectCancel {
  arms = 0;
  failures = 0;
  /** The `dcp.*` topics of the products whose window was set. */
  readonly topics: string[] = [];
  private readonly windowS: number;

  constructor(
    private readonly rest: BybitRest,
    windowS = 10,
    private readonly onError?: (product: string, error: unknown) => void,
  ) {
    if (!Number.isInteger(windowS) || windowS < DCP_MIN_WINDOW_S || windowS > DCP_MAX_WINDOW_S)
      throw new RangeError(`DCP window must be ${DCP_MIN_WINDOW_S}–${DCP_MAX_WINDOW_S} whole seconds`);
    this.windowS = windowS;
  }

  /** Set the window for each category's product; returns the topics to keep subscribed. */
  async arm(categories: Iterable<BybitCategory>): Promise<readonly string[]> {
    for (const category of categories) {
      const { product, topic } = dcpProductOf(category);
      if (this.topics.includes(topic)) continue;
      try {
        await this.rest.signed('POST', DCP_PATH, { product, timeWindow: this.windowS });
        this.arms++;
        this.topics.push(topic);
      } catch (error) {
        this.failures++;
        this.onError?.(product, error);
      }
    }
    return this.topics;
  }
}
