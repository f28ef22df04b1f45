/**
 * Compare a client's book (a core feed's SymbolBook) with the simulator's truth, level by level, as
 * exact decimal text — the client may hold the instrument at another scale (inferred from the wire),
 * so integers are not comparable but their decimal values are.
 */
import type { PriceLevel } from '../../core/market/events.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../core/num/format-decimal.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import type { TrueBook } from './truth/venue-market.ts';

export interface BookComparison {
  readonly equal: boolean;
  /** Human-readable differences (at most 10). */
  readonly differences: string[];
}

function asText(levels: readonly PriceLevel[], i: Instrument): string[] {
  return levels.map(
    (l) => `${formatDecimalTrimmed(l[0], i.priceScale)}@${formatDecimalTrimmed(l[1], i.sizeScale)}`,
  );
}

/** Is the client's top `depth` (default: all the truth shows) equal to the truth's? */
export function compareBook(
  client: SymbolBook,
  truth: TrueBook,
  depth = Number.POSITIVE_INFINITY,
): BookComparison {
  const differences: string[] = [];
  const { bids, asks } = client.book.snapshot(Number.isFinite(depth) ? depth : undefined);
  const sides: Array<[string, string[], Array<readonly [string, string]>]> = [
    ['bid', asText(bids, client.instrument), truth.bidsText],
    ['ask', asText(asks, client.instrument), truth.asksText],
  ];
  for (const [name, mine, theirs] of sides) {
    const n = Math.min(
      Number.isFinite(depth) ? depth : Number.POSITIVE_INFINITY,
      Math.max(mine.length, theirs.length),
    );
    for (let k = 0; k < n && differences.length < 10; k++) {
      const want = theirs[k] ? `${theirs[k]![0]}@${theirs[k]![1]}` : '(none)';
      const have = mine[k] ?? '(none)';
      if (want !== have)
        differences.push(`${truth.venueSymbol} ${name} #${k}: client ${have}, truth ${want}`);
    }
  }
  return { equal: differences.length === 0, differences };
}
