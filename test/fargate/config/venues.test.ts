import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/config-error.ts';
import file from '../../../config/venues.json' with { type: 'json' };
import {
  BINANCE_DEPTH_STREAMS,
  loadVenuesConfig,
  parseVenuesConfig,
  resolveVenues,
} from '../../../config/venues.ts';

/** The ConfigError's message for a document, '' when it is valid. */
function problemsOf(json: unknown): string {
  try {
    parseVenuesConfig(json);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('config/venues.json', () => {
  it('is valid and has every venue with real cloud endpoints', () => {
    const config = loadVenuesConfig();
    const cloud = resolveVenues(config, 'cloud');
    expect(cloud.map((v) => v.exchange).sort()).toEqual(
      ['binance', 'binance-futures', 'bybit', 'coinbase', 'kraken', 'kucoin'].sort(),
    );
    const binance = cloud.find((v) => v.exchange === 'binance')!;
    expect(binance.wsUrl).toBe('wss://stream.binance.com:9443/stream');
    expect(binance.rateLimit.limit).toBe(6000);
    expect(binance.reconnect).toMatchObject({
      initialMs: 100,
      maxMs: 30_000,
      jitter: 0.5,
      alertAfterFailures: 5,
    });
    expect(cloud.find((v) => v.exchange === 'binance-futures')!.rateLimit.limit).toBe(2400);
    expect(cloud.find((v) => v.exchange === 'kucoin')!.wsUrl).toBe('');
  });

  it('fills the simulator address in local mode and reports every missing one', () => {
    const config = loadVenuesConfig();
    expect(() => resolveVenues(config, 'local', { binance: '127.0.0.1:1' })).toThrow(
      /binance-futures\.endpoints\.local\.wsUrl[\s\S]*kucoin\.endpoints\.local\.restBaseUrl/,
    );
    const all = {
      binance: '127.0.0.1:1',
      'binance-futures': '127.0.0.1:2',
      coinbase: '127.0.0.1:3',
      kraken: '127.0.0.1:4',
      bybit: '127.0.0.1:5',
      kucoin: { restBaseUrl: 'http://127.0.0.1:6/' },
    };
    const local = resolveVenues(config, 'local', all);
    const binance = local.find((v) => v.exchange === 'binance')!;
    expect(binance.wsUrl).toBe('ws://127.0.0.1:1/stream');
    expect(binance.restBaseUrl).toBe('http://127.0.0.1:1');
    expect(binance.rateLimit.limit).toBe(1_000_000);
    expect(local.find((v) => v.exchange === 'bybit')!.wsUrl).toBe('ws://127.0.0.1:5/v5/public/linear');
    expect(local.find((v) => v.exchange === 'kucoin')!.restBaseUrl).toBe('http://127.0.0.1:6');
  });

  it('reports every error at once, unknown keys included', () => {
    const bad = structuredClone(file) as Record<string, unknown> & {
      venues: Record<string, Record<string, unknown>>;
      defaults: Record<string, unknown>;
    };
    bad.venues.binance!.maxStreamsPerConnection = 0;
    bad.venues.kraken!.bookDepth = 7;
    bad.venues.bybit!.symbols = [];
    bad.venues.kucoin!.maxSymbolsPerTopic = 101;
    bad.venues.coinbase!.endpoints = { cloud: { wsUrl: 'http://x', restBaseUrl: 'https://x' }, local: {} };
    bad.defaults.retries = 3;
    let message = '';
    try {
      parseVenuesConfig(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const path of [
      'venues.binance.maxStreamsPerConnection',
      'venues.kraken.bookDepth',
      'venues.bybit.symbols',
      'venues.kucoin.maxSymbolsPerTopic',
      'venues.coinbase.endpoints.cloud.wsUrl',
      'venues.coinbase.endpoints.local.wsUrl',
      'defaults',
    ]) {
      expect(message).toContain(path);
    }
    expect(message).toMatch(/retries/);
  });

  it('skips disabled venues', () => {
    const config = loadVenuesConfig();
    const off = {
      ...config,
      venues: { ...config.venues, kraken: { ...config.venues.kraken!, enabled: false } },
    };
    expect(resolveVenues(off, 'cloud').some((v) => v.exchange === 'kraken')).toBe(false);
  });

  it('refuses a depth stream the market does not offer, per market, on one line each', () => {
    const bad = structuredClone(file) as { venues: Record<string, Record<string, unknown>> };
    bad.venues.binance!.depthStream = 'depth@1ms';
    expect(problemsOf(bad)).toBe(
      'config/venues.json: venues.binance.depthStream: expected one of depth|depth@100ms, received "depth@1ms"',
    );
    // USD-M's unthrottled stream is not a spot stream.
    bad.venues.binance!.depthStream = 'depth@0ms';
    expect(problemsOf(bad)).toMatch(
      /^config\/venues\.json: venues\.binance\.depthStream: .*received "depth@0ms"$/,
    );
    for (const stream of BINANCE_DEPTH_STREAMS['binance-futures']) {
      bad.venues['binance-futures']!.depthStream = stream;
      bad.venues.binance!.depthStream = 'depth';
      expect(() => parseVenuesConfig(bad)).not.toThrow();
    }
    bad.venues['binance-futures']!.depthStream = 'depth@250ms';
    expect(problemsOf(bad)).toBe(
      'config/venues.json: venues["binance-futures"].depthStream: expected one of depth|depth@100ms|depth@500ms|depth@0ms, received "depth@250ms"',
    );
  });

  it('names both positions of a symbol listed twice', () => {
    const bad = structuredClone(file) as { venues: Record<string, Record<string, unknown>> };
    bad.venues.kraken!.symbols = ['XBT/USD', 'ETH/USD', 'XBT/USD'];
    expect(problemsOf(bad)).toBe(
      'config/venues.json: venues.kraken.symbols[2]: "XBT/USD" is listed twice (also at [0])',
    );
  });
});
