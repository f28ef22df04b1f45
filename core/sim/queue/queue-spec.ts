/**
 * Queue model selection, as configuration: `{ model: 'risk-averse' }`, `{ model: 'prob', fn: 'power',
 * n: 3 }`, `{ model: 'l3-fifo' }`.
 */
import { z } from 'zod';
import { L3FifoQueue } from './l3-fifo.ts';
import { ProbQueue } from './prob-queue.ts';
import type { QueueModel } from './queue-model.ts';
import { RiskAverseQueue } from './risk-averse.ts';

export const QueueSpecSchema = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('risk-averse') }),
  z.strictObject({
    model: z.literal('prob'),
    /** Probability function (docs/backtest-models.md, Queue). */
    fn: z.enum(['power', 'power2', 'power3', 'log', 'log2']).default('power'),
    /** Exponent of the power functions (hftbacktest's 2025 examples use 3). */
    n: z.number().positive().default(3),
  }),
  z.strictObject({ model: z.literal('l3-fifo') }),
]);

export type QueueSpec = z.input<typeof QueueSpecSchema>;

export function createQueueModel(spec: QueueSpec): QueueModel {
  const s = QueueSpecSchema.parse(spec);
  switch (s.model) {
    case 'risk-averse':
      return new RiskAverseQueue();
    case 'prob':
      return new ProbQueue(s.fn, s.n);
    case 'l3-fifo':
      return new L3FifoQueue();
  }
}

/** A short label for tables ("risk-averse", "prob-power(3)", "l3-fifo"). */
export function queueLabel(spec: QueueSpec): string {
  return createQueueModel(spec).name;
}
