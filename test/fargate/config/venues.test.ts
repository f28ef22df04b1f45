import { describe, expect, it } from 'vitest';
import file from '../../../config/venues.json' with { type: 'json' };
import { loadVenuesConfig, parseVenuesConfig, resolveVenues } from '../../../config/venues.ts';

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
});
