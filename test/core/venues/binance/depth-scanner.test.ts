import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DepthScan, forEachWireLevel, ScanResult } from '../../../../core/venues/binance/depth-scanner.ts';

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 99999999 }))
  .map(([i, f]) => `${i}.${String(f).padStart(8, '0')}`);
const levels = fc.array(fc.tuple(decimal, decimal), { maxLength: 20 });
const id = fc.integer({ min: 0, max: 2 ** 52 });

const depthMessage = fc.record({
  e: fc.constant('depthUpdate'),
  E: id,
  s: fc.stringMatching(/^[A-Z]{3,10}$/),
  U: id,
  u: id,
  pu: fc.option(id, { nil: undefined }),
  b: levels,
  a: levels,
  extra: fc.option(fc.record({ x: fc.array(fc.string()) }), { nil: undefined }),
});

function collect(text: string, start: number, end: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const ok = forEachWireLevel(text, start, end, (ps, pe, ss, se) => {
    out.push([text.slice(ps, pe), text.slice(ss, se)]);
    return true;
  });
  expect(ok).toBe(true);
  return out;
}

describe('DepthScan', () => {
  it('reads exactly what JSON.parse reads, in any key order, spacing and envelope (property)', () => {
    fc.assert(
      fc.property(depthMessage, fc.boolean(), fc.boolean(), fc.integer(), (msg, wrap, spaced, seed) => {
        const entries = Object.entries(msg).filter(([, v]) => v !== undefined);
        // deterministic shuffle of key order
        entries.sort((x, y) => ((x[0].charCodeAt(0) * seed) % 7) - ((y[0].charCodeAt(0) * seed) % 7));
        const data = Object.fromEntries(entries);
        const body = wrap ? { stream: `${msg.s.toLowerCase()}@depth@100ms`, data } : data;
        const text = JSON.stringify(body, null, spaced ? 1 : undefined);
        const scan = new DepthScan();
        expect(scan.scan(text)).toBe(ScanResult.Depth);
        expect(text.slice(scan.symbolStart, scan.symbolEnd)).toBe(msg.s);
        expect(scan.firstId).toBe(msg.U);
        expect(scan.finalId).toBe(msg.u);
        expect(scan.eventTime).toBe(msg.E);
        if (msg.pu === undefined) expect(scan.prevFinalId).toBeNaN();
        else expect(scan.prevFinalId).toBe(msg.pu);
        expect(collect(text, scan.bidsStart, scan.bidsEnd)).toEqual(msg.b);
        expect(collect(text, scan.asksStart, scan.asksEnd)).toEqual(msg.a);
      }),
      { numRuns: 300 },
    );
  });

  it('tells other messages and broken frames apart', () => {
    const scan = new DepthScan();
    expect(scan.scan('{"stream":"btcusdt@trade","data":{"e":"trade"}}')).toBe(ScanResult.NotDepth);
    expect(scan.scan('{"e":"aggTrade","s":"X"}')).toBe(ScanResult.NotDepth);
    expect(scan.scan('{"u":1,"s":"X","b":"1","B":"2","a":"3","A":"4"}')).toBe(ScanResult.NotDepth);
    expect(scan.scan('[]')).toBe(ScanResult.NotDepth);
    expect(scan.scan('{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[]')).toBe(ScanResult.Malformed);
    expect(scan.scan('{"e":"depthUpdate","s":"X","U":1,"b":[],"a":[]}')).toBe(ScanResult.Malformed);
    expect(scan.scan('{"e":"depthUpdate","s":"X","U":-1,"u":2,"b":[],"a":[]}')).toBe(ScanResult.Malformed);
  });

  it('survives arbitrary text without throwing (property)', () => {
    const scan = new DepthScan();
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const text = `{"e":"depthUpdate",${s}`;
        expect(() => scan.scan(text)).not.toThrow();
      }),
    );
  });
});
