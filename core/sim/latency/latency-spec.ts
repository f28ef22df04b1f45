/**
 * Latency selection, as configuration:
 *   { model: 'constant', entryUs, responseUs }                   (default 5000 / 5000)
 *   { model: 'interpolated', rows: [{reqTs, exchTs, respTs}], offsetUs }
 *   { model: 'feed', entryMultiplier: 4, responseMultiplier: 3, sampleUs }   (from the tape)
 * `extraUs` (any model) adds to both legs — the latency-sensitivity sweep's knob.
 */
import { z } from 'zod';
import type { Tape } from '../../backtest/tape/tape.ts';
import { ConstantLatency } from './constant-latency.ts';
import { feedDerivedLatency } from './feed-derived-latency.ts';
import { InterpolatedLatency } from './interpolated-latency.ts';
import type { LatencyModel } from './latency-model.ts';

const extra = z.number().default(0);

export const LatencySpecSchema = z.discriminatedUnion('model', [
  z.strictObject({
    model: z.literal('constant'),
    entryUs: z.number().default(5000),
    responseUs: z.number().default(5000),
    extraUs: extra,
  }),
  z.strictObject({
    model: z.literal('interpolated'),
    rows: z.array(z.strictObject({ reqTs: z.number(), exchTs: z.number(), respTs: z.number() })).min(1),
    offsetUs: z.number().default(0),
    extraUs: extra,
  }),
  z.strictObject({
    model: z.literal('feed'),
    entryMultiplier: z.number().positive().default(4),
    responseMultiplier: z.number().positive().default(3),
    sampleUs: z.number().positive().default(1_000_000),
    extraUs: extra,
  }),
]);

export type LatencySpec = z.input<typeof LatencySpecSchema>;

export function createLatencyModel(spec: LatencySpec, tape: Tape): LatencyModel {
  const s = LatencySpecSchema.parse(spec);
  let base: LatencyModel;
  switch (s.model) {
    case 'constant':
      base = new ConstantLatency(s.entryUs, s.responseUs);
      break;
    case 'interpolated':
      base = new InterpolatedLatency(s.rows, s.offsetUs);
      break;
    case 'feed':
      base = feedDerivedLatency(tape, s);
      break;
  }
  return s.extraUs === 0 ? base : new ShiftedLatency(base, s.extraUs);
}

/** A model with `extraUs` added to both legs (a reject stays a reject). */
class ShiftedLatency implements LatencyModel {
  readonly name: string;
  constructor(
    private readonly inner: LatencyModel,
    private readonly extraUs: number,
  ) {
    this.name = `${inner.name}+${extraUs} µs`;
  }

  entry(t: number): number {
    const e = this.inner.entry(t);
    return e < 0 ? e - this.extraUs : e + this.extraUs;
  }

  response(t: number): number {
    return this.inner.response(t) + this.extraUs;
  }
}
