import { describe, expect, it } from 'vitest';
import { ConstantLatency } from '../../../../core/sim/latency/constant-latency.ts';
import { orderLatencyRowsFromFeed } from '../../../../core/sim/latency/feed-derived-latency.ts';
import { InterpolatedLatency } from '../../../../core/sim/latency/interpolated-latency.ts';
import { createLatencyModel } from '../../../../core/sim/latency/latency-spec.ts';
import { ask, bid, handTape } from '../support/hand-tape.ts';

describe('ConstantLatency', () => {
  it('returns its two legs; a negative entry is a reject', () => {
    const m = new ConstantLatency(-300, 700);
    expect(m.entry()).toBe(-300);
    expect(m.response()).toBe(700);
  });
});

describe('InterpolatedLatency (docs/backtest-models.md, Latency)', () => {
  const rows = [
    { reqTs: 1000, exchTs: 1100, respTs: 1300 }, // entry 100, response 200
    { reqTs: 2000, exchTs: 2300, respTs: 2700 }, // entry 300, response 400
    { reqTs: 3000, exchTs: 0, respTs: 3500 }, // refused: round trip 500
    { reqTs: 4000, exchTs: 4100, respTs: 4200 }, // entry 100, response 100
  ];
  const m = new InterpolatedLatency(rows);

  it('interpolates entry over request times', () => {
    expect(m.entry(1000)).toBe(100);
    expect(m.entry(1500)).toBe(200); // halfway 100 → 300
    expect(m.entry(1750)).toBe(250);
  });

  it('holds the nearest row outside the data', () => {
    expect(m.entry(0)).toBe(100);
    expect(m.entry(9000)).toBe(100);
    expect(m.response(0)).toBe(200);
    expect(m.response(9000)).toBe(100);
  });

  it('returns −interp(resp − req) next to a refused row', () => {
    // Between 2000 (round trip 700) and 3000 (refused, round trip 500): halfway → −600.
    expect(m.entry(2500)).toBe(-600);
    // Between 3000 (refused, 500) and 4000 (200): at 3500 → −350.
    expect(m.entry(3500)).toBe(-350);
  });

  it('interpolates response over exchange times of accepted rows', () => {
    expect(m.response(1100)).toBe(200);
    expect(m.response(1700)).toBe(300); // 1100 → 2300: 200 → 400
    expect(m.response(3200)).toBe(250); // 2300 → 4100: 400 → 100, halfway
  });

  it('latency offset relocates: exch += off, resp += 2·off', () => {
    const shifted = new InterpolatedLatency(rows, 50);
    expect(shifted.entry(1000)).toBe(150);
    expect(shifted.response(1150)).toBe(250);
  });
});

describe('latency from feed latency', () => {
  it('scales each sampled feed latency (4× entry, 3× response by default)', () => {
    const tape = handTape([
      { t: 10_000, lat: 100, rows: [bid(100, 1), ask(101, 1)] },
      { t: 2_000_000, lat: 300, rows: [bid(100, 2)] },
    ]);
    const rows = orderLatencyRowsFromFeed(tape);
    expect(rows).toEqual([
      { reqTs: 10_000, exchTs: 10_400, respTs: 10_700 },
      { reqTs: 2_000_000, exchTs: 2_001_200, respTs: 2_002_100 },
    ]);
    const m = createLatencyModel({ model: 'feed' }, tape);
    expect(m.entry(10_000)).toBe(400);
    expect(m.response(2_001_200)).toBe(900);
  });

  it('extraUs shifts both legs (latency sensitivity)', () => {
    const tape = handTape([{ t: 10, rows: [bid(1, 1)] }]);
    const m = createLatencyModel({ model: 'constant', entryUs: 1000, responseUs: 2000, extraUs: 5000 }, tape);
    expect(m.entry(0)).toBe(6000);
    expect(m.response(0)).toBe(7000);
    expect(() =>
      createLatencyModel({ model: 'constant', entryUs: 1, responseUs: 1, nope: 1 } as never, tape),
    ).toThrow();
  });
});
