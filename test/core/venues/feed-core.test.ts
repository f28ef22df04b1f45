import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookStateEvent } from '../../../core/market/events.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import {
  CROSSED_RESYNC_INTERVAL_US,
  FeedCore,
  MAX_SKIPPED_RUN,
  oddNumberForm,
  restRequests,
} from '../../../core/venues/feed-core.ts';
import type { RejectReason, SnapshotRequest } from '../../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../../core/venues/symbol-book.ts';

const BTC = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 8,
});

function setup(exponentNumbers = false) {
  const requests: SnapshotRequest[] = [];
  const rejects: Array<{ reason: RejectReason; detail: string }> = [];
  const states: BookStateEvent[] = [];
  const core = new FeedCore({
    exchange: 'binance',
    instruments: new InstrumentRegistry([BTC]),
    requestFor: restRequests('binance', (s) => `/api/v3/depth?symbol=${s}`, 1),
    exponentNumbers,
    listener: {
      onSnapshotRequest: (r) => requests.push(r),
      onReject: (reason, detail) => rejects.push({ reason, detail }),
      onEvent: (e) => {
        if (e.type === 'book_state') states.push(e);
      },
    },
  });
  const sb = core.ensureBook('BTCUSDT')!;
  return { core, sb, requests, rejects, states };
}

/** A trusted book: bid 100.00, ask 101.00, sequence 10. */
function trusted(exponentNumbers = false) {
  const s = setup(exponentNumbers);
  s.core.begin(s.sb, true);
  s.core.level(s.sb, true, '100.00', '1');
  s.core.level(s.sb, false, '101.00', '1');
  s.core.commitSnapshot(s.sb, 10, 0, 1);
  expect(s.sb.trust).toBe('trusted');
  s.requests.length = 0;
  return s;
}

/** One update putting a bid at `bid` (crossed when ≥ 101.00). */
function update(s: ReturnType<typeof setup>, sb: SymbolBook, seq: number, bid: string, ts: number) {
  s.core.begin(sb, false);
  expect(s.core.level(sb, true, bid, '1')).toBe(true);
  s.core.commitUpdate(sb, seq, 0, ts);
}

