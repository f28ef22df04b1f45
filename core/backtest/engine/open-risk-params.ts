/**
 * The risk limits a backtest runs under unless it is given others (`--risk config/risk.json` runs
 * it under the live limits): every position, size, rate and loss limit wide open, so only what the
 * simulated account itself enforces refuses an order — the instrument's filters, an unpriced book
 * and the margin check (core/risk/checks/margin-check.ts).
 */
import type { Instrument } from '../../market/instrument.ts';
import { formatDecimal } from '../../num/format-decimal.ts';
import type { RiskParams } from '../../risk/risk-params.ts';

/** Size limit in size units: far beyond any position, still an exact integer. */
const OPEN_SIZE_UNITS = 1e15;
const OPEN_MONEY = '1000000000000000';

export function openRiskParams(instruments: readonly Instrument[]): RiskParams {
  const currency = instruments[0]?.quote ?? 'USDT';
  const limits: Record<string, RiskParams['limits']['default']> = {
    default: {
      maxPosition: '0',
      maxOrderSize: '0',
      maxMarketOrderSize: '0',
      fatFingerPct: 50,
      postOnlyFatFingerPct: 50,
    },
  };
  for (const inst of instruments) {
    const size = formatDecimal(OPEN_SIZE_UNITS, inst.sizeScale);
    limits[inst.symbol] = {
      maxPosition: size,
      maxOrderSize: size,
      maxMarketOrderSize: size,
      fatFingerPct: 50,
      postOnlyFatFingerPct: 50,
    };
  }
  return {
    limits: limits as RiskParams['limits'],
    orderRate: { perSecond: 10_000, perMinute: 100_000 },
    drawdown: { windowMinutes: 60, maxLoss: { amount: OPEN_MONEY, currency } },
    dailyLoss: { maxLoss: { amount: OPEN_MONEY, currency } },
    concentration: { maxSharePct: 100, minGrossExposure: { amount: OPEN_MONEY, currency }, groups: [] },
    staleBooksHaltSeconds: 3600,
    kellyFraction: 0.25,
  };
}
