import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventKind } from '../../../core/backtest/tape/event-kind.ts';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { detectDataKind, loadTape } from '../../../local/backtest/load-tape.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { runImport } from '../../../local/import/run-import.ts';
import { ParquetSink } from '../../../local/storage/parquet-sink.ts';
import { tempDir } from '../../bin/commands/harness.ts';
import { fixture } from '../../support/fixtures.ts';

const FUTURES_2021 = fixture('binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz');

const tmp = tempDir('load-tape-');
afterAll(() => tmp.cleanup());

describe('detectDataKind', () => {
  it('tells a capture file, a folder of captures and a recording apart', () => {
    expect(detectDataKind(FUTURES_2021)).toBe('capture-file');
    expect(detectDataKind(fixture('kraken'))).toBe('capture-folder');
  });

  it('says what is missing', () => {
    expect(() => detectDataKind(join(tmp.dir, 'nope'))).toThrow(/no such file or folder/);
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'x');
    expect(() => detectDataKind(empty)).toThrow(/no capture files .* and no Parquet recording/);
    // A recording with only the derived tables (book/trade), no raw/ frames: read from its rows.
    const derived = join(tmp.dir, 'derived');
    const part = join(derived, 'book', 'exchange=binance', 'symbol=BTC-USDT', 'date=2024-08-08', 'hour=23');
    mkdirSync(part, { recursive: true });
    writeFileSync(join(part, 'part-000001.parquet'), '');
    expect(detectDataKind(derived)).toBe('recorded-rows');
    expect(detectDataKind(join(derived, 'book'))).toBe('recorded-rows');
    expect(detectDataKind(join(part, 'part-000001.parquet'))).toBe('recorded-rows');
    // Parquet that is none of the recording's tables.
    const other = join(tmp.dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'x.parquet'), '');
    expect(() => detectDataKind(other)).toThrow(
      /1 Parquet file\(s\) but no raw frames and no book\/trade rows/,
    );
    expect(() => detectDataKind(join(other, 'x.parquet'))).toThrow(
      /a Parquet file outside raw\/, book\/ and trade\//,
    );
  });
});

