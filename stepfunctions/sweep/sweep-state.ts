/**
 * What the sweep's states pass each other: the validated input, where this execution keeps its
 * objects (`run`), and for one Map item what to run (`item`). Every step parses its event with
 * these schemas; the keys of the objects each step writes are built here and nowhere else.
 */
import { z } from 'zod';

export const SweepRunSchema = z.strictObject({
  bucket: z.string().min(3),
  /** `sweeps/<execution name>/`: everything this execution writes. */
  prefix: z.string().regex(/^sweeps\/[A-Za-z0-9_-]+\/$/),
  /** The extract (UNLOAD target) below the prefix: `<prefix>data/`, holding raw/exchange=…/… */
  dataPrefix: z.string(),
  itemsKey: z.string(),
  query: z.string(),
  /** Grid points. */
  points: z.number().int().min(1),
  /** Walk-forward folds (0 for a plain sweep). */
  folds: z.number().int().min(0),
});
export type SweepRun = z.output<typeof SweepRunSchema>;

export const SweepItemSchema = z.strictObject({
  /** Unique per execution; names the item's metrics object. */
  id: z.string().regex(/^[A-Za-z0-9_-]+$/),
  /** The grid point (index into the resolved grid, in grid order). */
  index: z.number().int().min(0),
  /** A walk-forward window of the tape instead of the whole tape. */
  window: z
    .strictObject({ fold: z.number().int().min(0), part: z.enum(['in-sample', 'out-of-sample']) })
    .optional(),
  /** Full mode even when the sweep searches in fast mode (evaluation runs). */
  full: z.boolean().default(false),
});
export type SweepItem = z.output<typeof SweepItemSchema>;

/** Id of a search run: the grid point on the whole tape, or on fold k's in-sample window. */
export function searchItemId(index: number, fold?: number): string {
  return fold === undefined ? `p${index}` : `f${fold}-p${index}`;
}

export function metricsKey(run: SweepRun, id: string): string {
  return `${run.prefix}runs/${id}/metrics.json`;
}

export function reportPrefix(run: SweepRun): string {
  return `${run.prefix}report/`;
}
