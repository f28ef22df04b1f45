import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../core/time/manual-clock.ts';
import { EmfPublisher } from '../../../fargate/observability/emf-publisher.ts';
import { TaskMetricSampler } from '../../../fargate/observability/task-metric-sampler.ts';
import type { VenueView } from '../../../fargate/ops/live-market-state.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';

function view(connection: VenueView['connection'], messages: number): VenueView {
  return {
    exchange: 'binance',
    connection,
    connectionDetail: '',
    messages,
    messageRate: 12,
    latencyP50Ms: 3,
    latencyP99Ms: 9,
    lastMessageTs: 0,
    gaps: 0,
    resyncs: 1,
    checksumsFailed: 0,
    rejected: 0,
    reconnects: 2,
    books: [
      {
        symbol: 'BTC/USDT',
        trust: 'trusted',
        bestBid: null,
        bestAsk: null,
        bidSize: null,
        askSize: null,
        spreadBps: null,
        bidLevels: 0,
        askLevels: 0,
        quality: 80,
        updatedTs: 0,
      },
      {
        symbol: 'ETH/USDT',
        trust: 'trusted',
        bestBid: null,
        bestAsk: null,
        bidSize: null,
        askSize: null,
        spreadBps: null,
        bidLevels: 0,
        askLevels: 0,
        quality: 45,
        updatedTs: 0,
      },
    ],
    trades: [],
  } as VenueView;
}

afterEach(() => vi.restoreAllMocks());

describe('TaskMetricSampler', () => {
  it('turns counters into increases, tracks how long a venue is down, takes the worst book’s quality', () => {
    let current = view('connected', 100);
    const trading = new FakeTradingControl('t');
    const sampler = new TaskMetricSampler({ venues: () => [current], trading });
    const value = (points: ReturnType<TaskMetricSampler['sample']>, name: string) =>
      points.find((p) => p.name === name)?.value;
    const first = sampler.sample(1_000_000);
    expect(value(first, 'market_data_messages')).toBe(100);
    expect(value(first, 'order_book_quality_score')).toBe(45);
    expect(value(first, 'venue_down_seconds')).toBe(0);
    expect(value(first, 'trading_state')).toBe(0);
    expect(value(first, 'pnl')).toBeCloseTo(12.5 - 2.25 - 0.75);
    expect(value(first, 'decision_latency_ms')).toBeCloseTo(812 / 11 / 1000);
    current = view('reconnecting', 130);
    const second = sampler.sample(1_010_000);
    expect(value(second, 'market_data_messages')).toBe(30);
    expect(value(second, 'venue_down_seconds')).toBe(0);
    expect(value(second, 'decision_latency_ms')).toBeUndefined();
    expect(value(sampler.sample(1_041_000), 'venue_down_seconds')).toBe(31);
  });
});

describe('EmfPublisher', () => {
  it('flushes EMF lines on its interval, per-exchange points with their dimension, and hands on the sample', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const clock = new ManualClock();
    const samples: number[] = [];
    const publisher = new EmfPublisher({
      sampler: new TaskMetricSampler({ venues: () => [view('connected', 5)] }),
      clock,
      namespace: 'Tradeplane',
      metrics: new Metrics({ namespace: 'Tradeplane', serviceName: 'live' }),
      onSample: (points) => samples.push(points.length),
    });
    publisher.start();
    clock.advance(9_999);
    expect(publisher.flushes).toBe(0);
    clock.advance(1);
    publisher.stop();
    vi.restoreAllMocks();
    expect(publisher.flushes).toBe(1);
    expect(samples).toHaveLength(1);
    const emf = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as Record<string, unknown> & {
            _aws: {
              CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
            };
          },
      );
    const quality = emf.find((e) =>
      e._aws.CloudWatchMetrics[0]?.Metrics.some((m) => m.Name === 'order_book_quality_score'),
    );
    expect(quality).toMatchObject({ service: 'live', exchange: 'binance', order_book_quality_score: 45 });
    expect(quality?._aws.CloudWatchMetrics[0]?.Namespace).toBe('Tradeplane');
    expect(quality?._aws.CloudWatchMetrics[0]?.Dimensions[0]).toEqual(
      expect.arrayContaining(['service', 'exchange']),
    );
  });
});
