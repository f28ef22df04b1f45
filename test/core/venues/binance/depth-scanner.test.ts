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
        // The header scan reads the same header, whether it stops at the arrays or not.
        const needPrev = msg.pu !== undefined;
        expect(scan.scanHeader(text, needPrev)).toBe(ScanResult.Depth);
        expect(text.slice(scan.symbolStart, scan.symbolEnd)).toBe(msg.s);
        expect([scan.firstId, scan.finalId]).toEqual([msg.U, msg.u]);
        if (needPrev) expect(scan.prevFinalId).toBe(msg.pu);
        if (scan.levelsAt >= 0) expect(text[scan.levelsAt + 1]).toMatch(/^[ab]$/);
        else expect(collect(text, scan.bidsStart, scan.bidsEnd)).toEqual(msg.b);
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
    expect(scan.scan('{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[],"a":[]} x')).toBe(ScanResult.Malformed);
    expect(scan.scan('{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[],"a":[["1","2"]}')).toBe(
      ScanResult.Malformed,
    );
    // Not pure ASCII: never Binance's; left to the JSON.parse path.
    expect(scan.scan('{"e":"depthUpdate","s":"X\\u00e9","U":1,"u":2,"b":[],"a":[]}')).toBe(ScanResult.Depth);
    expect(scan.scan('{"e":"depthUpdate","s":"Xé","U":1,"u":2,"b":[],"a":[]}')).toBe(ScanResult.NotDepth);
    expect(scan.scanHeader('{"e":"depthUpdate","s":"Xé","U":1,"u":2,"b":[],"a":[]}', false)).toBe(
      ScanResult.NotDepth,
    );
    // Incomplete header at the arrays: the header scan reads on and finds what is missing.
    expect(scan.scanHeader('{"e":"depthUpdate","s":"X","U":1,"b":[],"a":[]}', false)).toBe(
      ScanResult.Malformed,
    );
    expect(scan.scanHeader('{"e":"depthUpdate","s":"X","b":[],"a":[],"U":1,"u":2}', false)).toBe(
      ScanResult.Depth,
    );
    expect(scan.levelsAt).toBe(-1);
  });

  it("never reads past the end of a shorter frame into an earlier frame's bytes", () => {
    const scan = new DepthScan();
    const full = '{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[],"a":[]}';
    for (let cut = 0; cut < full.length; cut++) {
      scan.scan(full);
      expect(scan.scan(full.slice(0, cut))).not.toBe(ScanResult.Depth);
      // A frame ending in an escape must not escape its own end.
      scan.scan(full);
      expect(scan.scan(`${full.slice(0, cut)}\\`)).not.toBe(ScanResult.Depth);
    }
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
