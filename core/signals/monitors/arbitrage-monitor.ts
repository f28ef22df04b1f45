/**
 * Cross-exchange arbitrage: the same asset on two venues, buy where it is offered cheaper, sell where
 * it is bid higher. Edge (bps of the buy price) = (bid_sell·(1 − fee_sell) − ask_buy·(1 + fee_buy))
 * / ask_buy − latency allowance; the size available at that edge walks the buy venue's asks against
 * the sell venue's bids, level pair by level pair, while each pair still clears the allowance
 * (at most `maxLevels` per side). Prices are compared in quote currency (each venue's units by its
 * own scale); sizes in base currency.
 *
 * An opportunity is counted when a direction's edge rises to the threshold and not again until it
 * has fallen below it: a book update that leaves the same edge in place is the same opportunity.
 * The last `LOG_SIZE` opportunities stay in a fixed ring for reports and the dashboard.
 */
import type { Micros } from '../../market/events.ts';
import type { ExchangeId } from '../../market/exchange.ts';
import type { RouteCandidate } from '../execute/venue-router.ts';
import type { SignalParams } from '../signal-params.ts';

export const LOG_SIZE = 32;

export interface ArbitrageOpportunity {
  asset: string;
  buyExchange: ExchangeId;
  sellExchange: ExchangeId;
  ts: Micros;
  /** After fees and the latency allowance. */
  edgeBps: number;
  /** Base currency available at a positive edge. */
  size: number;
  buyPrice: number;
  sellPrice: number;
}

export class ArbitrageMonitor {
  /** Opportunities counted since start. */
  count = 0;
  private readonly log: ArbitrageOpportunity[] = [];
  private logNext = 0;
  /** Open opportunities by direction: key a·n + b. */
  private open = new Uint8Array(0);
  /** The best edge seen by the last `check` and its size (for the signal event). */
  lastEdgeBps = Number.NaN;
  lastSize = 0;

  constructor(private readonly params: SignalParams['arbitrage']) {
    for (let i = 0; i < LOG_SIZE; i++)
      this.log.push({
        asset: '',
        buyExchange: 'binance',
        sellExchange: 'binance',
        ts: 0,
        edgeBps: 0,
        size: 0,
        buyPrice: 0,
        sellPrice: 0,
      });
  }

  /**
   * Compare member `changed` with every other member of its group (both directions). Returns the
   * number of new opportunities; the best edge of the new ones is in lastEdgeBps / lastSize.
   */
  check(
    asset: string,
    members: readonly RouteCandidate[],
    changed: number,
    lastBookAt: ArrayLike<number>,
    now: Micros,
  ): number {
    const n = members.length;
    if (this.open.length < n * n) {
      const grown = new Uint8Array(n * n);
      this.open = grown;
    }
    let found = 0;
    this.lastEdgeBps = Number.NaN;
    this.lastSize = 0;
    const maxAge = this.params.maxAgeMs * 1000;
    for (let other = 0; other < n; other++) {
      if (other === changed) continue;
      if (!(now - lastBookAt[other]! <= maxAge)) continue;
      found += this.direction(asset, members, changed, other, now);
      found += this.direction(asset, members, other, changed, now);
    }
    return found;
  }

  private direction(
    asset: string,
    m: readonly RouteCandidate[],
    buy: number,
    sell: number,
    now: Micros,
  ): number {
    const key = buy * m.length + sell;
    const b = m[buy]!;
    const s = m[sell]!;
    if (!b.usable || !s.usable || !b.book || !s.book || b.book.asks.count === 0 || s.book.bids.count === 0) {
      this.open[key] = 0;
      return 0;
    }
    const bScale = 10 ** -b.instrument.priceScale;
    const sScale = 10 ** -s.instrument.priceScale;
    const allowance = this.params.latencyAllowanceBps;
    const ask0 = b.book.asks.priceAt(0) * bScale;
    const bid0 = s.book.bids.priceAt(0) * sScale;
    const edge = ((bid0 * (1 - s.takerFee) - ask0 * (1 + b.takerFee)) / ask0) * 10_000 - allowance;
    if (!(edge > 0) || edge < this.params.minEdgeBps) {
      this.open[key] = 0;
      return 0;
    }
    if (this.open[key] === 1) return 0;
    this.open[key] = 1;
    const size = this.sizeAtEdge(b, s, bScale, sScale, allowance);
    this.count++;
    const entry = this.log[this.logNext]!;
    this.logNext = (this.logNext + 1) % LOG_SIZE;
    entry.asset = asset;
    entry.buyExchange = b.instrument.exchange;
    entry.sellExchange = s.instrument.exchange;
    entry.ts = now;
    entry.edgeBps = edge;
    entry.size = size;
    entry.buyPrice = ask0;
    entry.sellPrice = bid0;
    if (Number.isNaN(this.lastEdgeBps) || edge > this.lastEdgeBps) {
      this.lastEdgeBps = edge;
      this.lastSize = size;
    }
    return 1;
  }

  private sizeAtEdge(
    b: RouteCandidate,
    s: RouteCandidate,
    bScale: number,
    sScale: number,
    allowance: number,
  ): number {
    const asks = b.book!.asks;
    const bids = s.book!.bids;
    const bSize = 10 ** -b.instrument.sizeScale;
    const sSize = 10 ** -s.instrument.sizeScale;
    const maxLevels = this.params.maxLevels;
    let i = 0;
    let j = 0;
    let askLeft = asks.sizeAt(0) * bSize;
    let bidLeft = bids.sizeAt(0) * sSize;
    let total = 0;
    while (i < Math.min(maxLevels, asks.count) && j < Math.min(maxLevels, bids.count)) {
      const ask = asks.priceAt(i) * bScale;
      const bid = bids.priceAt(j) * sScale;
      const edge = ((bid * (1 - s.takerFee) - ask * (1 + b.takerFee)) / ask) * 10_000 - allowance;
      if (!(edge > 0)) break;
      const take = Math.min(askLeft, bidLeft);
      total += take;
      askLeft -= take;
      bidLeft -= take;
      if (askLeft <= 0 && ++i < asks.count) askLeft = asks.sizeAt(i) * bSize;
      if (bidLeft <= 0 && ++j < bids.count) bidLeft = bids.sizeAt(j) * sSize;
    }
    return total;
  }

  /** The logged opportunities, oldest first (copies: for reports). */
  recent(): ArbitrageOpportunity[] {
    const out: ArbitrageOpportunity[] = [];
    for (let k = 0; k < LOG_SIZE; k++) {
      const e = this.log[(this.logNext + k) % LOG_SIZE]!;
      if (e.asset !== '') out.push({ ...e });
    }
    return out;
  }
}
