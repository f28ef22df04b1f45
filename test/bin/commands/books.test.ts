import { describe, expect, it } from 'vitest';
import { booksJson, formatBooks, runBooks } from '../../../bin/commands/books.ts';
import { fixture } from '../../support/fixtures.ts';

describe('cli books', () => {
  it('replays the real Kraken book capture: every checksum verified, every book trusted', async () => {
    const result = await runBooks(fixture('kraken/cryptofeed_KRAKEN.ws.50.0.gz'), 2);
    expect(result.checksumsVerified).toBe(4269);
    expect(result.checksumsFailed).toBe(0);
    expect(result.gaps).toBe(0);
    expect(result.rejected).toBe(0);
    expect(result.books).toHaveLength(10);
    for (const b of result.books) {
      expect(b.trusted).toBe(true);
      expect(b.bestBid).toBeLessThan(b.bestAsk!);
      expect(b.bidLevels).toBeGreaterThan(0);
    }
    expect(result.throughput.rounds).toBe(2);
    expect(result.throughput.messagesPerSec).toBeGreaterThan(0);
    const json = JSON.parse(booksJson(result)) as Record<string, unknown>;
    for (const key of [
      'messages',
      'levelChanges',
      'checksumsVerified',
      'checksumsFailed',
      'gaps',
      'resyncs',
      'rejected',
      'books',
    ]) {
      expect(json, key).toHaveProperty(key);
    }
    expect((json.books as Array<Record<string, unknown>>)[0]).toMatchObject({
      exchange: 'kraken',
      trusted: true,
    });
    expect(formatBooks(result)).toContain('checksums verified 4269  failed 0');
  });

  it('reports 0 gaps and a trusted book on the clean USD-M capture', async () => {
    const result = await runBooks(fixture('binance/hftbacktest_usdm_btcusdt_20240808.gz'));
    expect(result.gaps).toBe(0);
    expect(result.books[0]).toMatchObject({
      exchange: 'binance-futures',
      symbol: 'BTC/USDT:USDT',
      trusted: true,
    });
  });
});
