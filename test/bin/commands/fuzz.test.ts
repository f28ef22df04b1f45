import { describe, expect, it } from 'vitest';
import { type FuzzCommandOptions, fuzzFailed, register, runFuzzCommand } from '../../../bin/commands/fuzz.ts';
import { FUZZ_VENUES } from '../../../local/fuzz/fuzz-targets.ts';
import { captureIo, parseWith } from './harness.ts';

describe('fuzz command', () => {
  const parse = (args: string[]) => parseWith<FuzzCommandOptions>(register, args);

  it('defaults to 30 s over every venue, seed 1', async () => {
    const { options } = await parse(['fuzz']);
    expect(options).toEqual({ seconds: 30, venues: FUZZ_VENUES, seed: 1 });
    expect(FUZZ_VENUES).toEqual(['binance', 'binance-futures', 'coinbase', 'kucoin', 'kraken', 'bybit']);
  });

  it('reads seconds, venues and seed; refuses an unknown venue', async () => {
    const { options } = await parse([
      'fuzz',
      '--seconds',
      '2.5',
      '--venues',
      'bybit,kucoin',
      '--seed',
      '9',
      '-q',
    ]);
    expect(options).toEqual({ seconds: 2.5, venues: ['bybit', 'kucoin'], seed: 9, quiet: true });
    expect((await parse(['fuzz', '--venues', 'bybit,okx'])).error).toMatch(/unknown venue okx/);
    expect((await parse(['fuzz', '--seconds', '0'])).error).toMatch(/seconds > 0/);
  });

  it('prints the per-venue table and tells a failing run', () => {
    const io = captureIo();
    const stats = runFuzzCommand({ seconds: 0.01, venues: ['bybit'], seed: 1, quiet: true }, io);
    expect(stats[0]!.cases).toBeGreaterThan(0);
    expect(io.out.join('\n')).toMatch(/venue\s+cases\s+frames\s+checks\s+crashes\s+violations/);
    expect(fuzzFailed(stats)).toBe(stats[0]!.crashes + stats[0]!.violations > 0);
    expect(fuzzFailed([{ ...stats[0]!, crashes: 0, violations: 0 }])).toBe(false);
    expect(fuzzFailed([{ ...stats[0]!, crashes: 1, violations: 0 }])).toBe(true);
  });
});
