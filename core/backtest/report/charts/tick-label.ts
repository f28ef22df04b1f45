/**
 * Axis tick labels. ECharts picks nice tick values and hands the formatter one value at a time, so a
 * label shows the value's own shortest decimals (float residue such as 0.30000000000000004 cut at
 * 10 significant digits), with thousands separators; millions and more become M.
 */
import { formatNumber } from '../format.ts';

function shortest(v: number): string {
  const clean = Number(v.toPrecision(10));
  const text = String(clean);
  const dot = text.indexOf('.');
  const decimals = dot < 0 || text.includes('e') ? 0 : Math.min(8, text.length - dot - 1);
  return formatNumber(clean, decimals);
}

export function tickNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${shortest(v / 1e6)}M`;
  return shortest(v);
}

/** A fraction as a percent tick: 0.015 → "1.5%". */
export function tickPercent(v: number): string {
  return `${shortest(v * 100)}%`;
}
