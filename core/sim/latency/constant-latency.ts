/** hftbacktest's ConstantLatency: fixed entry and response latency, µs (negative entry = reject). */
import type { LatencyModel } from './latency-model.ts';

export class ConstantLatency implements LatencyModel {
  readonly name: string;
  constructor(
    private readonly entryUs: number,
    private readonly responseUs: number,
  ) {
    this.name = `constant(${entryUs}/${responseUs} µs)`;
  }

  entry(): number {
    return this.entryUs;
  }

  response(): number {
    return this.responseUs;
  }
}
