/**
 * Each sweep step as "event in, result out": the event parsed with zod (every problem reported),
 * then the step run against an object store. The Lambda handlers wrap these with S3; the local
 * runner calls the same functions with a folder standing in for S3.
 */
import { z } from 'zod';
import type { ObjectStore } from './object-store.ts';
import { type PlanSettings, planSweep, type SweepState } from './plan-sweep.ts';
import { reportSweep, selectFoldWinners } from './report-sweep.ts';
import { type PointResult, runGridPoint } from './run-grid-point.ts';
import { parseSweepInput, sweepInputProblems } from './sweep-input.ts';
import { SweepItemSchema, SweepRunSchema } from './sweep-state.ts';

const PlanEventSchema = z.strictObject({ input: z.unknown(), executionName: z.string().min(1) });

const ItemEventSchema = z.strictObject({ input: z.unknown(), run: SweepRunSchema, item: SweepItemSchema });

const ReportEventSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('select-fold-winners'), input: z.unknown(), run: SweepRunSchema }),
  z.strictObject({
    step: z.literal('report'),
    input: z.unknown(),
    run: SweepRunSchema,
    winners: z
      .array(z.strictObject({ fold: z.number().int().min(0), index: z.number().int().min(0) }))
      .optional(),
  }),
]);

function parse<T>(schema: z.ZodType<T>, event: unknown, what: string): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) throw new Error(`${what} event: ${sweepInputProblems(parsed.error).join('; ')}`);
  return parsed.data;
}

export function planStep(event: unknown, settings: PlanSettings, store: ObjectStore): Promise<SweepState> {
  const e = parse(PlanEventSchema, event, 'plan');
  return planSweep(e.input, e.executionName, settings, store);
}

export function backtestStep(event: unknown, store: ObjectStore): Promise<PointResult> {
  const e = parse(ItemEventSchema, event, 'backtest');
  return runGridPoint(parseSweepInput(e.input), e.run, e.item, store);
}

export function reportStep(event: unknown, store: ObjectStore): Promise<unknown> {
  const e = parse(ReportEventSchema, event, 'report');
  const input = parseSweepInput(e.input);
  if (e.step === 'select-fold-winners') return selectFoldWinners(input, e.run, store);
  return reportSweep(input, e.run, store, e.winners);
}
