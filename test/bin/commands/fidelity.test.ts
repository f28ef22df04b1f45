import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_BTCUSDT,
  type FidelityCommandOptions,
  register,
  runFidelityCommand,
} from '../../../bin/commands/fidelity.ts';
import { TO_US, USDM } from './data.ts';
import { captureIo, parseWith } from './harness.ts';

describe('fidelity: argument parsing', () => {
  const parse = (args: string[]) => parseWith<FidelityCommandOptions>(register, args);

  it('defaults to the bundled Binance BTCUSDT spot and USD-M captures', async () => {
    const { options } = await parse(['fidelity']);
    expect(options).toEqual({});
    expect(BUNDLED_BTCUSDT).toHaveLength(2);
    for (const p of BUNDLED_BTCUSDT) expect(existsSync(p), p).toBe(true);
    expect(BUNDLED_BTCUSDT.join(' ')).toMatch(/spot_btcusdt.*usdm_btcusdt/);
  });

  it('reads data, window, interval, models and latency', async () => {
    const { options } = await parse([
      'fidelity',
      '--data',
      'a.gz',
      '--data',
      'b.gz',
      '--to',
      '2024-08-08T23:55:15Z',
      '--interval',
      '2.5',
      '--models',
      'risk-averse,power:3,prob:log',
      '--latency-ms',
      '1',
    ]);
    expect(options).toEqual({
      data: ['a.gz', 'b.gz'],
      to: TO_US,
      intervalUs: 2_500_000,
      models: [{ model: 'risk-averse' }, { model: 'prob', fn: 'power', n: 3 }, { model: 'prob', fn: 'log' }],
      latencyUs: 1000,
    });
  });

  it.each([
    [['fidelity', '--models', 'risk-averse,fast'], /unknown queue model "fast"/],
    [['fidelity', '--interval', '0'], /seconds > 0/],
    [['fidelity', '--from', '08/08/2024'], /ISO 8601/],
  ])('rejects %j', async (args, message) => {
    const { options, error } = await parse(args);
    expect(options).toBeUndefined();
    expect(error).toMatch(message);
  });
});

describe('fidelity: the table per queue model', () => {
  it('prints orders, fills, time-to-fill and agreement per model on a real capture', async () => {
    const io = captureIo();
    const [report] = await runFidelityCommand(
      {
        data: [USDM],
        to: TO_US + 60_000_000,
        intervalUs: 5_000_000,
        models: [{ model: 'risk-averse' }, { model: 'prob', fn: 'power', n: 3 }],
      },
      io,
    );
    expect(report!.instrument).toBe('binance-futures:BTC/USDT:USDT');
    expect(report!.rows.map((r) => r.model)).toEqual(['risk-averse', 'prob-power(3)']);
    expect(report!.truth.probes).toBeGreaterThan(15);
    for (const row of report!.rows) {
      expect(row.probes).toBe(report!.truth.probes);
      expect(row.impossible).toBe(0);
      expect(row.missed).toBe(0);
    }
    const text = io.out.join('\n');
    expect(text).toContain(USDM);
    expect(text).toMatch(/model\s+probes\s+rejected\s+filled\s+fill rate\s+median ms\s+agree/);
    expect(text).toMatch(/^risk-averse\s+\d+\s+0\s+\d+\s+[\d.]+%\s+\d+\s+[\d.]+%/m);
    expect(text).toMatch(/^prob-power\(3\)\s+\d+/m);
    expect(text).toMatch(/truth \(certain\+likely\)/);
  });
});
