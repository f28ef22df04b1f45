import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { detectDataKind, loadTape } from '../../../local/backtest/load-tape.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
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
    // A recording with only the derived tables (book/trade), no raw/ frames.
    const derived = join(tmp.dir, 'derived');
    const part = join(derived, 'book', 'exchange=binance', 'symbol=BTC-USDT', 'date=2024-08-08', 'hour=23');
    mkdirSync(part, { recursive: true });
    writeFileSync(join(part, 'part-000001.parquet'), '');
    expect(() => detectDataKind(derived)).toThrow(
      /1 Parquet file\(s\) but no raw frames .*raw\/exchange=<venue>/,
    );
    expect(() => detectDataKind(join(derived, 'book'))).toThrow(/no raw frames/);
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
