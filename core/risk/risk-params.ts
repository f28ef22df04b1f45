/**
 * Risk limits (config/risk.json, and the body of `PUT /risk/params`), validated whole with zod:
 * unknown keys refused, every problem reported at once. Core reads no files: the caller parses the
 * JSON and hands it here (config/risk.ts turns the issues into one line each).
 *
 * Shape:
 *   limits            per unified symbol ("BTC/USDT", "BTC/USDT:USDT"), over a required "default":
 *                     maxPosition, maxOrderSize, maxMarketOrderSize  base currency, decimal strings
 *                       (converted exactly to each instrument's size units: never through a float)
 *                     fatFingerPct, postOnlyFatFingerPct  how far a limit price may be from mid, %
 *                     A symbol entry overrides any of the default's fields.
 *   orderRate         orders (submits and amends) admitted per second and per minute
 *   drawdown          rolling window (minutes) and the largest peak-to-now loss in it
 *   dailyLoss         the largest loss since the UTC day began
 *   concentration     the largest share of gross exposure one instrument, or one group of
 *                     correlated symbols, may hold, once gross exposure is above minGrossExposure
 *   staleBooksHaltSeconds  every book untrusted for longer than this halts trading
 *   kellyFraction     the fraction of full Kelly the sizing helper uses (kelly.ts)
 *
 * Money amounts are decimal strings with a currency; every amount must name the same currency,
 * the one `RiskAccount.pnl()` reports in.
 */
import { z } from 'zod';
import { UNIFIED_SYMBOL } from '../market/symbols.ts';

const baseAmount = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal string of base currency such as "0.01"');

const money = z.strictObject({
  amount: z.string().regex(/^\d+(\.\d+)?$/, 'a decimal string such as "100"'),
  currency: z.string().regex(/^[A-Z0-9]+$/, 'a currency code such as USDT'),
});

const pct = (max: number) => z.number().gt(0, 'must be above 0').max(max);

const limitsShape = {
  maxPosition: baseAmount,
  maxOrderSize: baseAmount,
  /** Market orders take whatever the book offers: a tighter size limit than limit orders. */
  maxMarketOrderSize: baseAmount,
  fatFingerPct: pct(50),
  postOnlyFatFingerPct: pct(50),
};

const defaultLimits = z.strictObject(limitsShape);
const symbolLimits = z.strictObject(limitsShape).partial();

const limits = z
  .object({ default: defaultLimits })
  .catchall(symbolLimits)
  .superRefine(
    (table, ctx) => {
      for (const key of Object.keys(table)) {
        if (key !== 'default' && !UNIFIED_SYMBOL.test(key))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'expected "default" or a unified symbol like BTC/USDT',
          });
      }
      // `when`: check the keys even when some entry is invalid (every problem at once).
    },
    { when: (payload) => isRecord(payload.value) },
  );

const correlationGroup = z.strictObject({
  name: z.string().min(1),
  symbols: z.array(z.string().regex(UNIFIED_SYMBOL, 'expected a unified symbol like BTC/USDT')).min(2),
  maxSharePct: pct(100),
});

export const riskParamsSchema = z
  .strictObject({
    $comment: z.string().optional(),
    limits,
    orderRate: z
      .strictObject({
        perSecond: z.number().int().min(1).max(10_000),
        perMinute: z.number().int().min(1).max(100_000),
      })
      .refine((r) => r.perMinute >= r.perSecond, { message: 'perMinute must be at least perSecond' }),
    drawdown: z.strictObject({ windowMinutes: z.number().int().min(1).max(1440), maxLoss: money }),
    dailyLoss: z.strictObject({ maxLoss: money }),
    concentration: z.strictObject({
      maxSharePct: pct(100),
      minGrossExposure: money,
      groups: z.array(correlationGroup).default([]),
    }),
    staleBooksHaltSeconds: z.number().gt(0, 'must be above 0').max(3600),
    kellyFraction: z.number().gt(0, 'must be above 0').max(1),
  })
  .superRefine(
    (raw, ctx) => {
      // Runs on partly invalid documents too (`when`), so every field is read defensively.
      const p = raw as unknown as Record<string, unknown>;
      const currency = currencyAt(p, ['dailyLoss', 'maxLoss']);
      if (currency === undefined) return;
      for (const path of [
        ['drawdown', 'maxLoss'],
        ['concentration', 'minGrossExposure'],
      ]) {
        const c = currencyAt(p, path);
        if (c !== undefined && c !== currency)
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'currency'],
            message: `every amount must be in one currency (dailyLoss.maxLoss is in ${currency}, this is ${c})`,
          });
      }
    },
    { when: (payload) => isRecord(payload.value) },
  );

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The currency code at `path` + .currency when it is a valid one, else undefined. */
function currencyAt(root: Record<string, unknown>, path: readonly string[]): string | undefined {
  let node: unknown = root;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  const c = isRecord(node) ? node.currency : undefined;
  return typeof c === 'string' && /^[A-Z0-9]+$/.test(c) ? c : undefined;
}

export type RiskParams = z.output<typeof riskParamsSchema>;
export type RiskParamsInput = z.input<typeof riskParamsSchema>;
export type SymbolLimits = z.output<typeof defaultLimits>;
