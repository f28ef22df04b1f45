import { describe, expect, it } from 'vitest';
import { loadTape } from '../../../local/backtest/load-tape.ts';
import { shareTape, tapeFromShared } from '../../../local/backtest/shared-tape.ts';
import { fixture } from '../../support/fixtures.ts';

describe('shared tape', () => {
  it('round-trips every column through shared memory, fingerprint included', async () => {
    const { tape } = await loadTape(fixture('binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz'));
    const shared = shareTape(tape);
    expect(shared.columns.price.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.exchOrder.buffer).toBeInstanceOf(SharedArrayBuffer);
    // What a worker receives: a structured clone (SharedArrayBuffers are shared, not copied).
    const back = tapeFromShared(structuredClone(shared));
    for (const c of [
      'kind',
      'flags',
      'inst',
      'exchTs',
      'localTs',
      'price',
      'size',
      'aux',
      'exchOrder',
    ] as const)
      expect(Array.from(back[c]), c).toEqual(Array.from(tape[c]));
    expect(back.instruments).toEqual(tape.instruments);
    expect(back.sources).toEqual(tape.sources);
    expect(back.fingerprint()).toBe(tape.fingerprint());
    expect(back.hasL3).toBe(tape.hasL3);
  });

  it('shares memory: a clone maps the same bytes (no copy per worker)', async () => {
    const { tape } = await loadTape(fixture('binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz'));
    const shared = shareTape(tape);
    const clone = structuredClone(shared);
    clone.columns.size[0] = 123_456;
    expect(shared.columns.size[0]).toBe(123_456);
    expect(tape.size[0]).not.toBe(123_456); // the source tape was copied once, not aliased
  });
});
