import { describe, expect, it } from 'vitest';
import { EXCHANGES } from '../../../core/market/exchange.ts';
import {
  CLIENT_ORDER_ID_RULES,
  ClientOrderIds,
  formatClientOrderId,
  MAX_COUNTER,
  MAX_EPOCH,
  MAX_INSTANCE,
  parseClientOrderId,
} from '../../../core/oms/client-order-id.ts';

const extremes = { prefix: 'ABCdef12', instance: MAX_INSTANCE, epoch: MAX_EPOCH };

describe('client order ids', () => {
  it.each(EXCHANGES)('%s: ids match the venue rule, also at the largest fields', (exchange) => {
    const rule = CLIENT_ORDER_ID_RULES[exchange];
    const ids = new ClientOrderIds({ prefix: 'tp', instance: 3, epoch: 1_777_000_000 });
    for (let i = 0; i < 50; i++) expect(ids.next(exchange)).toMatch(rule.pattern);
    expect(formatClientOrderId(extremes, MAX_COUNTER, rule.form)).toMatch(rule.pattern);
    expect(formatClientOrderId(extremes, 0, rule.form)).toMatch(rule.pattern);
  });

  it('the venue rules are the documented ones', () => {
    expect('a'.repeat(37)).not.toMatch(CLIENT_ORDER_ID_RULES.binance.pattern);
    expect('a:b/c.d').toMatch(CLIENT_ORDER_ID_RULES['binance-futures'].pattern);
    expect('a:b').not.toMatch(CLIENT_ORDER_ID_RULES.bybit.pattern);
    expect('a'.repeat(40)).toMatch(CLIENT_ORDER_ID_RULES.kucoin.pattern);
    expect('a'.repeat(41)).not.toMatch(CLIENT_ORDER_ID_RULES.kucoin.pattern);
    expect('tp-1-2-3').not.toMatch(CLIENT_ORDER_ID_RULES.kraken.pattern);
  });

  it('text ids are short: the longest possible is 31 characters', () => {
    expect(formatClientOrderId(extremes, MAX_COUNTER, 'text')).toHaveLength(31);
    expect(new ClientOrderIds({ prefix: 'tp', instance: 1, epoch: 4_000 }).next('binance')).toBe(
      'tp-1-334-0',
    );
  });

  it('are unique across two epochs of the same instance, in both forms', () => {
    const seen = new Set<string>();
    for (const epoch of [41, 42]) {
      const ids = new ClientOrderIds({ prefix: 'tp', instance: 1, epoch });
      for (let i = 0; i < 500; i++) for (const ex of EXCHANGES) seen.add(ids.next(ex));
    }
    // The counter is shared by the venues of one process: 2 epochs × 500 × 6 venues, all distinct.
    expect(seen.size).toBe(2 * 500 * EXCHANGES.length);
  });

  it('parse reads back every field in both forms', () => {
    const configs = [
      extremes,
      { prefix: 'tp', instance: 0, epoch: 0 },
      { prefix: 'X9', instance: 258, epoch: 0x9abcdef1 },
    ];
    for (const c of configs) {
      for (const counter of [0, 1, 35, 36, 123_456_789, MAX_COUNTER]) {
        for (const form of ['text', 'uuid'] as const) {
          const id = formatClientOrderId(c, counter, form);
          expect(parseClientOrderId(id, c.prefix)).toEqual({
            form,
            instance: c.instance,
            epoch: c.epoch,
            counter,
          });
        }
      }
    }
  });

  it('parse tells ours from others', () => {
    const ids = new ClientOrderIds({ prefix: 'tp', instance: 1, epoch: 7 });
    const uuid = ids.next('coinbase');
    expect(uuid[14]).toBe('8');
    expect(ids.isOwn(uuid)).toBe(true);
    expect(ids.isOwn(ids.next('bybit'))).toBe(true);
    for (const other of [
      'web_1234',
      'tp-1-7',
      'tp-1-7-0-0',
      'tp-01-7-0',
      'tp-1-7-Z',
      'tq-1-7-0',
      'x-MG43PCSN1234',
      '550e8400-e29b-41d4-a716-446655440000',
      uuid.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      '',
    ]) {
      expect(ids.isOwn(other)).toBe(false);
    }
    expect(parseClientOrderId(uuid, 'other')).toBeUndefined();
    expect(parseClientOrderId(12 as unknown as string, 'tp')).toBeUndefined();
  });

  it('refuses a config outside the encodable ranges', () => {
    expect(() => new ClientOrderIds({ prefix: 'has-dash', instance: 0, epoch: 0 })).toThrow(RangeError);
    expect(() => new ClientOrderIds({ prefix: 'toolongpx', instance: 0, epoch: 0 })).toThrow(RangeError);
    expect(() => new ClientOrderIds({ prefix: 'tp', instance: MAX_INSTANCE + 1, epoch: 0 })).toThrow(
      RangeError,
    );
    expect(() => new ClientOrderIds({ prefix: 'tp', instance: 0, epoch: MAX_EPOCH + 1 })).toThrow(RangeError);
  });
});
