import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  encodeRecord,
  isRefusal,
  JOURNAL_KINDS,
  type JournalRecord,
  MAX_LINE_CHARS,
} from '../../../../core/oms/journal/journal-record.ts';
import { REDACTED } from '../../../../core/oms/journal/redact-secrets.ts';
import { anyRecord, SAMPLES } from './sample-records.ts';

function refusal(line: string): string {
  const decoded = decodeRecord(line);
  if (!isRefusal(decoded)) throw new Error('expected a refusal');
  return decoded.error;
}

describe('journal record codec', () => {
  it('has a sample of every kind, each one line that decodes to itself', () => {
    expect(new Set(SAMPLES.map((r) => r.kind))).toEqual(new Set(JOURNAL_KINDS));
    for (const record of SAMPLES) {
      const line = encodeRecord(record);
      expect(line).not.toContain('\n');
      expect(decodeRecord(line)).toEqual(record);
    }
  });

  it('round-trips any record (property)', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        expect(decodeRecord(encodeRecord(record))).toEqual(record);
      }),
      { numRuns: 500 },
    );
  });

  it('writes kind, seq and ts first and every amount also as an exact decimal', () => {
    const line = encodeRecord(SAMPLES[1]!);
    expect(line.startsWith('{"kind":"fill","seq":2,"ts":1723161599100000,')).toBe(true);
    const fields = JSON.parse(line);
    expect(fields).toMatchObject({
      price: 6_183_764,
      priceDecimal: '61837.64',
      size: 1_500,
      sizeDecimal: '0.01500',
      fee: -93,
      feeDecimal: '-0.0093',
    });
    const market = { ...SAMPLES[0]!, type: 'market', price: null } as JournalRecord;
    expect(JSON.parse(encodeRecord(market)).priceDecimal).toBeNull();
    expect(decodeRecord(encodeRecord(market))).toEqual(market);
  });

  it('refuses a decimal that disagrees with its units', () => {
    const fields = JSON.parse(encodeRecord(SAMPLES[0]!));
    fields.priceDecimal = '61837.65';
    expect(refusal(JSON.stringify(fields))).toBe('priceDecimal: does not match price and priceScale');
  });

  it.each([
    ['a torn line', '{"kind":"order","seq":3,"ts":17231', /not JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['an unknown kind', '{"kind":"trade","seq":1,"ts":1}', /kind: not a journal record kind/],
    [
      'a float price',
      encodeRecord(SAMPLES[0]!).replace('"price":6183764', '"price":61837.64'),
      /priceDecimal/,
    ],
    ['an unknown field', encodeRecord(SAMPLES[3]!).replace('}', ',"token":"x"}'), /Unrecognized key/],
    ['a bad status', encodeRecord(SAMPLES[0]!).replace('"Submitted"', '"Open"'), /status/],
    ['a negative seq', encodeRecord(SAMPLES[3]!).replace('"seq":4', '"seq":-4'), /seq/],
    [
      'a deep nest',
      `{"kind":"control","seq":1,"ts":1,"action":"kill","detail":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
      /./,
    ],
    ['a runaway line', `{"kind":"risk","x":"${'a'.repeat(MAX_LINE_CHARS)}"}`, /line too long/],
  ])('refuses %s with a reason, without throwing', (_name, line, reason) => {
    expect(refusal(line)).toMatch(reason);
  });

  it('writes only the keys its kind defines, so every line it writes reads back', () => {
    const wider = { ...SAMPLES[3]!, adminToken: 'hunter2', note: 'extra' } as unknown as JournalRecord;
    const line = encodeRecord(wider);
    expect(line).toBe('{"kind":"risk","seq":4,"ts":1723161599000000,"orderId":9,"outcome":"accepted"}');
    expect(decodeRecord(line)).toEqual(SAMPLES[3]);
  });

  it('never writes a credential, however deep in a free-form value', () => {
    const record: JournalRecord = {
      kind: 'control',
      seq: 1,
      ts: 1,
      action: 'reset',
      detail: { adminToken: 'hunter2', request: [{ headers: { 'X-Api-Key': 'k-123', accept: 'json' } }] },
    };
    const line = encodeRecord(record);
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('k-123');
    expect(decodeRecord(line)).toEqual({
      ...record,
      detail: { adminToken: REDACTED, request: [{ headers: { 'X-Api-Key': REDACTED, accept: 'json' } }] },
    });
    expect(record.detail).toEqual({
      adminToken: 'hunter2',
      request: [{ headers: { 'X-Api-Key': 'k-123', accept: 'json' } }],
    });
  });
});
