import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../../core/backtest/analytics/metrics.ts';
import { buildCsv, csvField } from '../../../../core/backtest/report/csv.ts';
import { finiteCopy, metricsToJson, toFiniteJson } from '../../../../core/backtest/report/metrics-json.ts';
import {
  equityCsv,
  ordersCsv,
  roundTripsCsv,
  tradesCsv,
} from '../../../../core/backtest/report/run-tables.ts';
import { HAND_RESULT } from '../analytics/hand-result.ts';

describe('CSV builders', () => {
  it('quotes what needs quoting and leaves missing / non-finite values empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004'); // exact round trip
    expect(buildCsv([{ name: 'a', type: 'int', value: (r: number) => r }], [1, 2])).toBe('a\n1\n2\n');
  });

  it('trades.csv has a header and one row per fill', () => {
    const lines = tradesCsv(HAND_RESULT).trimEnd().split('\n');
    expect(lines[0]).toBe('ts,timeUtc,exchange,symbol,orderId,side,price,size,notional,fee,liquidity');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      `${HAND_RESULT.startTs + 1_000_000},2024-01-02T03:04:01.000000Z,binance,BTC/USDT,o1,buy,10,1,10,0.01,maker`,
    );
  });

  it('orders.csv: null price and reject reason', () => {
    const lines = ordersCsv(HAND_RESULT).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'orderId,exchange,symbol,side,type,price,size,filledSize,submittedTs,submittedUtc,finalTs,finalUtc,state,rejectReason',
    );
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatch(
      /^o5,binance,BTC\/USDT,buy,market,,1,0,\d+,[^,]+,\d+,[^,]+,rejected,min_notional$/,
    );
    expect(lines[1]!.endsWith(',filled,')).toBe(true);
  });

  it('equity.csv carries the drawdown; round-trips.csv the duration', () => {
    const eq = equityCsv(HAND_RESULT).trimEnd().split('\n');
    expect(eq[0]).toBe('ts,timeUtc,equity,position,mid,drawdown');
    expect(eq).toHaveLength(6);
    expect(Number(eq[2]!.split(',')[5])).toBeCloseTo(0.00001, 12); // 999.99 vs 1000
    const rt = roundTripsCsv(HAND_RESULT).trimEnd().split('\n');
    expect(rt[0]).toBe(
      'symbol,side,entryTs,entryUtc,exitTs,exitUtc,durationUs,size,entryPrice,exitPrice,pnl',
    );
    expect(rt[1]!.split(',')[6]).toBe('1000000');
  });
});

describe('metrics JSON', () => {
  it('writes camelCase keys, Infinity as null plus a flag, and parses back', () => {
    const text = metricsToJson(computeMetrics(HAND_RESULT));
    // The only "Infinity" in the file is the flag's string value, never a bare number.
    expect(text).not.toMatch(/:\s*-?(Infinity|NaN)\b/);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json.totalReturn).toBeCloseTo(0.001468, 12);
    expect(json).toHaveProperty('sharpe');
    expect(json).toHaveProperty('maxDrawdown');
    expect(json).toHaveProperty('fillRatio', 0.75);
    expect(json.profitFactor).toBeNull();
    // A 4 s run: the annualized keys are kept, null; the per-sample and over-the-run ones hold figures.
    expect(json.annualized).toBe(false);
    for (const k of ['annualizedReturn', 'volatility', 'sharpe', 'sortino']) expect(json[k], k).toBeNull();
    for (const k of ['returnPerSample', 'volatilityPerSample', 'sharpePerSample', 'sharpeOverPeriod'])
      expect(typeof json[k], k).toBe('number');
    expect(json.nonFinite).toEqual({
      profitFactor: 'Infinity',
      annualizedReturn: 'NaN',
      volatility: 'NaN',
      sharpe: 'NaN',
      sortino: 'NaN',
    });
  });

  it('a run of 30 days or more writes annualized figures', () => {
    const DAY = 86_400_000_000;
    const long = { ...HAND_RESULT, endTs: HAND_RESULT.startTs + 30 * DAY };
    const json = JSON.parse(metricsToJson(computeMetrics(long))) as Record<string, unknown>;
    expect(json.annualized).toBe(true);
    expect(typeof json.sharpe).toBe('number');
    expect(json.nonFinite).toEqual({ profitFactor: 'Infinity' });
  });

  it('nonFinite is always present; nested paths are named', () => {
    expect(JSON.parse(toFiniteJson({ a: 1 }))).toEqual({ a: 1, nonFinite: {} });
    const flags = {};
    expect(finiteCopy({ x: [1, Number.NaN], y: { z: Number.NEGATIVE_INFINITY } }, flags)).toEqual({
      x: [1, null],
      y: { z: null },
    });
    expect(flags).toEqual({ 'x.1': 'NaN', 'y.z': '-Infinity' });
  });
});
