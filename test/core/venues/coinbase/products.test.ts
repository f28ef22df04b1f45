import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  parseCoinbaseProducts,
  parseCoinbaseProductsCapture,
} from '../../../../core/venues/coinbase/products.ts';
import { fixture } from '../../../support/fixtures.ts';

const text = gunzipSync(readFileSync(fixture('coinbase/cryptofeed_COINBASE.0.gz'))).toString('utf8');

describe('Coinbase products reference data (real REST /products capture)', () => {
  const { instruments, rejected } = parseCoinbaseProductsCapture(text);
  const get = (id: string) => instruments.find((i) => i.venueSymbol === id)!;

  it('turns all 162 products into instruments', () => {
    expect(instruments).toHaveLength(162);
    expect(rejected).toEqual([]);
    expect(new Set(instruments.map((i) => i.venueSymbol)).size).toBe(162);
    for (const i of instruments) {
      expect(i.source).toBe('reference');
      expect(i.exchange).toBe('coinbase');
      expect(i.tickSize).toBeGreaterThan(0);
      expect(i.lotSize).toBeGreaterThan(0);
    }
  });

  it('maps increments to scales and tick/lot units exactly', () => {
    // {"id":"DASH-BTC","base_min_size":"0.01","quote_increment":"0.00000001","base_increment":"0.001","min_market_funds":"0.0001"}
    expect(get('DASH-BTC')).toMatchObject({
      symbol: 'DASH/BTC',
      base: 'DASH',
      quote: 'BTC',
      kind: 'spot',
      priceScale: 8,
      tickSize: 1,
      sizeScale: 3,
      lotSize: 1,
      minSize: 10,
      minNotional: 0.0001,
    });
    // {"id":"SKL-BTC","base_min_size":"5","quote_increment":"0.00000001","base_increment":"0.1"}
    expect(get('SKL-BTC')).toMatchObject({ priceScale: 8, sizeScale: 1, minSize: 50 });
    // {"id":"BTC-USD","base_min_size":"0.0001","quote_increment":"0.01","base_increment":"0.00000001","min_market_funds":"5"}
    expect(get('BTC-USD')).toMatchObject({
      symbol: 'BTC/USD',
      priceScale: 2,
      sizeScale: 8,
      minSize: 10_000,
      minNotional: 5,
    });
    // {"id":"NU-GBP","base_min_size":"10","quote_increment":"0.0001","base_increment":"0.000001"}
    expect(get('NU-GBP')).toMatchObject({ priceScale: 4, sizeScale: 6, minSize: 10_000_000 });
  });

  it('keeps a non-power-of-ten tick as a multiple of the unit and reads the Advanced Trade shape', () => {
    const {
      instruments: [a, b],
      rejected: bad,
    } = parseCoinbaseProducts({
      products: [
        {
          product_id: 'BTC-USD',
          base_currency_id: 'BTC',
          quote_currency_id: 'USD',
          quote_increment: '0.01',
          price_increment: '0.05',
          base_increment: '0.00000001',
          base_min_size: '0.00000001',
          quote_min_size: '1',
          product_type: 'SPOT',
        },
        { product_id: 'XRP-USD', quote_increment: '0.0001', base_increment: '0.000001', base_min_size: '1' },
        { product_id: 'BIT-31JAN25-CDE', product_type: 'FUTURE', quote_increment: '5', base_increment: '1' },
        { product_id: 'BAD-USD', quote_increment: 'x', base_increment: '1' },
        { product_id: 'ZERO-USD', quote_increment: '0.01', base_increment: '0' },
        'junk',
      ],
    });
    expect(a).toMatchObject({
      venueSymbol: 'BTC-USD',
      priceScale: 2,
      tickSize: 5,
      sizeScale: 8,
      lotSize: 1,
      minNotional: 1,
    });
    expect(b).toMatchObject({ venueSymbol: 'XRP-USD', base: 'XRP', quote: 'USD', minSize: 1_000_000 });
    expect(bad.map((r) => r.id)).toEqual(['BIT-31JAN25-CDE', 'BAD-USD', 'ZERO-USD', '']);
  });

  it('reports a body that is not a products list instead of throwing', () => {
    expect(parseCoinbaseProducts('not json').rejected).toHaveLength(1);
    expect(parseCoinbaseProducts({ message: 'rate limited' }).instruments).toEqual([]);
    expect(parseCoinbaseProductsCapture('nothing here').instruments).toEqual([]);
  });
});
