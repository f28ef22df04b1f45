import { describe, expect, it } from 'vitest';
import { parseCaptureLine } from '../../../../core/capture/capture-record.ts';
import { parseKrakenAssetPairs } from '../../../../core/venues/kraken/asset-pairs.ts';
import { readCaptureText } from '../../../../local/capture/read-capture.ts';

const REFERENCE = 'test/fixtures/kraken/cryptofeed_KRAKEN.0.gz';

describe('parseKrakenAssetPairs', () => {
  const line = readCaptureText(REFERENCE).split('\n')[0]!;
  const record = parseCaptureLine(line)!;

  it('reads the recorded AssetPairs response (url -> ts: json)', () => {
    expect(record.kind).toBe('rest');
    expect(record.url).toBe('https://api.kraken.com/0/public/AssetPairs');
    const result = parseKrakenAssetPairs(record.body)!;
    expect(result.instruments.length).toBe(293);
    // Dark-pool pairs have no wsname: left out, with the reason.
    expect(result.skipped.length).toBe(11);
    expect(result.skipped.every((s) => s.key.endsWith('.d') && s.reason === 'no wsname')).toBe(true);
    const xmr = result.instruments.find((i) => i.venueSymbol === 'XMR/USD')!;
    expect(xmr).toMatchObject({
      exchange: 'kraken',
      symbol: 'XMR/USD',
      base: 'XMR',
      quote: 'USD',
      kind: 'spot',
      priceScale: 2,
      sizeScale: 8,
      wirePriceDecimals: 2,
      source: 'reference',
    });
    expect(xmr.minSize).toBeGreaterThan(0);
    const btc = result.instruments.find((i) => i.venueSymbol === 'XBT/CHF')!;
    expect(btc.symbol).toBe('BTC/CHF');
    const aave = result.instruments.find((i) => i.venueSymbol === 'AAVE/AUD')!;
    expect(aave.minSize).toBe(10_000_000); // ordermin "0.1" at lot_decimals 8
  });

  it('can name pairs the v2 way', () => {
    const result = parseKrakenAssetPairs(record.body, { naming: 'v2' })!;
    expect(result.instruments.some((i) => i.venueSymbol === 'BTC/CHF')).toBe(true);
    expect(result.instruments.some((i) => i.venueSymbol === 'XBT/CHF')).toBe(false);
  });

  it('reads newer fields and refuses what is not an AssetPairs body', () => {
    const body = JSON.stringify({
      error: [],
      result: {
        XXBTZUSD: {
          wsname: 'XBT/USD',
          pair_decimals: 1,
          lot_decimals: 8,
          ordermin: '0.0001',
          tick_size: '0.1',
          costmin: '0.5',
        },
        BAD: { wsname: 'XBT/EUR', pair_decimals: 'x', lot_decimals: 8 },
      },
    });
    const result = parseKrakenAssetPairs(body)!;
    expect(result.instruments).toHaveLength(1);
    expect(result.instruments[0]).toMatchObject({ tickSize: 1, minSize: 10_000, minNotional: 0.5 });
    expect(result.skipped).toEqual([{ key: 'BAD', reason: 'pair_decimals/lot_decimals missing or invalid' }]);
    expect(parseKrakenAssetPairs('nope')).toBeUndefined();
    expect(parseKrakenAssetPairs('{"error":["EGeneral"]}')).toBeUndefined();
  });
});
