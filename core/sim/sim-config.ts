/**
 * Simulated-exchange configuration, validated whole (unknown keys refused, every problem listed).
 * Every behaviour is a parameter; the defaults are the documented choices:
 *
 *   queue                 { model: 'risk-averse' } — trades must prove a fill (see queue/*); the
 *                         fidelity check (core/backtest/fidelity) compares the models on real data
 *   latency               { model: 'constant', entryUs: 5000, responseUs: 5000 }
 *   feeTiers              {} — each venue's default tier from the fee table
 *   partialFills          true — a trade at our price fills only what the queue and the trade allow
 *                         (hftbacktest PartialFillExchange); false: fully (NoPartialFillExchange)
 *   liquidityConsumption  true — size we take is not re-used until the data changes that level, and
 *                         one trade's volume is shared among our orders at its price
 *   funding               { source: 'auto', rate: 0.0001, intervalUs: 8 h } (see funding.ts)
 *   initialCapital        100 000 quote
 *   maxLeverage           10 — pre-trade margin check (exposure ≤ equity × maxLeverage)
 *   equityIntervalUs      1 s — equity curve sampling
 */
import { z } from 'zod';
import { FundingConfigSchema } from './funding.ts';
import { LatencySpecSchema } from './latency/latency-spec.ts';
import { QueueSpecSchema } from './queue/queue-spec.ts';

export const SimConfigSchema = z.strictObject({
  queue: QueueSpecSchema.default({ model: 'risk-averse' }),
  latency: LatencySpecSchema.default({ model: 'constant', entryUs: 5000, responseUs: 5000, extraUs: 0 }),
  /** Fee tier per venue (exchange id → tier name). */
  feeTiers: z.record(z.string(), z.string()).default({}),
  partialFills: z.boolean().default(true),
  liquidityConsumption: z.boolean().default(true),
  funding: FundingConfigSchema.default({ source: 'auto', rate: 0.0001, intervalUs: 8 * 3600 * 1_000_000 }),
  initialCapital: z.number().positive().default(100_000),
  maxLeverage: z.number().positive().default(10),
  equityIntervalUs: z.number().positive().default(1_000_000),
});

export type SimConfigInput = z.input<typeof SimConfigSchema>;
export type SimConfig = z.output<typeof SimConfigSchema>;

/** Defaults overlaid with `input`; throws one error listing every problem. */
export function resolveSimConfig(input: unknown = {}): SimConfig {
  const result = SimConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`simulator configuration is invalid:\n${lines.join('\n')}`);
  }
  return result.data;
}
