/**
 * The lines of a capture file, read from Buffers: plain, .gz (any number of gzip members) or .zip
 * (every entry, in name order, each ending its last line). No whole-file string is ever built, so a
 * capture may be larger than V8's string limit (~512 MiB):
 *
 * - `captureChunks` streams the decompressed bytes (native zlib, off the main thread) in bounded
 *   chunks; memory stays at a few chunks whatever the file size.
 * - `forEachCaptureLineSync` decompresses the file into one Buffer first (Buffers reach 4 GiB), for
 *   the synchronous readers of small captures (simulators, fuzz targets, reference data).
 *
 * Both go through one LineSplitter: a line is decoded (UTF-8) straight from the chunk that holds it;
 * only a line split across two chunks is copied, and only its bytes. A trailing "\r" is dropped.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';

const NEWLINE = 0x0a;
const RETURN = 0x0d;
/** Decompressed bytes per chunk: large enough that per-chunk costs vanish, small enough to stay bounded. */
const CHUNK_BYTES = 1 << 20;

/** Bytes → lines, across chunk boundaries. */
export class LineSplitter {
  private carry: Buffer | undefined;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE, 0);
    if (nl < 0) {
      this.carry = this.carry ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk);
      return;
    }
    if (this.carry) {
      const joined = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = undefined;
      this.emit(joined, 0, joined.length);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    while (nl >= 0) {
      this.emit(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    // The chunk's Buffer may be reused by its producer: keep a copy of the unfinished line.
    if (start < chunk.length) this.carry = Buffer.from(chunk.subarray(start));
  }

  /** The last line, when the input does not end with a newline. */
  end(): void {
    const rest = this.carry;
    this.carry = undefined;
    if (rest && rest.length > 0) this.emit(rest, 0, rest.length);
  }

  private emit(bytes: Buffer, start: number, end: number): void {
    const stop = end > start && bytes[end - 1] === RETURN ? end - 1 : end;
    this.onLine(bytes.toString('utf8', start, stop));
  }
}

/** The decompressed bytes of a capture file, chunk by chunk (each chunk is the caller's until the next). */
export async function* captureChunks(path: string): AsyncGenerator<Buffer> {
  if (path.endsWith('.zip')) {
    // Zipped captures (Bybit's daily downloads) are entries of modest size: one entry in memory at a time.
    for (const entry of zipEntries(path)) {
      yield entry;
      yield NEWLINE_BUFFER;
    }
    return;
  }
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const source = path.endsWith('.gz') ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
  file.on('error', (e) => source.destroy(e));
  for await (const chunk of source) yield chunk as Buffer;
}

const NEWLINE_BUFFER = Buffer.from('\n');

function zipEntries(path: string): Buffer[] {
  const entries = unzipSync(new Uint8Array(readFileSync(path)));
  return Object.keys(entries)
    .sort()
    .map((name) => {
      const bytes = entries[name]!;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
}

/** Every line of a capture file that fits in memory decompressed, synchronously. */
export function forEachCaptureLineSync(path: string, onLine: (line: string) => void): void {
  const splitter = new LineSplitter(onLine);
  if (path.endsWith('.zip')) {
    for (const entry of zipEntries(path)) {
      splitter.push(entry);
      splitter.push(NEWLINE_BUFFER);
    }
  } else {
    const bytes = readFileSync(path);
    splitter.push(path.endsWith('.gz') ? gunzipSync(bytes) : bytes);
  }
  splitter.end();
}
