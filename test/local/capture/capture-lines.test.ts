/**
 * The capture line reader: lines come out the same however the bytes are cut into chunks, from
 * plain, multi-member .gz and .zip files, streamed or read at once; and the streamed capture reader
 * gives the records, venue and companion merge of the in-memory one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../core/capture/capture-record.ts';
import { captureChunks, forEachCaptureLineSync, LineSplitter } from '../../../local/capture/capture-lines.ts';
import { openCaptureStream, readCapture } from '../../../local/capture/read-capture.ts';
import { fixture } from '../../support/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'capture-lines-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function split(chunks: readonly Buffer[]): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(c);
  s.end();
  return lines;
}

async function streamedLines(path: string): Promise<string[]> {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for await (const c of captureChunks(path)) s.push(c);
  s.end();
  return lines;
}

function syncLines(path: string): string[] {
  const lines: string[] = [];
  forEachCaptureLineSync(path, (l) => lines.push(l));
  return lines;
}

async function streamedRecords(path: string): Promise<{ exchange: string; records: CaptureRecord[] }> {
  const stream = await openCaptureStream(path);
  const records: CaptureRecord[] = [];
  for await (const batch of stream.batches) records.push(...batch);
  return { exchange: stream.exchange, records };
}

describe('LineSplitter', () => {
  it('gives the lines of the text wherever the chunks are cut, multi-byte characters included', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '{', '"', ' ', 'é', '€', '𝄞', '\r') });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.join('\n'), 'utf8');
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const c of [...at, bytes.length]) {
          chunks.push(bytes.subarray(from, c));
          from = c;
        }
        const text = lines.join('\n');
        const expected = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        // A final newline ends the last line (no empty line after it); an empty text has no line.
        if (text.endsWith('\n') || text.length === 0) expected.pop();
        expect(split(chunks)).toEqual(expected);
      }),
    );
  });

  it('copies an unfinished line: a producer reusing its chunk Buffer cannot corrupt it', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const reused = Buffer.from('ab\ncd');
    s.push(reused);
    reused.write('XY\nzz');
    s.push(reused.subarray(0, 3));
    s.end();
    expect(lines).toEqual(['ab', 'cdXY']);
  });
});

describe('capture files', () => {
  const text = ['1 {"a":1}', '2 {"b":"é"}\r', '', '3 {"c":3}'].join('\n');
  const expected = ['1 {"a":1}', '2 {"b":"é"}', '', '3 {"c":3}'];

  it('reads plain, multi-member .gz and .zip files the same, streamed or at once', async () => {
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, text);
    const gz = join(dir, 'members.gz');
    const half = Buffer.from(text).subarray(0, 13);
    writeFileSync(gz, Buffer.concat([gzipSync(half), gzipSync(Buffer.from(text).subarray(13))]));
    const zip = join(dir, 'entries.zip');
    writeFileSync(
      zip,
      zipSync({
        'b.json': new TextEncoder().encode('3 {"c":3}'),
        'a.json': new TextEncoder().encode('1 {"a":1}'),
      }),
    );
    for (const path of [plain, gz]) {
      expect(await streamedLines(path)).toEqual(expected);
      expect(syncLines(path)).toEqual(expected);
    }
    // Entries in name order, each ending its last line.
    expect((await streamedLines(zip)).filter((l) => l !== '')).toEqual(['1 {"a":1}', '3 {"c":3}']);
    expect(syncLines(zip).filter((l) => l !== '')).toEqual(['1 {"a":1}', '3 {"c":3}']);
  });

  it('streams real captures (one with a REST companion) into the records and venue readCapture gives', async () => {
    for (const name of [
      'binance/hftbacktest_usdm_btcusdt_20240808.gz',
      'kraken/cryptofeed_KRAKEN.ws.48.0.gz',
      'binance/cryptofeed_BINANCE.ws.1.0.gz',
    ]) {
      const path = fixture(name);
      const whole = readCapture(path);
      const streamed = await streamedRecords(path);
      expect(streamed.exchange).toBe(whole.exchange);
      expect(streamed.records.length).toBe(whole.records.length);
      expect(streamed.records).toEqual(whole.records);
    }
  });
});
