/**
 * One fuzz case: a capture's frames with a few mutations, each at a frame of the clean capture.
 * A case is plain data (target name, mutation list) so fast-check can shrink it and a failure can
 * be printed and replayed.
 */
import type { CaptureRecord } from '../../core/capture/capture-record.ts';
import { type Random, seededRandom } from '../../core/sim/random.ts';
import { isFrameMutation, MUTATION_KINDS, type MutationKind, mutateText } from './mutations.ts';

export interface Mutation {
  /** Index of the frame in the clean capture (messages and REST bodies only). */
  readonly at: number;
  readonly kind: MutationKind;
  /** Seeds the mutation's own choices (where to cut, which key, which odd number). */
  readonly seed: number;
}

export interface FuzzCase {
  readonly target: string;
  readonly mutations: readonly Mutation[];
}

export interface DeliveredFrame {
  /** Index of the clean frame it comes from. */
  readonly origin: number;
  readonly record: CaptureRecord;
  readonly body: string;
  /** Mutations that changed it (frame mutations included). */
  readonly mutated: readonly MutationKind[];
}

/** The frames the feed receives: the clean ones with the case's mutations applied in order. */
export function deliveredFrames(
  clean: readonly CaptureRecord[],
  mutations: readonly Mutation[],
): { frames: DeliveredFrame[]; applied: MutationKind[] } {
  const frames: DeliveredFrame[] = clean.map((record, origin) => ({
    origin,
    record,
    body: record.body,
    mutated: [],
  }));
  const applied: MutationKind[] = [];
  for (const m of mutations) {
    const i = frames.findIndex((f) => f.origin === m.at);
    const f = frames[i];
    if (!f) continue;
    const mutated = [...f.mutated, m.kind];
    if (!isFrameMutation(m.kind)) {
      const body = mutateText(f.body, m.kind, seededRandom(m.seed));
      if (body === undefined || body === f.body) continue;
      frames[i] = { ...f, body, mutated };
    } else if (m.kind === 'drop_frame') {
      frames.splice(i, 1);
    } else if (m.kind === 'duplicate_frame') {
      frames.splice(i + 1, 0, { ...f, mutated });
    } else {
      if (i + 1 >= frames.length) continue;
      frames[i] = frames[i + 1]!;
      frames[i + 1] = { ...f, mutated };
    }
    applied.push(m.kind);
  }
  return { frames, applied };
}

/** A case drawn from `random`: 1–6 mutations anywhere in a capture of `frameCount` frames. */
export function randomCase(target: string, frameCount: number, random: Random): FuzzCase {
  const count = 1 + Math.floor(random() * 6);
  const mutations: Mutation[] = [];
  for (let k = 0; k < count; k++) {
    mutations.push({
      at: Math.floor(random() * frameCount),
      kind: MUTATION_KINDS[Math.floor(random() * MUTATION_KINDS.length)]!,
      seed: Math.floor(random() * 2 ** 31),
    });
  }
  return { target, mutations };
}
