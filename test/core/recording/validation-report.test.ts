import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VALIDATION_THRESHOLDS,
  formatValidationReport,
  isClean,
  trimDecimal,
  type ValidationReport,
} from '../../../core/recording/validation-report.ts';

const none = { count: 0, examples: [] };

function report(overrides: Partial<ValidationReport> = {}): ValidationReport {
  const base = {
    root: '/data',
    thresholds: DEFAULT_VALIDATION_THRESHOLDS,
    files: { raw: 2, book: 1 },
    rows: { raw: 1200, book: 300 },
    streams: [
      {
        kind: 'raw' as const,
        exchange: 'binance',
        symbol: 'ALL',
        rows: 1200,
        firstTs: 1723161253000000,
        lastTs: 1723161313000000,
        seconds: 60,
        perSecond: 20,
        usualIntervalMicros: 50_000,
      },
    ],
    gaps: none,
    duplicateSequences: none,
    duplicateTradeIds: none,
    duplicateTimestamps: none,
    crossedBooks: none,
    negativeSizes: none,
    quietPeriods: none,
    recorderDropsChecked: true,
    sessions: [],
    ...overrides,
  };
  return { ...base, clean: isClean(base) };
}

describe('validation report', () => {
  it('trims the padding zeros of an 18-decimal text, exactly', () => {
    expect(trimDecimal('61837.640000000000000000')).toBe('61837.64');
    expect(trimDecimal('60001.000000000000000000')).toBe('60001');
    expect(trimDecimal('-0.000000050000000000')).toBe('-0.00000005');
    expect(trimDecimal('100')).toBe('100');
  });

  it('is clean only when every check found nothing', () => {
    expect(report().clean).toBe(true);
    expect(report({ gaps: { count: 1, examples: [] } }).clean).toBe(false);
  });

  it('quiet periods never make a report unclean', () => {
    const quiet = {
      count: 1,
      examples: [
        {
          kind: 'book' as const,
          exchange: 'kraken',
          stream: 'DOT-EUR',
          fromTs: 1723161253000000,
          toTs: 1723161263000000,
          quietMicros: 10_000_000,
          usualIntervalMicros: 2_500_000,
        },
      ],
    };
    const r = report({ quietPeriods: quiet });
    expect(r.clean).toBe(true);
    const text = formatValidationReport(r);
    expect(text).toContain(
      'book kraken DOT-EUR: 10.000 s quiet after 2024-08-08 23:54:13.000 (usually every 2.500 s)',
    );
    expect(text.endsWith('CLEAN')).toBe(true);
  });

  it('prints streams, each check, examples and the verdict', () => {
    const text = formatValidationReport(
      report({
        crossedBooks: {
          count: 2,
          examples: [
            {
              exchange: 'binance',
              symbol: 'BTC-USDT',
              localTs: 1723161254000000,
              bid: '60001',
              ask: '60000.5',
            },
          ],
        },
      }),
    );
    expect(text).toContain('raw: 2 files, 1,200 rows');
    expect(text).toMatch(/raw\s+binance\s+ALL\s+1,200\s+2024-08-08 23:54:13\.000/);
    expect(text).toContain('ok   gaps (data loss): 0');
    expect(text).toContain('info: quiet periods over 1.000 s (not data loss): 0');
    expect(text).toContain('FAIL crossed books: 2');
    expect(text).toContain('binance BTC-USDT at 2024-08-08 23:54:14.000: bid 60001 ≥ ask 60000.5');
    expect(text).toContain('…'); // one example shown of two
    expect(text.endsWith('PROBLEMS FOUND')).toBe(true);
  });
});
