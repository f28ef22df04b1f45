/**
 * Parameters of the four signal stages and the two monitors (config/signals.json), validated whole
 * with zod: unknown keys refused, every problem reported at once. Every field has a default, so
 * `{}` is a complete configuration; docs/signals.md explains each one.
 */
import { z } from 'zod';

const positive = z.number().gt(0, 'must be above 0');
const count = (max: number) => z.number().int().min(1).max(max);
const fraction = z.number().min(0).max(1);

export const signalParamsSchema = z.strictObject({
  $comment: z.string().optional(),
  detect: z
    .strictObject({
      /** Levels per side in the top-n imbalance. */
      imbalanceLevels: count(50).default(5),
      /** |imbalance| at or above which an `imbalance` signal fires (on crossing, not while held). */
      imbalanceThreshold: fraction.default(0.6),
      /** Depth-weighted imbalance: level i weighs 1 / (1 + i·decay). */
      depthWeightDecay: z.number().min(0).default(0.5),
      /** A wall: one level at least `wallMultiple` × the median size of the best `wallLevels`. */
      wallLevels: count(64).default(10),
      wallMultiple: positive.default(5),
      /** Micro-move: the mid moved more than `microMoveBps` within `microMoveMs`. */
      microMoveBps: positive.default(5),
      microMoveMs: positive.default(1000),
      /** Trade flow over this window: (buy − sell) / (buy + sell) and buy / sell. */
      tradeFlowMs: positive.default(5000),
      tradeFlowThreshold: fraction.default(0.7),
      /** Trades in the window before a trade-flow signal may fire. */
      tradeFlowMinTrades: count(1_000_000).default(10),
    })
    .prefault({}),
  context: z
    .strictObject({
      /** Rolling windows, ms (default 1 s / 5 s / 15 s). */
      windowsMs: z.tuple([positive, positive, positive]).default([1000, 5000, 15000]),
      /** VPIN: traded notional per bucket (quote currency, so one figure suits every instrument) and buckets averaged. */
      vpinBucketNotional: positive.default(50000),
      vpinBuckets: count(1000).default(50),
      /** Kyle's lambda: OLS of mid change on signed volume over this window. */
      kyleWindowMs: positive.default(15000),
      /** Cross-venue mids are sampled on this grid; correlation over `correlationSamples` of them. */
      crossVenueSampleMs: positive.default(100),
      correlationSamples: count(10_000).default(150),
      /** Lead-lag tested at 0..±maxLagSamples grid steps. */
      maxLagSamples: z.number().int().min(0).max(50).default(5),
      /** VPIN at or above which a `toxic_flow` signal fires (on crossing). */
      vpinAlert: fraction.default(0.5),
      /** VWAP deviation over the longest window above this, bps, fires a signal. */
      vwapDeviationBps: positive.default(10),
    })
    .prefault({}),
  assess: z
    .strictObject({
      /** Liquidity: depth within this many bps of mid, per side. */
      depthBps: positive.default(10),
      /** Slippage is estimated for a market order of this size (base currency). */
      slippageSize: positive.default(1),
      /** Position share of the limit that scores 100 (full risk). */
      maxPosition: positive.default(1),
      /** Venue health: a book older than this is stale; latency above this scores full risk. */
      staleMs: positive.default(5000),
      maxLatencyMs: positive.default(500),
      /** Weights of the parts in the 0–100 score (normalized by their sum). */
      weights: z
        .strictObject({
          position: z.number().min(0).default(0.3),
          liquidity: z.number().min(0).default(0.3),
          venue: z.number().min(0).default(0.4),
        })
        .prefault({}),
      /** Score at or above which a `risk` signal fires. */
      alertScore: z.number().min(0).max(100).default(70),
    })
    .prefault({}),
  execute: z
    .strictObject({
      /** Liquidity-based sizing: at most this share of the depth within `assess.depthBps`. */
      participation: fraction.default(0.1),
      /** TWAP: horizon and interval, ms (slices = ⌊horizon / interval⌋, remainder in a last slice). */
      twapHorizonMs: positive.default(10000),
      twapIntervalMs: positive.default(1000),
      /** VWAP (book participation): each interval take this share of the book within `vwapSpreadBps`. */
      vwapIntervalMs: positive.default(1000),
      vwapParticipation: fraction.default(0.001),
      vwapSpreadBps: positive.default(10),
      /** Fee tier per venue for routing (the venue's default tier when absent). */
      feeTiers: z.record(z.string(), z.string()).default({}),
    })
    .prefault({}),
  arbitrage: z
    .strictObject({
      /** Edge after taker fees on both legs, minus this allowance for latency, bps. */
      latencyAllowanceBps: z.number().min(0).default(2),
      /** Edge at or above which an opportunity is counted, bps (after allowance). */
      minEdgeBps: z.number().min(0).default(0),
      /** Levels walked per side when measuring the size available at the edge. */
      maxLevels: count(1000).default(20),
      /** Books older than this are not compared, ms. */
      maxAgeMs: positive.default(2000),
    })
    .prefault({}),
  funding: z
    .strictObject({
      /** The position whose holding cost is reported, quote currency notional. */
      notional: positive.default(10000),
      /** |rate| per interval at or above which a `funding` signal fires (0.001 = 10 bps). */
      alertRate: z.number().min(0).default(0.001),
    })
    .prefault({}),
});

export type SignalParams = z.output<typeof signalParamsSchema>;
export type SignalParamsInput = z.input<typeof signalParamsSchema>;

/** All defaults. */
export function defaultSignalParams(): SignalParams {
  return signalParamsSchema.parse({});
}
