import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { register, runSignals } from '../../bin/commands/signals.ts';
import { replayCapture } from '../../core/capture/replay-capture.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { createFeed, variantOfUrl } from '../../core/venues/create-feed.ts';
import { readCapture } from '../../local/capture/read-capture.ts';
import { instrumentsFor } from '../../local/capture/reference-data.ts';
import { fixture } from '../support/fixtures.ts';

const KRAKEN = fixture('kraken/cryptofeed_KRAKEN.ws.50.0.gz');

describe('cli signals', () => {
  it('--json prints the contract: instruments with final values and counts, arbitrage, funding, stage latency', async () => {
    const program = new Command().exitOverride();
    register(program);
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    try {
      await program.parseAsync(['node', 'cli', 'signals', KRAKEN, '--json']);
    } finally {
      log.mockRestore();
    }
    const json = JSON.parse(out.join('\n')) as Record<string, unknown>;
    for (const key of ['instruments', 'arbitrage', 'funding', 'stageLatencyUs'])
      expect(json).toHaveProperty(key);
    const instruments = json.instruments as Array<Record<string, unknown>>;
    expect(instruments).toHaveLength(10);
    for (const i of instruments)
      for (const key of [
        'exchange',
        'symbol',
        'weightedMid',
        'microprice',
        'imbalance5',
        'vpin',
        'kyleLambda',
        'vwapDeviation',
        'signals',
      ])
        expect(i).toHaveProperty(key);
    const lat = json.stageLatencyUs as Record<string, { p50: number; p99: number }>;
    for (const stage of ['detect', 'context', 'assess', 'execute']) {
      expect(lat[stage]!.p50).toBeGreaterThan(0);
      expect(lat[stage]!.p99).toBeGreaterThanOrEqual(lat[stage]!.p50);
    }
  });

  it('weightedMid and imbalance5 are the final books’ exact values', async () => {
    const result = await runSignals(KRAKEN);
    // the same capture through a plain feed: its final books
    const capture = readCapture(KRAKEN);
    const feed = createFeed({
      exchange: capture.exchange,
      instruments: new InstrumentRegistry(instrumentsFor(capture.path)),
      variant: variantOfUrl(capture.exchange, capture.records.find((r) => r.url)?.url ?? ''),
    });
    replayCapture(capture.records, feed);
    let checked = 0;
    for (const sb of feed.books()) {
      const line = result.instruments.find((i) => i.symbol === sb.symbol)!;
      const b = sb.book;
      const bid = b.bids.bestPrice();
      const ask = b.asks.bestPrice();
      const bs = b.bids.bestSize();
      const as = b.asks.bestSize();
      const scale = 10 ** -sb.instrument.priceScale;
      expect(line.weightedMid).toBe(((bid * as + ask * bs) / (bs + as)) * scale);
      const bd = b.bids.depth(5);
      const ad = b.asks.depth(5);
      expect(line.imbalance5).toBe((bd - ad) / (bd + ad));
      checked++;
    }
    expect(checked).toBe(10);
    // signals were raised and counted by type
    const total = result.instruments.reduce(
      (n, i) => n + Object.values(i.signals).reduce((a, b) => a + b, 0),
      0,
    );
    expect(total).toBeGreaterThan(0);
  });

  it('reads a folder of captures of two venues, interleaved by time (cross-venue pairs)', async () => {
    const result = await runSignals(fixture('binance'));
    const pair = result.crossVenue.find(
      (c) => c.a === 'binance:BTC/USDT' && c.b === 'binance-futures:BTC/USDT:USDT',
    );
    expect(pair?.samples).toBeGreaterThan(100);
    expect(pair?.correlation).toBeGreaterThan(0);
  });
});