describe('loadTape', () => {
  it('reads a recorded Parquet folder (recorder layout) into the same tape as the capture it recorded', async () => {
    const capture = readCapture(FUTURES_2021);
    const root = join(tmp.dir, 'recording');
    const recorder = new Recorder({ sink: await ParquetSink.open({ root }), pollIntervalMs: 0 });
    for (const r of capture.records) recorder.recordCapture(capture.exchange, r, 'conn-0');
    await recorder.close();
    expect(detectDataKind(root)).toBe('recording');
    expect(detectDataKind(join(root, 'raw'))).toBe('recording');

    const fromFile = await loadTape(FUTURES_2021);
    const fromRecording = await loadTape(root);
    expect(fromRecording.kind).toBe('recording');
    expect(fromRecording.files).toEqual([join(root, 'raw', 'exchange=binance-futures')]);
    const a = fromFile.tape;
    const b = fromRecording.tape;
    expect(b.length).toBe(a.length);
    expect(b.instruments.map((i) => i.symbol)).toEqual(a.instruments.map((i) => i.symbol));
    for (const c of ['kind', 'flags', 'inst', 'exchTs', 'localTs', 'price', 'size'] as const)
      expect(Array.from(b[c]), c).toEqual(Array.from(a[c]));
  });

  it('applies from/to and symbols, and explains an empty result', async () => {
    const all = await loadTape(FUTURES_2021);
    const from = all.tape.startTs + 10_000_000;
    const to = from + 5_000_000;
    const cut = await loadTape(FUTURES_2021, { from, to, symbols: ['CTKUSDT'] });
    expect(cut.tape.instruments.map((i) => i.symbol)).toEqual(['CTK/USDT:USDT']);
    expect(cut.tape.startTs).toBeGreaterThanOrEqual(from);
    expect(cut.tape.endTs).toBeLessThan(to);
    await expect(loadTape(FUTURES_2021, { symbols: ['ETHUSDT'] })).rejects.toThrow(
      /no market data within symbols ETHUSDT \(instruments in the data: binance-futures:SUSHIUSDT, .*; time range: 2021-07-22T/,
    );
  });

  it('reads a folder of captures with their reference data (Kraken asset pairs)', async () => {
    const { tape, kind, files } = await loadTape(fixture('kraken'));
    expect(kind).toBe('capture-folder');
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(tape.length).toBeGreaterThan(1000);
    expect(tape.instruments.some((i) => i.exchange === 'kraken' && i.source === 'reference')).toBe(true);
  });
});

const TARDIS_BOOK = fixture('tardis/nautilus_binance-futures_book_snapshot_5_BTCUSDT.csv');

/** The fixture's rows: receive time and the top of book after each (a book_snapshot_5 row is the whole top 5). */
function tardisRows(): Array<{ localTs: number; exchangeTs: number; bid: string; ask: string }> {
  const [head, ...lines] = readFileSync(TARDIS_BOOK, 'utf8').trim().split('\n');
  const col = head!.split(',');
  return lines.map((line) => {
    const v = line.split(',');
    return {
      exchangeTs: Number(v[col.indexOf('timestamp')]),
      localTs: Number(v[col.indexOf('local_timestamp')]),
      bid: v[col.indexOf('bids[0].price')]!,
      ask: v[col.indexOf('asks[0].price')]!,
    };
  });
}

describe('loadTape on imported history (book/trade rows, no raw frames)', () => {
  it('builds the tape from the stored rows: a whole book first, receive times from the rows', async () => {
    const out = join(tmp.dir, 'imported');
    await runImport([TARDIS_BOOK], { out, quiet: true });
    expect(detectDataKind(out)).toBe('recorded-rows');
    const { tape, kind, files } = await loadTape(out);
    expect(kind).toBe('recorded-rows');
    expect(files.length).toBeGreaterThan(0);
    expect(tape.instruments.map((i) => `${i.exchange}:${i.symbol}`)).toEqual([
      'binance-futures:BTC/USDT:USDT',
    ]);
    expect(tape.kind[0]).toBe(EventKind.Clear);
    const csv = tardisRows();
    expect(tape.startTs).toBe(csv[0]!.localTs);
    expect(tape.endTs).toBe(csv[csv.length - 1]!.localTs);
    // Every row's receive time is a CSV row's; exchange times stay at or before them.
    const received = new Set(csv.map((r) => r.localTs));
    for (let r = 0; r < tape.length; r++) {
      expect(received.has(tape.localTs[r]!)).toBe(true);
      expect(tape.exchTs[r]!).toBeLessThanOrEqual(tape.localTs[r]!);
    }
    // The same folder twice: the same tape.
    expect((await loadTape(out)).tape.fingerprint()).toBe(tape.fingerprint());
    // A time window opens with the book as it stood.
    const from = csv[5]!.localTs;
    const cut = await loadTape(out, { from });
    expect(cut.tape.startTs).toBe(from);
    expect(cut.tape.kind[0]).toBe(EventKind.Clear);
  });

  it('refuses trades without a book, saying why', async () => {
    const dir = join(tmp.dir, 'trades-only-csv');
    mkdirSync(dir);
    const csv = join(dir, 'trades.csv');
    writeFileSync(
      csv,
      'exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n' +
        'binance-futures,BTCUSDT,1598918403850000,1598918403854000,1,sell,11657.07,0.5\n',
    );
    const out = join(tmp.dir, 'trades-only');
    await runImport([csv], { out, quiet: true });
    expect(detectDataKind(out)).toBe('recorded-rows');
    await expect(loadTape(out)).rejects.toThrow(
      /trade rows and no book rows .* trades alone do not give one/,
    );
  });

  it('imported klines (raw REST rows) beside book rows: the book rows are the data; klines alone are refused', async () => {
    const btc = tardisRows();
    const out = join(tmp.dir, 'klines-and-book');
    const recorder = new Recorder({ sink: await ParquetSink.open({ root: out }), pollIntervalMs: 0 });
    recorder.recordRest(
      'binance-futures',
      'https://fapi.binance.com/fapi/v1/klines?symbol=BTCUSDT&interval=1m',
      btc[0]!.localTs,
      '[]',
    );
    await recorder.close();
    expect(detectDataKind(out)).toBe('recording');
    await expect(loadTape(out)).rejects.toThrow(
      /REST responses only \(klines\?\), no venue messages and no book rows/,
    );
    await runImport([TARDIS_BOOK], { out, quiet: true });
    const { kind, tape } = await loadTape(out);
    expect(kind).toBe('recorded-rows');
    expect(tape.startTs).toBe(btc[0]!.localTs);
  });
});
