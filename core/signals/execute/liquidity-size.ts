/**
 * Liquidity-based sizing: take at most `participation` of the depth available near mid (size
 * units, on the side the order would take), rounded down to whole lots; 0 when that is under one
 * lot or under the venue's minimum.
 */
export function liquiditySize(
  depthUnits: number,
  participation: number,
  lotSize: number,
  minSize = 0,
): number {
  const raw = Math.floor((depthUnits * participation) / lotSize) * lotSize;
  return raw >= Math.max(lotSize, minSize) ? raw : 0;
}
