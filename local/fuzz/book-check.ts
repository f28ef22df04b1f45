/**
 * How the fuzzer judges a trusted feed book after a frame: equal to the reference model's book
 * level by level, never crossed, no level of size 0, and equal to the mirror its listener built.
 * Between full comparisons (after a rebuild, and every FULL_CHECK_EVERY frames) only the prices
 * written since the last look and the level counts are compared: a divergence elsewhere would
 * need a write nobody reported, which the counts or the next full comparison catch.
 */
import type { BookSide } from '../../core/book/book-side.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import { decimalToUnits, unitsToDecimal } from './decimal-text.ts';
import type { ObservedBook } from './feed-observer.ts';
import type { ReferenceBook } from './reference-book.ts';

export const FULL_CHECK_EVERY = 512;

export type ViolationKind =
  | 'book_differs'
  | 'trusted_while_reference_broken'
  | 'trusted_before_reference_snapshot'
  | 'crossed'
  | 'zero_size_level'
  | 'mirror_differs';

export interface Finding {
  readonly kind: ViolationKind;
  readonly detail: string;
}

interface SideView {
  readonly name: 'bid' | 'ask';
  readonly book: BookSide;
  readonly reference: Map<string, string>;
  readonly referenceDirty: Set<string>;
  readonly mirror: Map<number, number>;
  readonly feedDirty: Set<number>;
}

function sidesOf(sb: SymbolBook, rb: ReferenceBook | undefined, o: ObservedBook): SideView[] {
  return [
    {
      name: 'bid',
      book: sb.book.bids,
      reference: rb?.bids ?? new Map(),
      referenceDirty: rb?.dirtyBids ?? new Set(),
      mirror: o.mirrorBids,
      feedDirty: o.dirtyBids,
    },
    {
      name: 'ask',
      book: sb.book.asks,
      reference: rb?.asks ?? new Map(),
      referenceDirty: rb?.dirtyAsks ?? new Set(),
      mirror: o.mirrorAsks,
      feedDirty: o.dirtyAsks,
    },
  ];
}

/** Every level of the feed's side against the reference's. */
function fullDiff(sb: SymbolBook, side: SideView): Finding | undefined {
  const { priceScale, sizeScale } = sb.instrument;
  const feedPrices = new Set<string>();
  for (let i = 0; i < side.book.count; i++) {
    const units = side.book.sizeAt(i);
    const price = unitsToDecimal(side.book.priceAt(i), priceScale);
    if (!(units > 0)) return { kind: 'zero_size_level', detail: `${side.name} ${price}: size ${units}` };
    const size = unitsToDecimal(units, sizeScale);
    const expected = side.reference.get(price);
    if (expected !== size)
      return {
        kind: 'book_differs',
        detail: `${side.name} ${price}: feed ${size}, reference ${expected ?? 'none'}`,
      };
    feedPrices.add(price);
  }
  for (const [price, size] of side.reference) {
    if (!feedPrices.has(price))
      return { kind: 'book_differs', detail: `${side.name} ${price}: feed none, reference ${size}` };
  }
  return undefined;
}

function feedSize(sb: SymbolBook, side: SideView, price: string): string | undefined {
  const units = decimalToUnits(price, sb.instrument.priceScale);
  const size = units === undefined ? 0 : side.book.sizeAtPrice(units);
  return size === 0 ? undefined : unitsToDecimal(size, sb.instrument.sizeScale);
}

/** Only the prices written since the last look, and the counts; a full pass to describe a difference. */
function dirtyDiff(sb: SymbolBook, side: SideView): Finding | undefined {
  let differs = side.book.count !== side.reference.size;
  for (const price of side.referenceDirty) {
    if (differs) break;
    differs = feedSize(sb, side, price) !== side.reference.get(price);
  }
  for (const units of side.feedDirty) {
    if (differs) break;
    const price = unitsToDecimal(units, sb.instrument.priceScale);
    differs = feedSize(sb, side, price) !== side.reference.get(price);
  }
  if (!differs) return undefined;
  return (
    fullDiff(sb, side) ?? { kind: 'book_differs', detail: `${side.name}: counts or written levels differ` }
  );
}

function mirrorDiff(side: SideView, full: boolean): Finding | undefined {
  const describe = (price: number) =>
    `${side.name} ${price}: book ${side.book.sizeAtPrice(price)}, mirror ${side.mirror.get(price) ?? 0}`;
  if (side.book.count !== side.mirror.size)
    return {
      kind: 'mirror_differs',
      detail: `${side.name}: book ${side.book.count} levels, mirror ${side.mirror.size}`,
    };
  const prices = full ? side.mirror.keys() : side.feedDirty.values();
  for (const price of prices) {
    if (side.book.sizeAtPrice(price) !== (side.mirror.get(price) ?? 0))
      return { kind: 'mirror_differs', detail: describe(price) };
  }
  return undefined;
}

/** What is wrong with trusted feed book `sb`, judged against reference book `rb`. */
export function checkTrustedBook(
  sb: SymbolBook,
  rb: ReferenceBook | undefined,
  observed: ObservedBook,
  full: boolean,
): Finding[] {
  const findings: Finding[] = [];
  if (sb.book.isCrossed())
    findings.push({
      kind: 'crossed',
      detail: `best bid ${sb.book.bestBid()} ≥ best ask ${sb.book.bestAsk()}`,
    });
  const sides = sidesOf(sb, rb, observed);
  if (!rb || rb.trust === 'awaiting') {
    findings.push({ kind: 'trusted_before_reference_snapshot', detail: 'the reference has no snapshot' });
  } else if (rb.trust === 'broken') {
    findings.push({ kind: 'trusted_while_reference_broken', detail: rb.why });
  } else {
    for (const side of sides) {
      const f = full || rb.rebuilt ? fullDiff(sb, side) : dirtyDiff(sb, side);
      if (f) {
        findings.push(f);
        break;
      }
    }
  }
  for (const side of sides) {
    const f = mirrorDiff(side, full);
    if (f) {
      findings.push(f);
      break;
    }
  }
  return findings;
}
