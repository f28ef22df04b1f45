/**
 * Replay to the same decisions: a short paper session recorded the way `npm start` records it
 * (raw frames and REST snapshots to Parquet, decisions to the journal), including a kill and a
 * reset, is replayed by `replay-check` and must produce the same order and fill sequence.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../config/instruments.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { combineListeners } from '../../core/venues/combine-listeners.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { RecorderWiring } from '../../fargate/recorder/recorder-wiring.ts';
import { DEFAULT_MARKETS, openTrading } from '../../fargate/trading/open-trading.ts';
import { replayCheck } from '../../fargate/trading/replay-check.ts';
import { startLocalStack } from '../../local/stack/start-local-stack.ts';
import { ThreadedParquetSink } from '../../local/storage/threaded-parquet-sink.ts';

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('replay-check', () => {
  it('a recorded paper session with a kill and a reset replays to the same orders and fills', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'replay-'));
    const trading = await openTrading({
      dataDir,
      strategy: 'market-maker',
      overrides: {},
      instruments: configuredInstruments(),
      markets: DEFAULT_MARKETS,
      seed: 7,
      log: () => {},
    });
    const recorder = new Recorder({ sink: await ThreadedParquetSink.open({ root: dataDir }) });
    const wiring = new RecorderWiring(recorder);
    const trader = trading.trader;
    const stack = await startLocalStack({
      port: 0,
      speed: 5,
      trading: { trader, adminToken: trading.adminToken },
      extraListener: (exchange: ExchangeId) =>
        combineListeners(wiring.listenerFor(exchange), trader.listenerFor(exchange)),
      onFeed: (exchange, feed) => wiring.attach(exchange, feed),
      rawTap: wiring.rawTap,
    });
    try {
      const k = trader.kernel;
      await waitFor(() => k.counters.submitted >= 6, 30_000, 'orders');
      await trader.control.kill('replay test');
      await waitFor(() => k.orders.openCount === 0, 10_000, 'cancels');
      expect(trader.control.reset(trading.adminToken)).toMatchObject({ ok: true });
      const after = k.counters.submitted;
      await waitFor(() => k.counters.submitted >= after + 4, 30_000, 'orders after the reset');
    } finally {
      await stack.close();
      await recorder.close();
      trading.close();
    }
    const r = await replayCheck(dataDir);
    expect(r.orders).toBeGreaterThan(10);
    expect(r.firstDivergence).toBeNull();
    expect(r.matched).toBe(r.orders + r.fills);
  }, 90_000);
});
