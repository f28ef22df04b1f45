/**
 * A restart mid-session rebuilds from the journal: a kill stays in force (HALTED until reset with
 * the admin token), positions come back from the journaled fills, and the new session's epoch —
 * and so every client order id — differs from the last one's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import { DEFAULT_MARKETS, openTrading } from '../../../fargate/trading/open-trading.ts';

const open = (dataDir: string, lines: string[] = []) =>
  openTrading({
    dataDir,
    strategy: 'market-maker',
    overrides: {},
    instruments: configuredInstruments(),
    markets: DEFAULT_MARKETS,
    seed: 1,
    log: (l) => lines.push(l),
  });

describe('restart from the journal', () => {
  it('a kill survives the restart; fills rebuild the position; the epoch moves on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'restart-'));
    const first = await open(dataDir);
    const k1 = first.trader.kernel;
    // A fill the venue reported for an order of ours (what the paper venue would send).
    const id = k1.orders.create(
      {
        clientOrderId: 'tp-restart-1',
        exchange: 'binance',
        instrument: 0,
        side: 'buy',
        type: 'limit',
        price: 6_000_000,
        size: 200_000,
      },
      1_000,
    ).id;
    k1.orders.apply(id, 'submit', 1_000);
    k1.filled(id, 'trade-1', 6_000_000, 200_000, 0.012, 'USDT', true, 2_000);
    k1.kill('operator test');
    first.close();

    const lines: string[] = [];
    const second = await open(dataDir, lines);
    const k2 = second.trader.kernel;
    expect(k2.tradingState).toBe('HALTED');
    expect(lines.some((l) => /trading HALTED .*POST \/reset/.test(l))).toBe(true);
    expect(k2.position(0)).toBe(200_000);
    expect(k2.positions.fees(0)).toBeCloseTo(0.012, 8);
    const cid1 = first.trader.kernel.orders.get(id)!.clientOrderId;
    const next = second.trader.kernel.submitLimit(0, 'buy', 6_000_000, 200_000);
    expect(k2.orders.get(next)!.clientOrderId).not.toBe(cid1);
    expect(k2.reset('wrong', second.adminToken)).toBe('refused');
    expect(k2.reset(second.adminToken, second.adminToken)).toBe('reset');
    second.close();
  });
});