describe('FeedCore: number forms no venue sends', () => {
  const ODD = ['-0', '-0.000', '+1', '+0.5', '1e5', '1E-8', '01.5', '00', '.5', '5.', '-.5', '-'];
  const PLAIN = ['0', '0.5', '10', '61837.63000000', '0.00000001', '100'];

  it.each(ODD)('%s is refused as bad_number_form, as a price or a size', (text) => {
    const { core, sb } = trusted();
    core.begin(sb, false);
    expect(core.level(sb, true, text, '1')).toBe(false);
    expect(core.lastReject).toBe(text === '-' ? 'bad_decimal' : 'bad_number_form');
    const raw = `["${text}","${text}"]`;
    expect(core.levelRange(sb, false, raw, 2, 2 + text.length, 5 + text.length, 5 + 2 * text.length)).toBe(
      false,
    );
    expect(core.lastReject).toBe(text === '-' ? 'bad_decimal' : 'bad_number_form');
  });

  it.each(PLAIN)('%s is read', (text) => {
    const { core, sb } = trusted();
    core.begin(sb, false);
    expect(core.level(sb, false, '200.00', text)).toBe(true);
  });

  it('exponents are read where the venue writes JSON numbers (Kraken v2), the other odd forms are not', () => {
    const { core, sb } = trusted(true);
    core.begin(sb, false);
    expect(core.level(sb, false, '200.00', '1E-8')).toBe(true);
    expect(sb.book.asks.top()).toContainEqual([20000, 1]);
    expect(core.level(sb, false, '200.00', '-0')).toBe(false);
    expect(core.lastReject).toBe('bad_number_form');
  });

  it('a -0 parsed by the venue itself is refused in levelUnits', () => {
    const { core, sb } = trusted();
    core.begin(sb, false);
    expect(core.levelUnits(sb, true, 100, -0)).toBe(false);
    expect(core.lastReject).toBe('bad_number_form');
    expect(core.levelUnits(sb, true, 100, 0)).toBe(true);
  });

  it('oddNumberForm agrees with a regular-expression reference (property)', () => {
    const plain = /^-?(0|[1-9]\d*)(\.\d+)?$/;
    const chars = fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', 'E');
    fc.assert(
      fc.property(fc.array(chars, { minLength: 1, maxLength: 8 }), (cs) => {
        const t = cs.join('');
        // Only meaningful for texts the decimal parser accepts: the rest are bad_decimal anyway.
        if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return;
        const negativeZero = t.startsWith('-') && !/[1-9]/.test(t.split(/[eE]/)[0]!);
        expect(oddNumberForm(t, 0, t.length, false)).toBe(!plain.test(t) || negativeZero);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('FeedCore: trades', () => {
  it('a zero-size trade is refused as zero_size; -0 as bad_number_form; both counted', () => {
    const { core, sb, rejects } = trusted();
    expect(core.trade('BTCUSDT', '1', '100.00', '0', 'buy', 1, 1, 'raw')).toBe(false);
    expect(core.trade('BTCUSDT', '2', '100.00', '0.000', 'buy', 1, 1, 'raw')).toBe(false);
    expect(core.trade('BTCUSDT', '3', '100.00', '-0', 'buy', 1, 1, 'raw')).toBe(false);
    expect(core.trade('BTCUSDT', '4', '100.00', '0.5', 'buy', 1, 1, 'raw')).toBe(true);
    expect(rejects.map((r) => r.reason)).toEqual(['zero_size', 'zero_size', 'bad_number_form']);
    expect(core.counters.rejectedByReason.zero_size).toBe(2);
    expect(sb.counters.rejectedByReason.zero_size).toBe(2);
    expect(core.counters.trades).toBe(1);
  });

  it('a huge trade string is described, never copied whole into the detail', () => {
    const { core, rejects } = trusted();
    core.trade('BTCUSDT', '1', '1'.repeat(100_000), '0', 'buy', 1, 1, 'raw');
    expect(rejects[0]!.detail.length).toBeLessThan(200);
  });
});

describe('FeedCore: skipped diffs and sequence jumps', () => {
  it('diffs skipped while draining never count; a run beyond the bound outside it is a gap', () => {
    const { core, sb, requests, states } = trusted();
    for (let i = 0; i < 1000; i++) core.skipApplied(sb, 2, true);
    expect(sb.trust).toBe('trusted');
    for (let i = 0; i < MAX_SKIPPED_RUN; i++) core.skipApplied(sb, 3, false);
    expect(sb.trust).toBe('trusted');
    core.skipApplied(sb, 3, false);
    expect(sb.trust).toBe('resyncing');
    expect(core.counters.gaps).toBe(1);
    expect(core.counters.skippedApplied).toBe(1000 + MAX_SKIPPED_RUN + 1);
    expect(sb.counters.skippedApplied).toBe(1000 + MAX_SKIPPED_RUN + 1);
    expect(requests).toHaveLength(1);
    expect(states.find((s) => s.state === 'stale')?.reason).toMatch(/^gap: .*already applied/);
  });

  it('an applied diff resets the run', () => {
    const { core, sb } = trusted();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < MAX_SKIPPED_RUN; i++) core.skipApplied(sb, 2, false);
      update({ core } as ReturnType<typeof setup>, sb, 11 + round, '99.00', 2);
    }
    expect(sb.trust).toBe('trusted');
    expect(core.counters.gaps).toBe(0);
  });

  it('sequenceJump refuses the frame as bad_sequence on the book, counts a gap and resyncs', () => {
    const { core, sb, requests, rejects } = trusted();
    core.sequenceJump(sb, 'U=5 behind 10', 'raw', 2);
    expect(rejects).toEqual([{ reason: 'bad_sequence', detail: 'BTCUSDT: U=5 behind 10' }]);
    expect(sb.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(core.counters.gaps).toBe(1);
    expect(sb.trust).toBe('resyncing');
    expect(requests).toHaveLength(1);
  });
});

describe('FeedCore: a book crossed after a whole message is not trusted', () => {
  it('a crossing update makes the book stale and asks for a snapshot', () => {
    const s = trusted();
    update(s, s.sb, 11, '101.00', 2);
    expect(s.sb.trust).toBe('resyncing');
    expect(s.core.counters.crossed).toBe(1);
    expect(s.requests).toHaveLength(1);
    expect(s.states.find((e) => e.state === 'stale')?.reason).toBe('crossed after update');
  });

  it('a crossed snapshot never makes the book trusted; requests are held to one per interval', () => {
    const s = trusted();
    update(s, s.sb, 11, '101.00', 1_000);
    expect(s.requests).toHaveLength(1);
    const crossedSnapshot = (ts: number) => {
      s.core.begin(s.sb, true);
      s.core.level(s.sb, true, '102.00', '1');
      s.core.level(s.sb, false, '101.00', '1');
      s.core.commitSnapshot(s.sb, 20, 0, ts);
    };
    crossedSnapshot(2_000);
    expect(s.sb.trust).toBe('stale');
    expect(s.requests).toHaveLength(1); // held
    // A venue asking again inside the interval is held too.
    expect(s.core.requestSnapshot(s.sb, 'delta while stale', 3_000)).toBe(false);
    expect(s.sb.trust).toBe('stale');
    expect(s.requests).toHaveLength(1);
    // Once the interval has passed, the held request goes out with the next call.
    s.core.retryHeld(1_000 + CROSSED_RESYNC_INTERVAL_US);
    expect(s.requests).toHaveLength(2);
    expect(s.sb.trust).toBe('resyncing');
    // A sound snapshot ends the episode: trusted, and the next crossing asks at once.
    s.core.begin(s.sb, true);
    s.core.level(s.sb, true, '100.00', '1');
    s.core.level(s.sb, false, '101.00', '1');
    s.core.commitSnapshot(s.sb, 30, 0, 2_000 + CROSSED_RESYNC_INTERVAL_US);
    expect(s.sb.trust).toBe('trusted');
    expect(s.core.counters.crossed).toBe(2);
    expect(s.core.counters.resyncs).toBe(1);
  });

  it('another book updating carries a held request out once its wait is over', () => {
    const s = trusted();
    const other = s.core.ensureBook('ETHUSDT', ['1', '3'], ['1', '1'])!;
    s.core.begin(other, true);
    s.core.level(other, true, '1', '1');
    s.core.level(other, false, '3', '1');
    s.core.commitSnapshot(other, 1, 0, 1);
    update(s, s.sb, 11, '101.00', 10);
    s.core.begin(s.sb, true);
    s.core.level(s.sb, true, '102.00', '1');
    s.core.level(s.sb, false, '101.00', '1');
    s.core.commitSnapshot(s.sb, 20, 0, 20);
    s.requests.length = 0;
    update(s, other, 2, '2', 30);
    expect(s.requests).toHaveLength(0);
    update(s, other, 3, '1', 10 + CROSSED_RESYNC_INTERVAL_US);
    expect(s.requests.map((r) => r.venueSymbol)).toEqual(['BTCUSDT']);
  });
});
