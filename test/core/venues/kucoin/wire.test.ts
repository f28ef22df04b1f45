import { describe, expect, it } from 'vitest';
import { changesFault } from '../../../../core/venues/kucoin/kucoin-feed.ts';
import {
  isL2Update,
  isMatch,
  isOrderbookSnapshot,
  kucoinTimeToMicros,
} from '../../../../core/venues/kucoin/wire.ts';

describe('KuCoin wire', () => {
  it('changesFault: change seqs inside [start, end], increasing per side, never on both sides, the last = end', () => {
    const c = (...seqs: unknown[]) => seqs.map((q) => ['1', '1', q] as const);
    expect(changesFault(c('5', 7), c(6), 5, 7)).toBeUndefined();
    expect(changesFault([], [], 5, 7)).toBeUndefined();
    expect(changesFault(c(6), c(7), 5, 7)).toBeUndefined(); // the lowest may be aggregated away
    expect(changesFault(c(7, 5), c(6), 5, 7)).toBe('change seqs not increasing');
    expect(changesFault(c(5, 5), c(7), 5, 7)).toBe('change seqs not increasing');
    expect(changesFault(c(5, 7), c(7), 5, 7)).toBe('one seq on both sides');
    expect(changesFault(c(4, 7), [], 5, 7)).toBe('a change seq outside [sequenceStart, sequenceEnd]');
    expect(changesFault(c(5, 8), [], 5, 7)).toBe('a change seq outside [sequenceStart, sequenceEnd]');
    expect(changesFault(c(5, 6), [], 5, 7)).toBe('highest change seq is not sequenceEnd');
    for (const bad of [
      '9007199254740993',
      '-1',
      '',
      '1.5',
      1.5,
      2 ** 53 + 2,
      Number.POSITIVE_INFINITY,
      null,
      undefined,
      {},
      [],
    ])
      expect(changesFault(c(5, bad), c(7), 5, 7)).toBe('a change seq is not a sequence');
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
    // Sequences are the feed's to read (a bad one is 'bad_sequence', see changesFault).
    expect(isL2Update({ ...upd, changes: { asks: [['1', '2']], bids: [] } })).toBe(true);
    expect(isL2Update({ ...upd, changes: { asks: [[1, '2', '3']], bids: [] } })).toBe(false);
    expect(isL2Update({ ...upd, time: '1' })).toBe(false);
    expect(isMatch({ symbol: 'X', side: 'buy', price: '1', size: '1', tradeId: 't', time: '1' })).toBe(true);
    expect(isMatch({ symbol: 'X', side: 'Buy', price: '1', size: '1', tradeId: 't', time: '1' })).toBe(false);
    expect(isOrderbookSnapshot({ sequence: '1', time: 1, bids: [['1', '2']], asks: [] })).toBe(true);
    expect(isOrderbookSnapshot({ sequence: '1', bids: [['1']], asks: [] })).toBe(false);
  });
});
