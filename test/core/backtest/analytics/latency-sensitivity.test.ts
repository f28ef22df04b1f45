import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LATENCY_OFFSETS_MS,
  latencySensitivity,
} from '../../../../core/backtest/analytics/latency-sensitivity.ts';

describe('latency sensitivity', () => {
  it('an exact line pnl = 100 − 2 × ms: slope −2 per ms, −2 % of the base pnl per ms, R² 1', () => {
    const points = [...DEFAULT_LATENCY_OFFSETS_MS]
      .reverse()
      .map((ms) => ({ addedLatencyMs: ms, pnl: 100 - 2 * ms }));
    const s = latencySensitivity(points);
    expect(s.points.map((p) => p.addedLatencyMs)).toEqual([0, 1, 5, 10, 50]);
    expect(s.slopePerMs).toBeCloseTo(-2, 12);
    expect(s.intercept).toBeCloseTo(100, 12);
    expect(s.basePnl).toBe(100);
    expect(s.relativeSlopePerMs).toBeCloseTo(-0.02, 12);
    expect(s.rSquared).toBeCloseTo(1, 12);
  });

  it('least squares by hand on noisy points', () => {
    // x 0, 10, 20; y 10, 4, 4: x̄ 10, ȳ 6, Sxy = −60, Sxx = 200 → slope −0.3, intercept 9.
    const s = latencySensitivity([
      { addedLatencyMs: 0, pnl: 10 },
      { addedLatencyMs: 10, pnl: 4 },
      { addedLatencyMs: 20, pnl: 4 },
    ]);
    expect(s.slopePerMs).toBeCloseTo(-0.3, 12);
    expect(s.intercept).toBeCloseTo(9, 12);
    expect(s.relativeSlopePerMs).toBeCloseTo(-0.03, 12);
    // Syy = 16 + 4 + 4 = 24 → R² = 3600 / (200 × 24) = 0.75.
    expect(s.rSquared).toBeCloseTo(0.75, 12);
  });

  it('a losing base keeps the slope sign in the relative figure', () => {
    const s = latencySensitivity([
      { addedLatencyMs: 0, pnl: -50 },
      { addedLatencyMs: 10, pnl: -60 },
    ]);
    expect(s.slopePerMs).toBeCloseTo(-1, 12);
    expect(s.relativeSlopePerMs).toBeCloseTo(-0.02, 12);
  });

  it('degenerate inputs: zero base pnl, a single point, constant pnl', () => {
    expect(
      latencySensitivity([
        { addedLatencyMs: 0, pnl: 0 },
        { addedLatencyMs: 5, pnl: -5 },
      ]).relativeSlopePerMs,
    ).toBeNull();
    const one = latencySensitivity([{ addedLatencyMs: 0, pnl: 7 }]);
    expect(one.slopePerMs).toBe(0);
    expect(one.rSquared).toBeNull();
    const flat = latencySensitivity([
      { addedLatencyMs: 0, pnl: 3 },
      { addedLatencyMs: 5, pnl: 3 },
    ]);
    expect(flat.slopePerMs).toBe(0);
    expect(flat.rSquared).toBeNull();
    expect(latencySensitivity([]).slopePerMs).toBe(0);
  });
});
