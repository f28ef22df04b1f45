/**
 * The one place the local run differs from AWS: aws-local-stepfunctions has no Distributed Map
 * (no ItemReader, ResultWriter or tolerated failures), so each DISTRIBUTED Map state X becomes
 *
 *   X                 a Task whose local handler reads the ItemReader object from the local store
 *                     and returns { __input, __items };
 *   X__Map            an inline Map over __items with the same ItemSelector (paths moved under
 *                     __input) and concurrency (at most 40); each item runs in a one-branch Parallel
 *                     that catches every error, so a failed item becomes a marker, not a failed Map;
 *   X__ResultWriter   a Task that applies ToleratedFailurePercentage (throwing
 *                     States.ExceedToleratedFailureThreshold past it), writes SUCCEEDED_0.json,
 *                     FAILED_0.json and manifest.json under the ResultWriter prefix, and returns the
 *                     original input with { MapRunArn, ResultWriterDetails } at the Map's ResultPath.
 * Not reproduced: child executions (no per-child history), concurrency above 40, payload limits.
 */
import type { AslDefinition, AslState } from '../../stepfunctions/backtest-sweep.ts';
import { getJson, type ObjectStore, putJson } from '../../stepfunctions/sweep/object-store.ts';

export type LocalHandler = (input: unknown) => Promise<unknown>;

const LOCAL_TASK = 'arn:aws:lambda:ap-northeast-1:000000000000:function:local-distributed-map';
const MAX_INLINE_CONCURRENCY = 40;

/** `$.a.b` of `value` (the only paths the sweep definitions use in these fields). */
export function readPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$.')) throw new Error(`path ${path}: only $.a.b paths are supported here`);
  let at: unknown = value;
  for (const part of path.slice(2).split('.')) at = (at as Record<string, unknown> | undefined)?.[part];
  return at;
}

function withPath(value: unknown, path: string, result: unknown): unknown {
  if (path === '$') return result;
  const parts = path.slice(2).split('.');
  const root = { ...(value as Record<string, unknown>) };
  let at = root;
  for (const part of parts.slice(0, -1)) {
    at[part] = { ...((at[part] as Record<string, unknown>) ?? {}) };
    at = at[part] as Record<string, unknown>;
  }
  at[parts.at(-1)!] = result;
  return root;
}

function parameters(template: Record<string, unknown>, input: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template))
    if (k.endsWith('.$')) out[k.slice(0, -2)] = readPath(input, v as string);
    else out[k] = v;
  return out;
}

function underInput(selector: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(selector))
    out[k] = k.endsWith('.$') && typeof v === 'string' && v.startsWith('$.') ? `$.__input.${v.slice(2)}` : v;
  return out;
}

export class ExceedToleratedFailureThreshold extends Error {
  constructor(failed: number, total: number, tolerated: number) {
    super(`${failed} of ${total} items failed; ${tolerated} % tolerated`);
    this.name = 'States.ExceedToleratedFailureThreshold';
  }
}

interface ItemOutcome {
  readonly __failed?: boolean;
  readonly Error?: string;
  readonly Cause?: string;
}

