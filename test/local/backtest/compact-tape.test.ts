import { describe, expect, it } from 'vitest';
import { compactTape } from '../../../local/backtest/compact-tape.ts';
import { loadTape } from '../../../local/backtest/load-tape.ts';
import { fixture } from '../../support/fixtures.ts';

const SPOT_2021 = fixture('binance/cryptofeed_BINANCE.ws.1.0.gz');

describe('symbols filter → only the requested instruments, the first one first', () => {
  it('drops instruments without rows so a strategy trades what was asked for', async () => {
    const all = await loadTape(SPOT_2021);
    expect(all.tape.instruments.map((i) => i.symbol)).toEqual(['NKN/USDT', 'BLZ/ETH', 'LRC/BTC', 'RUNE/EUR']);
    const one = await loadTape(SPOT_2021, { symbols: ['LRCBTC'] });
    expect(one.tape.instruments.map((i) => i.symbol)).toEqual(['LRC/BTC']);
    expect(new Set(one.tape.inst)).toEqual(new Set([0]));
    const two = await loadTape(SPOT_2021, { symbols: ['RUNE/EUR', 'binance:BLZETH'] });
    expect(two.tape.instruments.map((i) => i.symbol)).toEqual(['BLZ/ETH', 'RUNE/EUR']);
    // Rows are the same rows, renumbered.
    const lrc = all.tape.instruments.findIndex((i) => i.symbol === 'LRC/BTC');
    const rows = Array.from(all.tape.inst).filter((i) => i === lrc).length;
    expect(one.tape.length).toBe(rows);
  });

  it('returns the tape itself when every instrument has rows', async () => {
    const { tape } = await loadTape(SPOT_2021);
    expect(compactTape(tape)).toBe(tape);
  });
});
