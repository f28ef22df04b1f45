/**
 * The monitor over real Binance spot data (hftbacktest capture, BTCUSDT, 2024-08-08, ~346 s): the
 * clean capture scores 100; the same capture with one depth diff removed shows the sequence gap the
 * Binance feed detects, and then a book that never resyncs (the capture holds one REST snapshot) goes
 * stale; a trade delivered twice shows as a duplicate trade id.
 */
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../core/capture/capture-record.ts';
import { replayCapture } from '../../../core/capture/replay-capture.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { QUALITY_ISSUES } from '../../../core/quality/issue-codes.ts';
import { QualityMonitor } from '../../../core/quality/quality-monitor.ts';
import { BinanceFeed } from '../../../core/venues/binance/binance-feed.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { projectRules } from './rules-fixture.ts';

const FIXTURE = 'test/fixtures/binance/hftbacktest_spot_btcusdt_20240808.gz';
const records = readCapture(FIXTURE).records;
const rules = projectRules();

function run(recs: readonly CaptureRecord[]) {
  const monitor = new QualityMonitor(rules);
  const feed = new BinanceFeed({ market: 'spot', instruments: new InstrumentRegistry(), listener: monitor });
  replayCapture(recs, feed);
  return { monitor, feed };
}

const isDepth = (r: CaptureRecord) => r.kind === 'message' && r.body.includes('"e":"depthUpdate"');
const isTrade = (r: CaptureRecord) => r.kind === 'message' && r.body.includes('"e":"trade"');

describe('QualityMonitor on hftbacktest_spot_btcusdt_20240808', () => {
  it('scores the clean capture 100 with no issue raised', () => {
    const { monitor, feed } = run(records);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.counters.trades).toBe(9_757);
    // The monitor's clock is the last input it saw (the capture ends with bookTickers, which the feed ignores).
    expect(monitor.now).toBe(records.findLast((r) => isDepth(r) || isTrade(r))!.localTs);
    const snap = monitor.snapshot();
    expect(snap.map((r) => `${r.exchange} ${r.symbol}`)).toEqual(['binance BTC/USDT']);
    expect(snap[0]!.score).toBe(100);
    expect(snap[0]!.issues).toEqual([]);
    for (const code of QUALITY_ISSUES) expect(snap[0]!.counts[code]).toBe(0);
  });

  it('a dropped depth diff shows as a sequence gap, then as stale data', () => {
    // Drop the 1000th depth diff (well after the snapshot has been applied).
    const depthIndices = records.flatMap((r, i) => (isDepth(r) ? [i] : []));
    const dropAt = depthIndices[1_000]!;
    const nextDepth = records[depthIndices[1_001]!]!;
    const dropped = records.filter((_, i) => i !== dropAt);

    const { monitor, feed } = run(dropped);
    expect(feed.counters.gaps).toBe(1);
    const report = monitor.report('binance', 'BTC/USDT')!;
    expect(report.counts.sequence_gap).toBe(1);

    // Just after the diff that revealed the gap: exactly the gap's weight off.
    const atGap = nextDepth.localTs;
    expect(monitor.issues('binance', 'BTC/USDT', atGap)).toEqual(['sequence_gap']);
    expect(monitor.score('binance', 'BTC/USDT', atGap)).toBe(100 - rules.weights.sequence_gap);

    // At the end: no snapshot ever came back, the book stopped updating long ago.
    expect(report.issues).toContain('stale_data');
    expect(report.score).toBeLessThan(100);
    expect(report.score).toBe(100 - rules.weights.stale_data); // the gap itself left the window
    const [event] = monitor.events();
    expect(event).toMatchObject({ type: 'quality', symbol: 'BTC/USDT', score: report.score });
  });

  it('a trade delivered twice shows as a duplicate trade id', () => {
    const tradeAt = records.findIndex((r, i) => i > 20_000 && isTrade(r));
    const twice = [...records.slice(0, tradeAt + 1), records[tradeAt]!, ...records.slice(tradeAt + 1)];
    const { monitor } = run(twice);
    const at = records[tradeAt]!.localTs;
    expect(monitor.report('binance', 'BTC/USDT')!.counts.duplicate_trade_id).toBe(1);
    expect(monitor.score('binance', 'BTC/USDT', at)).toBe(100 - rules.weights.duplicate_trade_id);
    // Forgiven once the window has passed.
    expect(monitor.score('binance', 'BTC/USDT')).toBe(100);
  });
});
