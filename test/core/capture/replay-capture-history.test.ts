import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../core/capture/capture-record.ts';
import { replayCapture, replayCapturesByTime } from '../../../core/capture/replay-capture.ts';
import type { VenueFeed } from '../../../core/venues/feed-types.ts';

function feed(): { feed: VenueFeed; snapshots: string[] } {
  const snapshots: string[] = [];
  const f = {
    onMessage() {},
    onSnapshot: (symbol: string, body: string) => snapshots.push(`${symbol} ${body}`),
  };
  return { feed: f as unknown as VenueFeed, snapshots };
}

const records: CaptureRecord[] = [
  {
    kind: 'rest',
    localTs: 1,
    url: 'https://api.binance.com/api/v3/klines?symbol=BTCUSDT&interval=1m',
    body: '[[1]]',
  },
  {
    kind: 'rest',
    localTs: 2,
    url: 'https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000',
    body: '{"lastUpdateId":1}',
  },
  {
    kind: 'rest',
    localTs: 3,
    url: 'https://api.bybit.com/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1',
    body: '[["1"]]',
  },
];

describe('replay and stored REST history', () => {
  it('candles recorded beside the frames never reach the feed as book snapshots', () => {
    const a = feed();
    expect(replayCapture(records, a.feed).snapshots).toBe(1);
    expect(a.snapshots).toEqual(['BTCUSDT {"lastUpdateId":1}']);
    const b = feed();
    replayCapturesByTime([{ records, feed: b.feed }]);
    expect(b.snapshots).toEqual(['BTCUSDT {"lastUpdateId":1}']);
  });
});
