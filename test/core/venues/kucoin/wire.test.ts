import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isL2Update,
  isMatch,
  isOrderbookSnapshot,
  kucoinTimeToMicros,
  wireSequence,
} from '../../../../core/venues/kucoin/wire.ts';

describe('KuCoin wire', () => {
  it('wireSequence: exact integers from numbers or strings, NaN for anything else', () => {
    expect(wireSequence(1613277183892)).toBe(1613277183892);
    expect(wireSequence('1613277183892')).toBe(1613277183892);
    expect(wireSequence('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['9007199254740993', '-1', '', '12a', '1.5', 1.5, -1, 2 ** 53, null, undefined, {}])
      expect(wireSequence(bad)).toBeNaN();
  });

  it('wireSequence: every safe integer round-trips through its string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(wireSequence(String(n))).toBe(n);
        expect(wireSequence(n)).toBe(n);
      }),
    );
  });

  it('kucoinTimeToMicros: ns strings are cut, not divided; ms numbers scaled', () => {
    expect(kucoinTimeToMicros('1619378327739050725')).toBe(1619378327739050);
    expect(kucoinTimeToMicros('1619378327739050')).toBe(1619378327739050);
    expect(kucoinTimeToMicros('1619378327739')).toBe(1619378327739000);
    expect(kucoinTimeToMicros(1619378326323)).toBe(1619378326323000);
    // A JSON number of ns (candles `time`) is already rounded by JSON.parse: µs stay right.
    expect(kucoinTimeToMicros(JSON.parse('1619378328806000034'))).toBe(1619378328806000);
    for (const bad of ['x', '', -1, Number.NaN, null]) expect(kucoinTimeToMicros(bad)).toBe(0);
  });

  it('guards', () => {
    const upd = {
      symbol: 'X-Y',
      sequenceStart: 1,
      sequenceEnd: '2',
      changes: { asks: [['1', '2', '1']], bids: [['1', '2', 2]] },
    };
    expect(isL2Update(upd)).toBe(true);
    expect(isL2Update({ ...upd, changes: { asks: [['1', '2']], bids: [] } })).toBe(false);
    expect(isL2Update({ ...upd, changes: { asks: [[1, '2', '3']], bids: [] } })).toBe(false);
    expect(isL2Update({ ...upd, time: '1' })).toBe(false);
    expect(isMatch({ symbol: 'X', side: 'buy', price: '1', size: '1', tradeId: 't', time: '1' })).toBe(true);
    expect(isMatch({ symbol: 'X', side: 'Buy', price: '1', size: '1', tradeId: 't', time: '1' })).toBe(false);
    expect(isOrderbookSnapshot({ sequence: '1', time: 1, bids: [['1', '2']], asks: [] })).toBe(true);
    expect(isOrderbookSnapshot({ sequence: true, bids: [], asks: [] })).toBe(false);
  });
});
