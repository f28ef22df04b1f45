import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Side } from '../../../core/market/events.ts';
import { CheckedOrder } from '../../../core/risk/order-check.ts';
import { RiskGate } from '../../../core/risk/risk-gate.ts';
import { eventClock, FakeAccount, INSTRUMENTS, order, params } from './support/risk-fixtures.ts';

interface Open {
  instrument: number;
  side: Side;
  left: number;
}

const LOTS = [1000, 1, 1]; // lot per instrument (size units)

const submit = fc.record({
  kind: fc.constant('submit' as const),
  instrument: fc.integer({ min: 0, max: 2 }),
  side: fc.constantFrom<Side>('buy', 'sell'),
  market: fc.boolean(),
  postOnly: fc.boolean(),
  lots: fc.integer({ min: 1, max: 600 }),
  offsetBp: fc.integer({ min: -200, max: 200 }),
});
const fill = fc.record({
  kind: fc.constant('fill' as const),
  pick: fc.nat(),
  part: fc.double({ min: 0, max: 1, noNaN: true }),
});
const cancel = fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() });
const move = fc.record({
  kind: fc.constant('move' as const),
  instrument: fc.integer({ min: 0, max: 2 }),
  bp: fc.integer({ min: -300, max: 300 }),
});
const time = fc.record({
  kind: fc.constant('time' as const),
  micros: fc.integer({ min: 0, max: 5_000_000 }),
});
const pnl = fc.record({ kind: fc.constant('pnl' as const), pnl: fc.integer({ min: -30, max: 30 }) });
const state = fc.record({
  kind: fc.constantFrom('kill' as const, 'reset' as const, 'reducing' as const, 'active' as const),
});

const step = fc.oneof(
  { arbitrary: submit, weight: 8 },
  { arbitrary: fill, weight: 4 },
  { arbitrary: cancel, weight: 1 },
  { arbitrary: move, weight: 1 },
  { arbitrary: time, weight: 2 },
  { arbitrary: pnl, weight: 1 },
  { arbitrary: state, weight: 1 },
);

describe('RiskGate property', () => {
  it('never lets the worst case pass maxPosition, an order pass maxOrderSize, or anything through HALTED', () => {
    // Tallies over all runs, so the property is seen to exercise admissions and each refusal.
    const seen = { admitted: 0, admittedReducing: 0, max_position: 0, max_order_size: 0, trading_halted: 0 };
    fc.assert(
      fc.property(fc.array(step, { minLength: 100, maxLength: 300 }), (steps) => {
        const p = params();
        const clock = eventClock();
        const gate = new RiskGate(INSTRUMENTS, p, clock);
        const limits = gate.limits.instruments;
        const account = new FakeAccount();
        const open: Open[] = [];
        for (const s of steps) {
          switch (s.kind) {
            case 'submit': {
              const i = s.instrument;
              const mid = account.mids[i] as number;
              const lot = LOTS[i] as number;
              const price = Math.max(1, Math.round(mid * (1 + s.offsetBp / 10_000)));
              const size = s.lots * lot;
              const stateBefore = gate.state;
              const posBefore = account.positions[i] as number;
              const pendingBefore = account.pendingSize(i, s.side);
              const r = gate.checkOrder(
                order({
                  instrument: i,
                  side: s.side,
                  type: s.market ? 'market' : 'limit',
                  price: s.market ? Number.NaN : price,
                  size,
                  postOnly: s.postOnly,
                }),
                account,
              );
              if (!(r instanceof CheckedOrder)) break;
              seen.admitted++;
              if (stateBefore === 'REDUCING') seen.admittedReducing++;
              expect(stateBefore).not.toBe('HALTED');
              const l = limits[i];
              expect(size).toBeLessThanOrEqual(
                s.market ? (l?.maxMarketOrderSize ?? 0) : (l?.maxOrderSize ?? 0),
              );
              if (stateBefore === 'REDUCING') {
                const after = posBefore + (s.side === 'buy' ? 1 : -1) * (pendingBefore + size);
                expect(Math.abs(after)).toBeLessThan(Math.abs(posBefore) + 1);
                expect(Math.sign(after) * Math.sign(posBefore)).not.toBe(-1);
              }
              if (s.market) account.positions[i] = posBefore + (s.side === 'buy' ? size : -size);
              else {
                open.push({ instrument: i, side: s.side, left: size });
                (s.side === 'buy' ? account.pendingBuy : account.pendingSell)[i] = pendingBefore + size;
              }
              break;
            }
            case 'fill': {
              const o = open[s.pick % Math.max(1, open.length)];
              if (!o) break;
              const lot = LOTS[o.instrument] as number;
              const q = Math.min(o.left, Math.ceil((o.left * s.part) / lot) * lot);
              o.left -= q;
              const pending = o.side === 'buy' ? account.pendingBuy : account.pendingSell;
              pending[o.instrument] = (pending[o.instrument] as number) - q;
              account.positions[o.instrument] =
                (account.positions[o.instrument] as number) + (o.side === 'buy' ? q : -q);
              if (o.left === 0) open.splice(open.indexOf(o), 1);
              break;
            }
            case 'cancel': {
              const o = open[s.pick % Math.max(1, open.length)];
              if (!o) break;
              const pending = o.side === 'buy' ? account.pendingBuy : account.pendingSell;
              pending[o.instrument] = (pending[o.instrument] as number) - o.left;
              open.splice(open.indexOf(o), 1);
              break;
            }
            case 'move':
              account.mids[s.instrument] = Math.max(
                1,
                Math.round((account.mids[s.instrument] as number) * (1 + s.bp / 10_000)),
              );
              break;
            case 'time':
              clock.advanceMicros(s.micros);
              break;
            case 'pnl':
              gate.onPnl(clock.nowMicros(), s.pnl);
              break;
            case 'kill':
              gate.breaker.kill('property', clock.nowMicros());
              break;
            case 'reset':
              gate.breaker.reset('tok', 'tok', clock.nowMicros());
              break;
            case 'reducing':
              gate.setState('REDUCING', 'property');
              break;
            case 'active':
              gate.setState('ACTIVE', 'property');
              break;
          }
          for (let i = 0; i < INSTRUMENTS.length; i++) {
            const pos = account.positions[i] as number;
            const worst = Math.max(
              Math.abs(pos + (account.pendingBuy[i] as number)),
              Math.abs(pos - (account.pendingSell[i] as number)),
            );
            expect(worst).toBeLessThanOrEqual(limits[i]?.maxPosition ?? 0);
          }
        }
        seen.max_position += gate.denials.max_position;
        seen.max_order_size += gate.denials.max_order_size;
        seen.trading_halted += gate.denials.trading_halted;
      }),
      { numRuns: 100, seed: 20240601 },
    );
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
  });
});
