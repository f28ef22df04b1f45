/**
 * No instrument, and no group of correlated symbols, may hold more than its share of gross
 * exposure once gross exposure is above `minGrossExposure` (below it every share is allowed: one
 * small position is 100 % of a small book and harms nothing).
 *
 * Exposure of an instrument = its worst-case |position| over both sides (every open buy filled, or
 * every open sell filled) × mid, in quote currency; gross = the sum over instruments. Instruments
 * without a mid are not counted (they would only lower the denominator). Quote currencies are
 * taken as equal (USD ≈ USDT): the limit is about where the risk sits, not exact value. Only an
 * order that raises its instrument's exposure can be refused. A share exactly at the limit passes.
 */
import type { Instrument } from '../../market/instrument.ts';
import { notional } from '../order-check.ts';
import type { ResolvedLimits } from '../resolved-limits.ts';
import type { RiskAccount } from '../risk-account.ts';
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export class ConcentrationCheck {
  /** Per instrument, exposure after the order (quote currency); reused between checks. */
  readonly #exposure: Float64Array;

  constructor(private readonly instruments: readonly Instrument[]) {
    this.#exposure = new Float64Array(instruments.length);
  }

  refuses(o: OrderUnderCheck, account: RiskAccount, limits: ResolvedLimits, out: RiskRefusal): boolean {
    const spec = o.spec;
    if (spec === undefined || (limits.maxSharePct >= 100 && limits.groups.length === 0)) return false;
    const buyWorst = o.side === 'buy' ? o.pendingSameSide : o.pendingOtherSide;
    const sellWorst = o.side === 'sell' ? o.pendingSameSide : o.pendingOtherSide;
    const before = Math.max(Math.abs(o.position + buyWorst), Math.abs(o.position - sellWorst));
    const after = Math.max(before, Math.abs(o.worst));
    if (after <= before) return false;
    const exposure = this.#exposure;
    let gross = 0;
    for (let i = 0; i < this.instruments.length; i++) {
      const instrument = this.instruments[i] as Instrument;
      let worst: number;
      let mid: number;
      if (i === o.instrument) {
        worst = after;
        mid = o.mid;
      } else {
        const pos = account.position(i);
        worst = Math.max(
          Math.abs(pos + account.pendingSize(i, 'buy')),
          Math.abs(pos - account.pendingSize(i, 'sell')),
        );
        mid = worst === 0 ? 0 : account.mid(i);
      }
      const value = Number.isFinite(mid) && mid > 0 ? notional(instrument, mid, worst) : 0;
      exposure[i] = value;
      gross += value;
    }
    if (!(gross > limits.minGrossExposure)) return false;
    const own = exposure[o.instrument] ?? 0;
    if (own * 100 > limits.maxSharePct * gross)
      return out.set('concentration', 'sharePct', (own * 100) / gross, limits.maxSharePct, spec.symbol);
    const groups = limits.groupsOf[o.instrument];
    if (groups === undefined) return false;
    for (const gi of groups) {
      const group = limits.groups[gi];
      if (group === undefined) continue;
      let sum = 0;
      for (const m of group.members) sum += exposure[m] ?? 0;
      if (sum * 100 > group.maxSharePct * gross)
        return out.set('concentration', 'sharePct', (sum * 100) / gross, group.maxSharePct, group.name);
    }
    return false;
  }
}
