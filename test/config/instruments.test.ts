import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.ts';
import { configuredInstruments, parseInstrumentsConfig } from '../../config/instruments.ts';

const entry = (exchange: string, venueSymbol: string) => ({
  exchange,
  venueSymbol,
  kind: 'spot',
  tick: '0.01',
  lot: '0.001',
});

describe('config/instruments.json', () => {
  it('is valid and holds each venue symbol once', () => {
    const all = configuredInstruments();
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((i) => `${i.exchange} ${i.venueSymbol}`)).size).toBe(all.length);
  });

  it('refuses a venue symbol defined twice, naming both positions', () => {
    const json = {
      instruments: [
        entry('binance', 'BTCUSDT'),
        entry('kraken', 'XBT/USD'),
        entry('binance', 'ETHUSDT'),
        entry('binance', 'BTCUSDT'),
      ],
    };
    expect(() => parseInstrumentsConfig(json)).toThrow(ConfigError);
    expect(() => parseInstrumentsConfig(json)).toThrow(
      /^config\/instruments\.json: instruments\[3\]: binance BTCUSDT is defined twice: instruments\[0\] and instruments\[3\]$/,
    );
    // The same symbol on two venues is two instruments.
    expect(
      parseInstrumentsConfig({ instruments: [entry('binance', 'BTCUSDT'), entry('bybit', 'BTCUSDT')] }),
    ).toHaveLength(2);
  });

  it('reports what was expected and what was found, with array positions', () => {
    const json = { instruments: [{ ...entry('binance', 'BTCUSDT'), tick: 0.01, kind: 'swap' }] };
    let message = '';
    try {
      parseInstrumentsConfig(json);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n').sort()).toEqual([
      'config/instruments.json: instruments[0].kind: expected one of spot|perp|future, received "swap"',
      'config/instruments.json: instruments[0].tick: expected string, received 0.01',
    ]);
  });
});
