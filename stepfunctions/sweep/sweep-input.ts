/**
 * The input of a backtest sweep execution: the JSON a user pastes into the Step Functions console
 * ("Start execution"), and what `npm run cli -- sfn-sweep` builds from its flags. Validated whole
 * (unknown keys refused, every problem reported at once) by the plan step before anything is
 * queried or run; every later step parses the same document again with the same schema.
 *
 * Values mirror `npm run sweep`'s flags: grid values may be JSON numbers or strings, and are handed
 * to the strategy's parameter spec as the strings the CLI would pass ("0.001", not 0.001 rounded).
 * Times are ISO 8601 strings (UTC unless an offset is given), converted with the CLI's own parser.
 */
import { z } from 'zod';
import { METRIC_INFO } from '../../core/backtest/report/metric-labels.ts';
import { EXCHANGES } from '../../core/market/exchange.ts';
import { QueueSpecSchema } from '../../core/sim/queue/queue-spec.ts';
import { type GridAxis, isoTime, type WalkForwardSpec } from '../../local/backtest/cli-args.ts';
import type { RunInputOptions } from '../../local/backtest/prepare-run.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const isoString = z.string().refine(
  (s) => {
    try {
      isoTime(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'an ISO 8601 time such as 2024-08-08T23:55:00Z' },
);

/** A name safe to put in SQL and S3 keys: venue or unified symbols (BTCUSDT, BTC/USDT, BTC-USD). */
const symbol = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9/:_.-]{0,39}$/, 'a symbol such as BTCUSDT or BTC/USDT');
const paramName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a parameter name (letters, digits, _)');

export const SweepInputSchema = z
  .strictObject({
    strategy: z.string().min(1),
    scenario: z.string().min(1).default('balanced'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    data: z.strictObject({
      /** Start of the replay (inclusive). The extract reads whole days from this date on. */
      from: isoString.optional(),
      /** End of the replay (exclusive). */
      to: isoString.optional(),
      /** Venues to extract; all when absent. */
      exchanges: z.array(z.enum(EXCHANGES)).min(1).optional(),
      symbols: z.array(symbol).min(1).optional(),
      /** How sweep.json names the data (default: the extract's S3 location). */
      source: z.string().max(1024).optional(),
    }),
    /** Axis name → values; the grid is the cartesian product, the first axis varying slowest. */
    grid: z
      .record(paramName, z.array(scalar).min(1))
      .refine((g) => Object.keys(g).length > 0, { message: 'at least one axis' }),
    params: z.record(paramName, scalar).default({}),
    metric: z
      .enum(Object.keys(METRIC_INFO) as [keyof typeof METRIC_INFO, ...(keyof typeof METRIC_INFO)[]])
      .default('sharpe'),
    fast: z.boolean().default(false),
    queue: QueueSpecSchema.optional(),
    latencyMs: z.number().min(0).max(60_000).optional(),
    walkForward: z
      .strictObject({
        folds: z.number().int().min(1).max(50),
        inSampleFraction: z.number().gt(0).lt(1),
        anchored: z.boolean().default(false),
      })
      .optional(),
  })
  .superRefine((input, ctx) => {
    const { from, to } = input.data;
    if (from !== undefined && to !== undefined && isoTime(to) <= isoTime(from))
      ctx.addIssue({ code: 'custom', path: ['data', 'to'], message: 'must be later than data.from' });
  });

export type SweepInput = z.output<typeof SweepInputSchema>;
export type SweepInputDocument = z.input<typeof SweepInputSchema>;

/** Every problem of a document, one line each (`data.to: must be later than data.from`). */
export function sweepInputProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

export class SweepInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`sweep input: ${problems.join('; ')}`);
    this.name = 'SweepInputError';
  }
}

export function parseSweepInput(document: unknown): SweepInput {
  const parsed = SweepInputSchema.safeParse(document);
  if (!parsed.success) throw new SweepInputError(sweepInputProblems(parsed.error));
  return parsed.data;
}

/** The grid as the CLI's `--grid` axes (values as strings, in the document's order). */
export function gridAxes(input: SweepInput): GridAxis[] {
  return Object.entries(input.grid).map(([name, values]) => ({ name, values: values.map(String) }));
}

export function walkForwardOf(input: SweepInput): WalkForwardSpec | undefined {
  const wf = input.walkForward;
  return wf ? { folds: wf.folds, inSampleFraction: wf.inSampleFraction, anchored: wf.anchored } : undefined;
}

/** The run options `npm run sweep` would get for this input, reading the data at `dataPath`. */
export function runInputOptions(input: SweepInput, dataPath: string): RunInputOptions {
  const { from, to, symbols } = input.data;
  return {
    strategy: input.strategy,
    scenario: input.scenario,
    data: dataPath,
    seed: input.seed,
    params: Object.fromEntries(Object.entries(input.params).map(([k, v]) => [k, String(v)])),
    ...(from !== undefined ? { from: isoTime(from) } : {}),
    ...(to !== undefined ? { to: isoTime(to) } : {}),
    ...(symbols ? { symbols } : {}),
    ...(input.queue ? { queue: input.queue } : {}),
    ...(input.latencyMs !== undefined ? { latencyUs: Math.round(input.latencyMs * 1000) } : {}),
    quiet: true,
  };
}
