import { describe, expect, it } from 'vitest';
import { signalMetricPoints } from '../../../fargate/task/cloud-market.ts';

describe('the cloud task’s signal metrics (EMF)', () => {
  it('emits each measured stage’s p99 in ms and each signal type’s count; unmeasured stages are left out', () => {
    const snapshot = {
      stageLatencyUs: {
        detect: { p50: 0.2, p99: 4 },
        context: { p50: 0.5, p99: 5.5 },
        assess: { p50: null, p99: null },
        execute: { p50: 1.7, p99: 7.5 },
      },
      totals: { imbalance: 12, wall: 3 },
    } as unknown as Parameters<typeof signalMetricPoints>[0];
    expect(signalMetricPoints(snapshot)).toEqual([
      { name: 'hifa_stage_latency_ms', unit: 'Milliseconds', value: 0.004, dimensions: { stage: 'detect' } },
      {
        name: 'hifa_stage_latency_ms',
        unit: 'Milliseconds',
        value: 0.0055,
        dimensions: { stage: 'context' },
      },
      {
        name: 'hifa_stage_latency_ms',
        unit: 'Milliseconds',
        value: 0.0075,
        dimensions: { stage: 'execute' },
      },
      { name: 'signal_count_total', unit: 'Count', value: 12, dimensions: { type: 'imbalance' } },
      { name: 'signal_count_total', unit: 'Count', value: 3, dimensions: { type: 'wall' } },
    ]);
  });
});
