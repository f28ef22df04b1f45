import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lossCause, lossWindows, type StateRow } from '../../../core/recording/loss-windows.ts';

const row = (
  localTs: number,
  state: string,
  detail = '',
  type: StateRow['type'] = 'book_state',
): StateRow => ({
  session: 1,
  exchange: 'binance',
  symbol: type === 'connection' ? 'ALL' : 'BTC-USDT',
  localTs,
  type,
  state,
  detail,
});

describe('loss windows', () => {
  it('a book is lost from stale to trusted; the start of a session is not a loss', () => {
    const windows = lossWindows(
      [
        row(0, 'awaiting_snapshot'),
        row(5, 'trusted'),
        row(10, 'stale', 'gap: U 7 > 5 + 1'),
        row(12, 'resyncing'),
        row(30, 'trusted'),
      ],
      new Map([[1, 100]]),
    );
    expect(windows).toEqual([
      {
        cause: 'sequence_break',
        exchange: 'binance',
        stream: 'BTC-USDT',
        session: 1,
        fromTs: 10,
        toTs: 30,
        gapMicros: 20,
        detail: 'gap: U 7 > 5 + 1',
      },
    ]);
  });

  it('a window still open closes at the end of its session; a drop still open there is the shutdown', () => {
    const windows = lossWindows(
      [
        row(1, 'connected', 'c1', 'connection'),
        row(2, 'trusted'),
        row(10, 'disconnected', 'c1', 'connection'),
        row(15, 'connected', 'c2', 'connection'),
        row(20, 'stale', 'checksum mismatch'),
        row(80, 'disconnected', 'stopped', 'connection'),
      ],
      new Map([[1, 90]]),
    );
    expect(windows.map((w) => [w.cause, w.fromTs, w.toTs])).toEqual([
      ['sequence_break', 20, 90],
      ['reconnect', 10, 15],
    ]);
  });

  it('a book stale before it was ever trusted lost nothing', () => {
    expect(
      lossWindows(
        [row(0, 'awaiting_snapshot'), row(3, 'stale', 'gap: x'), row(9, 'trusted')],
        new Map([[1, 20]]),
      ),
    ).toEqual([]);
  });

  it('names the cause from the feed reason', () => {
    expect(lossCause('checksum mismatch: 123')).toBe('sequence_break');
    expect(lossCause('disconnected')).toBe('reconnect');
    expect(lossCause('refused message (crossed_book)')).toBe('untrusted_book');
  });

  it('windows never overlap per stream and cover exactly the untrusted time', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('trusted', 'stale', 'resyncing'), { maxLength: 40 }), (states) => {
        // The book was trusted before the first generated state.
        const rows = [row(-1, 'trusted'), ...states.map((s, i) => row(i * 10, s, 'gap: x'))];
        const end = states.length * 10;
        const windows = lossWindows(rows, new Map([[1, end]]));
        let lost = 0;
        let untrustedSince: number | undefined;
        for (let i = 0; i < states.length; i++) {
          if (states[i] !== 'trusted') untrustedSince ??= i * 10;
          else if (untrustedSince !== undefined) {
            lost += i * 10 - untrustedSince;
            untrustedSince = undefined;
          }
        }
        if (untrustedSince !== undefined) lost += end - untrustedSince;
        expect(windows.reduce((n, w) => n + w.gapMicros, 0)).toBe(lost);
        const sorted = [...windows].sort((a, b) => a.fromTs - b.fromTs);
        for (let i = 1; i < sorted.length; i++)
          expect(sorted[i]!.fromTs).toBeGreaterThanOrEqual(sorted[i - 1]!.toTs);
      }),
    );
  });
});
