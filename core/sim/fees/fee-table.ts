/**
 * Maker/taker fees per venue (config/fees.json), validated whole with zod: unknown keys refused,
 * every problem reported at once. Fees are fractions of notional; a negative fee is a rebate.
 */
import { z } from 'zod';
import { EXCHANGES, type ExchangeId } from '../../market/exchange.ts';

const Rate = z
  .number()
  .gt(-0.01, 'a rebate above 1% is surely a typo')
  .lt(0.05, 'a fee above 5% is surely a typo');

const Rates = z.strictObject({ maker: Rate, taker: Rate });

const Venue = z
  .strictObject({
    defaultTier: z.string().min(1),
    tiers: z.record(z.string(), Rates),
    /** Per venue-symbol overrides (any tier). */
    symbols: z.record(z.string(), Rates).optional(),
  })
  .refine((v) => v.defaultTier in v.tiers, { message: 'defaultTier must name one of the tiers' });

const FeeFile = z.strictObject({
  $comment: z.string().optional(),
  venues: z.partialRecord(z.enum(EXCHANGES), Venue),
});

export interface FeeRates {
  /** Fraction of notional for liquidity we provide (negative: rebate). */
  readonly maker: number;
  /** Fraction of notional for liquidity we take. */
  readonly taker: number;
}

export type FeeFileInput = z.input<typeof FeeFile>;

export class FeeTable {
  constructor(private readonly file: z.output<typeof FeeFile>) {}

  /** Rates for a venue symbol at a tier (the venue's default tier when omitted); zero for unknown venues. */
  rates(exchange: ExchangeId, venueSymbol?: string, tier?: string): FeeRates {
    const venue = this.file.venues[exchange];
    if (!venue) return ZERO;
    const bySymbol = venueSymbol !== undefined ? venue.symbols?.[venueSymbol] : undefined;
    if (bySymbol) return bySymbol;
    const t = venue.tiers[tier ?? venue.defaultTier];
    if (!t)
      throw new Error(`fees: ${exchange} has no tier "${tier}" (has ${Object.keys(venue.tiers).join(', ')})`);
    return t;
  }

  tiers(exchange: ExchangeId): string[] {
    return Object.keys(this.file.venues[exchange]?.tiers ?? {});
  }
}

const ZERO: FeeRates = Object.freeze({ maker: 0, taker: 0 });

/** Validate a fee document; throws one error listing every problem. */
export function parseFeeTable(json: unknown): FeeTable {
  const result = FeeFile.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`fee table is invalid:\n${lines.join('\n')}`);
  }
  return new FeeTable(result.data);
}

/** No fees anywhere (tests, or to isolate fill effects). */
export function zeroFees(): FeeTable {
  return new FeeTable({ venues: {} });
}
