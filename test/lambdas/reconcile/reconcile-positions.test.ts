import { describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import type { PositionReport } from '../../../core/control/control-item.ts';
import type { PositionJson } from '../../../core/trading/trading-control.ts';
import type { VenuePosition } from '../../../fargate/execution/account-query.ts';
import { reconcilePositions, type VenueAccount } from '../../../lambdas/reconcile/reconcile-positions.ts';
import { credentialsFromSecret } from '../../../lambdas/reconcile/venue-accounts.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';

const instruments = configuredInstruments();
const perpIndex = instruments.findIndex((i) => i.exchange === 'binance-futures' && i.kind !== 'spot');
const perp = instruments[perpIndex];
const NOW = 1_800_000_000_000;

function report(positions: PositionJson[], ageMs = 10_000): PositionReport {
  const status = { ...new FakeTradingControl('t').status(), positions };
  return { atMs: NOW - ageMs, owner: 'task', status };
}

function position(size: string): PositionJson {
  if (!perp) throw new Error('no perp instrument configured');
  const zero = { amount: 0, currency: 'USDT' };
  return {
    exchange: perp.exchange,
    symbol: perp.symbol,
    size,
    avgEntry: null,
    realized: zero,
    unrealized: zero,
    fees: zero,
  };
}

function venue(held: VenuePosition[] | Error): VenueAccount {
  return {
    exchange: 'binance-futures',
    instruments,
    account: {
      positions: async () => {
        if (held instanceof Error) throw held;
        return held;
      },
    },
  };
}

describe('reconcilePositions', () => {
  it('agrees when the reported size equals the venue’s, in exact size units', async () => {
    if (!perp) throw new Error('no perp');
    const units = 3 * 10 ** (perp.sizeScale - 3); // 0.003 base
    const r = await reconcilePositions(
      report([position('0.003')]),
      [venue([{ instrument: perpIndex, size: units, entryPrice: '1' }])],
      NOW,
      180_000,
    );
    expect(r).toMatchObject({ stale: false, mismatches: [], errors: [] });
    expect(r.checked).toBeGreaterThan(0);
    expect(r.reportAgeSeconds).toBe(10);
  });

  it('finds a position the venue holds and the task does not know (and the reverse)', async () => {
    if (!perp) throw new Error('no perp');
    const units = 10 ** (perp.sizeScale - 3);
    const unknown = await reconcilePositions(
      report([]),
      [venue([{ instrument: perpIndex, size: -units, entryPrice: '1' }])],
      NOW,
      180_000,
    );
    expect(unknown.mismatches).toEqual([
      { exchange: 'binance-futures', symbol: perp.symbol, reported: 0, venue: -units },
    ]);
    const phantom = await reconcilePositions(report([position('0.001')]), [venue([])], NOW, 180_000);
    expect(phantom.mismatches).toEqual([
      { exchange: 'binance-futures', symbol: perp.symbol, reported: units, venue: 0 },
    ]);
  });

  it('an old report, or none, is stale; a venue that cannot be asked is an error, not a zero', async () => {
    expect((await reconcilePositions(report([], 181_000), [], NOW, 180_000)).stale).toBe(true);
    expect(await reconcilePositions(undefined, [], NOW, 180_000)).toMatchObject({
      stale: true,
      reportAgeSeconds: null,
    });
    const down = await reconcilePositions(report([]), [venue(new Error('HTTP 503'))], NOW, 180_000);
    expect(down).toMatchObject({ errors: ['binance-futures: HTTP 503'], mismatches: [], checked: 0 });
  });
});

describe('credentialsFromSecret', () => {
  it('reads the venue secret’s JSON, and sees placeholders as no credentials', () => {
    expect(credentialsFromSecret('binance-futures', '{"API_KEY":"","API_SECRET":""}')).toBeUndefined();
    const c = credentialsFromSecret('binance-futures', '{"API_KEY":"k","API_SECRET":"s"}');
    expect(c).toMatchObject({ apiKey: 'k', apiSecret: 's' });
    expect(String(c)).toBe('[credentials binance-futures]');
  });
});
