/**
 * A pipeline's state as plain JSON (the CLI's `--json`, the dashboard's snapshot): per instrument
 * the final values and counts by signal type, the cross-venue pairs, logged arbitrage
 * opportunities, funding, and stage latency. Prices in quote currency, sizes in base currency.
 * Allocates: for reports, never on the hot path.
 */
import type { ExchangeId } from '../market/exchange.ts';
import { topImbalance } from './detect/book-shape.ts';
import type { ArbitrageOpportunity } from './monitors/arbitrage-monitor.ts';
import type { SignalType } from './signal-event.ts';
import type { SignalPipeline } from './signal-pipeline.ts';

export interface InstrumentReport {
  exchange: ExchangeId;
  symbol: string;
  weightedMid: number | null;
  microprice: number | null;
  imbalance5: number | null;
  vpin: number | null;
  /** Quote currency of mid move per base unit of net taker volume. */
  kyleLambda: number | null;
  /** (mid − VWAP) / VWAP over the longest window, bps. */
  vwapDeviation: number | null;
  signals: Partial<Record<SignalType, number>>;
  riskScore: number | null;
  suggestedSize: number;
}

export interface CrossVenueReport {
  asset: string;
  a: string;
  b: string;
  correlation: number | null;
  /** Grid steps; positive: a leads b. */
  leadLagSteps: number;
  leadLagCorrelation: number | null;
  samples: number;
  stepMs: number;
}

export interface FundingReport {
  exchange: ExchangeId;
  symbol: string;
  currentRate: number | null;
  predictedRate: number | null;
  nextFundingTs: number | null;
  dailyRate: number | null;
  holdingCost: number | null;
  notional: number;
}

export interface SignalsReport {
  instruments: InstrumentReport[];
  crossVenue: CrossVenueReport[];
  arbitrage: ArbitrageOpportunity[];
  arbitrageCount: number;
  funding: FundingReport[];
  stageLatencyUs: Record<
    'detect' | 'context' | 'assess' | 'execute',
    { p50: number | null; p99: number | null }
  >;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function signalsReport(pipeline: SignalPipeline): SignalsReport {
  const instruments: InstrumentReport[] = pipeline.slots.map((s) => {
    const scale = 10 ** -s.instrument.priceScale;
    const c = s.context;
    const book = s.candidate.book;
    return {
      exchange: s.exchange,
      symbol: s.symbol,
      weightedMid: finite(c.weightedMid * scale),
      microprice: finite(c.microprice * scale),
      imbalance5: book ? finite(topImbalance(book, 5)) : null,
      vpin: finite(c.vpin.value()),
      kyleLambda: finite(c.kyle.value() * 10 ** (s.instrument.sizeScale - s.instrument.priceScale)),
      vwapDeviation: finite(c.vwapDeviationBps),
      signals: s.counts.toRecord(),
      riskScore: finite(s.assessment.score),
      suggestedSize: s.suggestedSize * 10 ** -s.instrument.sizeScale,
    };
  });
  const crossVenue: CrossVenueReport[] = [];
  for (const asset of pipeline.assets()) {
    const g = pipeline.group(asset)!;
    const m = g.members;
    for (let a = 0; a < m.length; a++)
      for (let b = a + 1; b < m.length; b++) {
        const ll = g.group.leadLag(a, b);
        crossVenue.push({
          asset,
          a: `${m[a]!.exchange}:${m[a]!.symbol}`,
          b: `${m[b]!.exchange}:${m[b]!.symbol}`,
          correlation: finite(g.group.correlation(a, b, 0)),
          leadLagSteps: ll.lag,
          leadLagCorrelation: finite(ll.correlation),
          samples: g.group.sampleCount(a, b),
          stepMs: pipeline.params.context.crossVenueSampleMs,
        });
      }
  }
  const notional = pipeline.params.funding.notional;
  const funding: FundingReport[] = pipeline.slots
    .filter((s) => s.funding !== undefined && !Number.isNaN(s.funding.updatedAt))
    .map((s) => {
      const f = s.funding!;
      return {
        exchange: s.exchange,
        symbol: s.symbol,
        currentRate: finite(f.currentRate),
        predictedRate: finite(f.predictedRate),
        nextFundingTs: finite(f.nextFundingTs),
        dailyRate: finite(f.dailyRate()),
        holdingCost: finite(f.holdingCost(notional)),
        notional,
      };
    });
  const lat = pipeline.latency.summary();
  const stage = (k: 'detect' | 'context' | 'assess' | 'execute') => ({
    p50: finite(lat[k].p50),
    p99: finite(lat[k].p99),
  });
  return {
    instruments,
    crossVenue,
    arbitrage: pipeline.arbitrage.recent(),
    arbitrageCount: pipeline.arbitrage.count,
    funding,
    stageLatencyUs: {
      detect: stage('detect'),
      context: stage('context'),
      assess: stage('assess'),
      execute: stage('execute'),
    },
  };
}
