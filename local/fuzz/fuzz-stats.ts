/** Per-venue totals of a fuzz run, and the report `npm run fuzz` prints. */

import { textTableLines } from '../../core/format/text-table.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { RejectReason } from '../../core/venues/feed-types.ts';
import type { MutationKind } from './mutations.ts';
import type { CaseResult, Crash, Violation } from './run-case.ts';

export interface VenueStats {
  readonly venue: ExchangeId;
  cases: number;
  frames: number;
  checks: number;
  crashes: number;
  violations: number;
  /** Violations still present after the case's last frame. */
  persistent: number;
  readonly mutations: Partial<Record<MutationKind, number>>;
  readonly rejections: Partial<Record<RejectReason, number>>;
  readonly violationsByKind: Record<string, number>;
  /** The first example of each crash kind and each violation kind. */
  readonly crashExamples: Map<string, Crash>;
  readonly violationExamples: Map<string, Violation>;
}

export function newVenueStats(venue: ExchangeId): VenueStats {
  return {
    venue,
    cases: 0,
    frames: 0,
    checks: 0,
    crashes: 0,
    violations: 0,
    persistent: 0,
    mutations: {},
    rejections: {},
    violationsByKind: {},
    crashExamples: new Map(),
    violationExamples: new Map(),
  };
}

export function addCase(s: VenueStats, r: CaseResult): void {
  s.cases++;
  s.frames += r.frames;
  s.checks += r.checks;
  for (const m of r.mutations) s.mutations[m] = (s.mutations[m] ?? 0) + 1;
  for (const [reason, n] of Object.entries(r.rejections) as Array<[RejectReason, number]>)
    s.rejections[reason] = (s.rejections[reason] ?? 0) + n;
  s.crashes += r.crashes.length;
  for (const c of r.crashes) if (!s.crashExamples.has(c.kind)) s.crashExamples.set(c.kind, c);
  s.violations += r.violations.length;
  for (const v of r.violations) {
    if (v.heldAtEnd) s.persistent++;
    s.violationsByKind[v.kind] = (s.violationsByKind[v.kind] ?? 0) + 1;
    if (!s.violationExamples.has(v.kind)) s.violationExamples.set(v.kind, v);
  }
}

const counts = (r: Readonly<Record<string, number | undefined>>) =>
  Object.entries(r)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '—';

export function formatFuzzReport(stats: readonly VenueStats[], seconds: number, seed: number): string {
  const rows = [['venue', 'cases', 'frames', 'checks', 'crashes', 'violations', 'persistent']];
  for (const s of stats) {
    rows.push([s.venue, s.cases, s.frames, s.checks, s.crashes, s.violations, s.persistent].map(String));
  }
  const out = [`fuzz: ${seconds} s, seed ${seed}`, ...textTableLines(rows), ''];
  for (const s of stats) {
    out.push(`${s.venue}`);
    out.push(`  mutations: ${counts(s.mutations)}`);
    out.push(`  rejections: ${counts(s.rejections)}`);
    if (s.violations > 0) out.push(`  violations: ${counts(s.violationsByKind)}`);
    for (const [kind, c] of s.crashExamples) {
      out.push(
        `  crash ${kind} (case ${JSON.stringify(c.case)}, frame ${c.frame} from ${c.origin}, ${c.mutated.join('+') || 'clean'})`,
      );
      out.push(`    frame: ${c.text}`, `    ${c.detail.split('\n').slice(0, 3).join('\n    ')}`);
    }
    for (const [kind, v] of s.violationExamples) {
      out.push(
        `  ${kind} on ${v.symbol} (case ${JSON.stringify(v.case)}, frame ${v.frame} from ${v.origin}, ${v.mutated.join('+') || 'clean'}${v.heldAtEnd ? ', still at the end' : ''})`,
      );
      out.push(`    frame: ${v.text}`, `    ${v.detail}`);
    }
  }
  return out.join('\n');
}
