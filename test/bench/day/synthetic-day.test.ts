/**
 * The synthetic day must be one unbroken market stream: looped, the capture's diffs all apply through
 * the same path `cli books` takes (no gap, no resync, no rejection), each later loop adds exactly one
 * loop's level changes plus its bridge, and trades and receive times move on with the loops. The
 * control shows an unshifted loop is caught by the feed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DayTemplate,
  dayTemplate,
  forEachDayLine,
  writeDayCapture,
} from '../../../bench/day/synthetic-day.ts';
import { ShiftedRounds } from '../../../bench/shifted-rounds.ts';
import { runBooks } from '../../../bin/commands/books.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { fixture } from '../../support/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'synthetic-day-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const template = dayTemplate(fixture('binance/hftbacktest_usdm_btcusdt_20240808.gz'));

async function books(t: DayTemplate, loops: number, name: string) {
  const path = join(dir, name);
  writeDayCapture(t, loops, path);
  return runBooks(path);
}

describe('synthetic day', () => {
  it('applies every diff of every loop, one loop plus one bridge more per loop', async () => {
    const one = await books(template, 1, 'hftbacktest_usdm_btcusdt_1.gz');
    const three = await books(template, 3, 'hftbacktest_usdm_btcusdt_3.gz');
    const bridgeLevels = new ShiftedRounds(template.capture).bridgeLevels;
    const { snapshot, levelsPerPass } = template.capture;
    // The snapshot's levels count as level changes once: loops after the first sync from the bridge.
    const snapshotLevels = snapshot.bids.length + snapshot.asks.length;
    expect(bridgeLevels).toBeGreaterThan(0);
    expect(one.levelChanges).toBe(snapshotLevels + levelsPerPass);
    for (const r of [one, three]) {
      expect(r.gaps).toBe(0);
      expect(r.resyncs).toBe(0);
      expect(r.rejected).toBe(0);
      expect(r.books[0]?.trusted).toBe(true);
    }
    expect(three.levelChanges).toBe(snapshotLevels + 3 * levelsPerPass + 2 * bridgeLevels);
    expect(three.trades).toBe(3 * one.trades);
  });

  it('moves receive times, venue times and trade ids on with each loop', () => {
    const path = join(dir, 'hftbacktest_usdm_btcusdt_2.gz');
    writeDayCapture(template, 2, path);
    const records = readCapture(path).records;
    for (let i = 1; i < records.length; i++)
      expect(records[i]!.localTs).toBeGreaterThanOrEqual(records[i - 1]!.localTs - 1_000_000);
    const tradeIds = new Set<number>();
    const times: number[] = [];
    forEachDayLine(template, 2, (_ns, json) => {
      const data = (JSON.parse(json) as { data?: { e?: string; t?: number; E?: number } }).data;
      if (data?.e !== 'trade') return;
      tradeIds.add(data.t!);
      times.push(data.E!);
    });
    expect(tradeIds.size).toBe(times.length);
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(template.loopMs);
  });

  it('control: loops without shifted update ids are caught', async () => {
    const unshifted = await books({ ...template, idSpan: 0 }, 2, 'hftbacktest_usdm_btcusdt_control.gz');
    expect(
      unshifted.gaps + unshifted.resyncs + unshifted.rejected + unshifted.skippedApplied,
    ).toBeGreaterThan(0);
  });
});