/** The definition with every DISTRIBUTED Map rewritten, and the local handlers of the new Tasks. */
export function inlineDistributedMaps(
  definition: AslDefinition,
  store: ObjectStore,
): { definition: AslDefinition; handlers: Record<string, LocalHandler> } {
  const handlers: Record<string, LocalHandler> = {};
  const states: Record<string, AslState> = {};
  let runs = 0;
  for (const [name, state] of Object.entries(definition.States)) {
    const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
    if (state.Type !== 'Map' || processor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') {
      states[name] = state;
      continue;
    }
    const reader = state.ItemReader as {
      Parameters: Record<string, unknown>;
      ReaderConfig?: { InputType?: string };
    };
    const writer = state.ResultWriter as { Parameters: { Bucket: string; Prefix: string } } | undefined;
    const { ProcessorConfig: _distributed, ...inline } = processor as Record<string, unknown>;
    const tolerated = (state.ToleratedFailurePercentage as number | undefined) ?? 0;
    const resultPath = (state.ResultPath as string | undefined) ?? '$';
    const end = state.End === true ? { End: true } : { Next: state.Next };

    states[name] = { Type: 'Task', Resource: LOCAL_TASK, Next: `${name}__Map` };
    handlers[name] = async (input) => {
      const p = parameters(reader.Parameters, input) as { Bucket: string; Key: string };
      if ((reader.ReaderConfig?.InputType ?? 'JSON') !== 'JSON')
        throw new Error(`${name}: only JSON item readers run locally`);
      const items = await getJson(store, p.Bucket, p.Key);
      if (!Array.isArray(items)) throw new Error(`${name}: s3://${p.Bucket}/${p.Key} is not a JSON array`);
      return { __input: input, __items: items };
    };
    states[`${name}__Map`] = {
      Type: 'Map',
      ItemsPath: '$.__items',
      ItemSelector: underInput(state.ItemSelector as Record<string, unknown>),
      MaxConcurrency: Math.min(
        (state.MaxConcurrency as number | undefined) ?? MAX_INLINE_CONCURRENCY,
        MAX_INLINE_CONCURRENCY,
      ),
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: `${name}__Item`,
        States: {
          [`${name}__Item`]: {
            Type: 'Parallel',
            Branches: [inline],
            OutputPath: '$[0]',
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.__error', Next: `${name}__Failed` }],
            End: true,
          },
          [`${name}__Failed`]: {
            Type: 'Pass',
            Parameters: { __failed: true, 'Error.$': '$.__error.Error', 'Cause.$': '$.__error.Cause' },
            End: true,
          },
        },
      },
      ResultPath: '$.__results',
      Next: `${name}__ResultWriter`,
    };
    states[`${name}__ResultWriter`] = { Type: 'Task', Resource: LOCAL_TASK, ...end };
    handlers[`${name}__ResultWriter`] = async (value) => {
      const { __input, __items, __results } = value as {
        __input: unknown;
        __items: unknown[];
        __results: ItemOutcome[];
      };
      const failed = __results.flatMap((r, i) => (r?.__failed ? [{ i, r }] : []));
      if (failed.length > 0 && (failed.length / __results.length) * 100 > tolerated)
        throw new ExceedToleratedFailureThreshold(failed.length, __results.length, tolerated);
      const runId = `local-${++runs}`;
      const mapRunArn = `arn:aws:states:local:000000000000:mapRun:${name}/${runId}`;
      let details: Record<string, unknown> | undefined;
      if (writer) {
        const base = `${writer.Parameters.Prefix}/${runId}`;
        const entry = (i: number, status: string, extra: Record<string, unknown>) => ({
          Name: String(i),
          Status: status,
          Input: JSON.stringify(__items[i]),
          ...extra,
        });
        const succeeded = __results.flatMap((r, i) =>
          r?.__failed ? [] : [entry(i, 'SUCCEEDED', { Output: JSON.stringify(r) })],
        );
        const failures = failed.map(({ i, r }) => entry(i, 'FAILED', { Error: r.Error, Cause: r.Cause }));
        const bucket = writer.Parameters.Bucket;
        await putJson(store, bucket, `${base}/SUCCEEDED_0.json`, succeeded);
        await putJson(store, bucket, `${base}/FAILED_0.json`, failures);
        await putJson(store, bucket, `${base}/manifest.json`, {
          DestinationBucket: bucket,
          MapRunArn: mapRunArn,
          ResultFiles: {
            SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json`, Size: 0 }],
            FAILED: [{ Key: `${base}/FAILED_0.json`, Size: 0 }],
            PENDING: [],
          },
        });
        details = { Bucket: bucket, Key: `${base}/manifest.json` };
      }
      return withPath(__input, resultPath, {
        MapRunArn: mapRunArn,
        ...(details ? { ResultWriterDetails: details } : {}),
      });
    };
  }
  return { definition: { ...definition, States: states }, handlers };
}
