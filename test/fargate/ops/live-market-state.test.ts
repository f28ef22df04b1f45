import { describe, expect, it } from 'vitest';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { BinanceFeed } from '../../../core/venues/binance/binance-feed.ts';
import { LiveMarketState } from '../../../fargate/ops/live-market-state.ts';

const S = 1_000_000;
const MAX_AGE = 10 * S;
const GRACE = 30 * S;

function setup() {
  const clock = { now: 1_000 * S };
  const state = new LiveMarketState({ now: () => clock.now });
  state.expect([{ exchange: 'binance', symbols: ['BTCUSDT', 'ETHUSDT'] }]);
  const feed = new BinanceFeed({
    market: 'spot',
    instruments: new InstrumentRegistry(),
    listener: state.listenerFor('binance'),
  });
  state.attach('binance', feed);
  const trade = (id: number) =>
    feed.onMessage(
      `{"e":"trade","E":1,"s":"BTCUSDT","t":${id},"p":"10.00","q":"1.0","T":1,"m":true,"M":true}`,
      clock.now,
    );
  const diff = (U: number, u: number) =>
    feed.onMessage(
      `{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":${U},"u":${u},"b":[["9.0${u % 10}","1.0"]],"a":[]}`,
      clock.now,
    );
  return { clock, state, feed, trade, diff };
}

const binance = (state: LiveMarketState) => state.health(MAX_AGE, GRACE).venues[0]!;

describe('/health per venue', () => {
  it('lists a configured venue that never spoke, as not ok', () => {
    const { state } = setup();
    expect(state.health(MAX_AGE, GRACE)).toMatchObject({
      ok: false,
      venues: [
        {
          exchange: 'binance',
          ok: false,
          problems: ['no message received yet', 'no book yet (starting up)'],
          missingBooks: ['BTCUSDT', 'ETHUSDT'],
        },
      ],
    });
  });

  it('is never ok for a venue that sends trades but builds no book (a depth stream that stays silent)', () => {
    const { clock, state, trade } = setup();
    trade(1);
    expect(binance(state)).toMatchObject({
      ok: false,
      fresh: true,
      books: 0,
      problems: ['no book yet (starting up)'],
    });
    clock.now += GRACE + 5 * S;
    trade(2);
    expect(binance(state)).toMatchObject({ ok: false, fresh: true, problems: ['no book 35 s after start'] });
    expect(state.health(MAX_AGE, GRACE).ok).toBe(false);
  });

  it('is ok with a trusted book, names the symbols still without one, and fails once it goes silent', () => {
    const { clock, state, feed, diff } = setup();
    feed.onSnapshot(
      'BTCUSDT',
      '{"lastUpdateId":1,"bids":[["9.01","1.5"]],"asks":[["12.01","1.5"]]}',
      clock.now,
    );
    diff(2, 2);
    expect(binance(state)).toMatchObject({
      ok: true,
      problems: [],
      trustedBooks: 1,
      books: 1,
      untrustedBooks: [],
      missingBooks: ['ETHUSDT'],
    });
    expect(state.health(MAX_AGE, GRACE).ok).toBe(true);
    clock.now += MAX_AGE + S;
    expect(binance(state)).toMatchObject({ ok: false, problems: ['silent for 11000 ms (limit 10000 ms)'] });
  });

  it('tolerates an untrusted book during the start-up grace period, not after it', () => {
    const { clock, state, feed, diff, trade } = setup();
    feed.onSnapshot(
      'BTCUSDT',
      '{"lastUpdateId":1,"bids":[["9.01","1.5"]],"asks":[["12.01","1.5"]]}',
      clock.now,
    );
    diff(2, 2);
    diff(10, 10); // a gap: the book is no longer trusted
    const during = binance(state);
    expect(during.trustedBooks).toBe(0);
    expect(during.books).toBe(1);
    expect(during).toMatchObject({ ok: true, untrustedBooks: ['BTC/USDT'] });
    clock.now += GRACE;
    trade(3); // the venue still speaks; its book waits for a new snapshot

    expect(binance(state)).toMatchObject({
      ok: false,
      problems: ['no trusted book (1 waiting for a snapshot or resyncing)'],
      untrustedBooks: ['BTC/USDT'],
    });
  });
});
