/**
 * The reconciliation the reconcile function runs, independent of the task: the positions the task
 * last reported (its position report in the control table) against each venue's own numbers
 * (AccountQuery.positions(), the venue being the source of truth), in exact size units of each
 * instrument. Spot venues hold no positions in this sense (a balance mixes in what the account
 * held before): only derivative instruments are compared. A report older than `staleAfterMs` is
 * a finding of its own — the task is dead or cannot write.
 */
import type { PositionReport } from '../../core/control/control-item.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { parseDecimal } from '../../core/num/parse-decimal.ts';
import type { AccountQuery } from '../../fargate/execution/account-query.ts';

export interface VenueAccount {
  readonly exchange: ExchangeId;
  /** The instrument list the adapter was built with (VenuePosition.instrument indexes it). */
  readonly instruments: readonly Instrument[];
  readonly account: Pick<AccountQuery, 'positions'>;
}

export interface PositionMismatch {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  /** Size units of the instrument (negative: short). */
  readonly reported: number;
  readonly venue: number;
}

export interface Reconciliation {
  /** Seconds since the task's report; null when there is none. */
  readonly reportAgeSeconds: number | null;
  readonly stale: boolean;
  readonly checked: number;
  readonly mismatches: readonly PositionMismatch[];
  /** Venues that could not be asked, with why (the venue's answer is then unknown, not zero). */
  readonly errors: readonly string[];
}

export async function reconcilePositions(
  report: PositionReport | undefined,
  venues: readonly VenueAccount[],
  nowMs: number,
  staleAfterMs: number,
): Promise<Reconciliation> {
  const reportAgeSeconds = report ? Math.max(0, (nowMs - report.atMs) / 1000) : null;
  const stale = reportAgeSeconds === null || reportAgeSeconds * 1000 > staleAfterMs;
  const mismatches: PositionMismatch[] = [];
  const errors: string[] = [];
  let checked = 0;
  for (const venue of venues) {
    let held: Awaited<ReturnType<AccountQuery['positions']>>;
    try {
      held = await venue.account.positions();
    } catch (error) {
      errors.push(`${venue.exchange}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const byInstrument = new Map<number, number>();
    for (const p of held) byInstrument.set(p.instrument, (byInstrument.get(p.instrument) ?? 0) + p.size);
    venue.instruments.forEach((inst, i) => {
      if (inst.exchange !== venue.exchange || inst.kind === 'spot') return;
      checked++;
      const reported = reportedUnits(report, inst);
      const actual = byInstrument.get(i) ?? 0;
      if (reported !== actual)
        mismatches.push({ exchange: inst.exchange, symbol: inst.symbol, reported, venue: actual });
    });
  }
  return { reportAgeSeconds, stale, checked, mismatches, errors };
}

/** The report's net size in size units; a position the report does not list is flat. */
function reportedUnits(report: PositionReport | undefined, inst: Instrument): number {
  const p = report?.status.positions.find((x) => x.exchange === inst.exchange && x.symbol === inst.symbol);
  // An unreadable size parses to NaN, which differs from every venue number: a mismatch.
  return p ? parseDecimal(p.size, inst.sizeScale) : 0;
}
