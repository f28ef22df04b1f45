/**
 * The venues' feeds into the live market, in the cloud task and in the local stack alike: the
 * aggregator runs every venue's connectors, each reporting to the live market state, the quality
 * monitor and the signal pipeline, then to the extra listener when one is given (it already
 * includes the trader where there is one) or else to the trader; alerts and every connector log
 * above info go to `log`. Each venue's feed joins the live state and is handed to `onFeed`.
 */
import type { ResolvedVenue } from '../../config/venues.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import type { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import { combineListeners } from '../../core/venues/combine-listeners.ts';
import { type Aggregator, startAggregator } from '../aggregator/start-aggregator.ts';
import type { Clock } from '../connectors/clock.ts';
import type { ConnectorListener, RawTap } from '../connectors/connector-events.ts';
import type { VenueFeedView } from '../connectors/venue-feed-view.ts';
import type { LiveMarketState } from '../ops/live-market-state.ts';
import type { LiveSignals } from '../signals/live-signals.ts';
import type { LiveTrader } from '../trading/live-trader.ts';

export interface MarketFeedsOptions {
  readonly venues: readonly ResolvedVenue[];
  readonly clock: Clock;
  readonly instruments: InstrumentRegistry;
  readonly rawTap?: RawTap | undefined;
  readonly live: LiveMarketState;
  readonly quality: QualityMonitor;
  readonly signals: LiveSignals;
  readonly extraListener?: ((exchange: ExchangeId) => ConnectorListener) | undefined;
  readonly trader?: Pick<LiveTrader, 'listenerFor'> | undefined;
  readonly onFeed?: ((exchange: ExchangeId, feed: VenueFeedView) => void) | undefined;
  readonly log: (line: string) => void;
}

export function startMarketFeeds(options: MarketFeedsOptions): Aggregator {
  const { live, quality, signals, extraListener, trader, log } = options;
  const aggregator = startAggregator({
    venues: options.venues,
    clock: options.clock,
    instruments: options.instruments,
    ...(options.rawTap ? { rawTap: options.rawTap } : {}),
    listener: (exchange) => {
      const parts: ConnectorListener[] = [live.listenerFor(exchange), quality, signals.listenerFor(exchange)];
      if (extraListener) parts.push(extraListener(exchange));
      else if (trader) parts.push(trader.listenerFor(exchange));
      return {
        ...combineListeners(...parts),
        onAlert: (a) => log(`ALERT ${a.exchange} ${a.kind}: ${a.detail}`),
        onLog: (level, exchange, message) => {
          if (level !== 'info') log(`${level} ${exchange}: ${message}`);
        },
      };
    },
  });
  for (const [exchange, handle] of aggregator.venues) {
    live.attach(exchange, handle.feed);
    options.onFeed?.(exchange, handle.feed);
  }
  return aggregator;
}
