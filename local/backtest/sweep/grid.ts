/**
 * A parameter grid: the cartesian product of the `--grid name=v1,v2` axes, in nested-loop order
 * (the first axis varies slowest), each point resolved against the strategy's parameter spec so
 * values are typed ("10" → 10) and every invalid value is reported before anything runs.
 */
import {
  ParamError,
  type ParamValue,
  resolveParams,
  type StrategyParams,
} from '../../../core/strategy/params.ts';
import type { StrategyRegistry } from '../../../core/strategy/registry.ts';
import type { GridAxis } from '../cli-args.ts';

export interface GridPoint {
  /** The grid's own parameters, typed (what a sweep row shows). */
  readonly gridParams: Readonly<Record<string, ParamValue>>;
  /** Every parameter of the run: defaults ← base ← grid point. */
  readonly params: StrategyParams;
}

export function expandGrid(axes: readonly GridAxis[]): Array<Record<string, string>> {
  let points: Array<Record<string, string>> = [{}];
  for (const axis of axes) {
    const next: Array<Record<string, string>> = [];
    for (const p of points) for (const v of axis.values) next.push({ ...p, [axis.name]: v });
    points = next;
  }
  return axes.length === 0 ? [] : points;
}

/** Resolve every point; throws one ParamError listing the problems of all points (deduplicated). */
export function resolveGrid(
  registry: StrategyRegistry,
  strategy: string,
  base: Readonly<Record<string, unknown>>,
  axes: readonly GridAxis[],
): GridPoint[] {
  const specs = registry.get(strategy).params;
  const problems = new Set<string>();
  const out: GridPoint[] = [];
  for (const point of expandGrid(axes)) {
    try {
      const params = resolveParams(specs, { ...base, ...point });
      const gridParams: Record<string, ParamValue> = {};
      for (const axis of axes) gridParams[axis.name] = params[axis.name]!;
      out.push({ gridParams, params });
    } catch (error) {
      if (!(error instanceof ParamError)) throw error;
      for (const p of error.problems) problems.add(p);
    }
  }
  if (problems.size > 0) throw new ParamError([...problems]);
  return out;
}
