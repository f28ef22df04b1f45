/**
 * The sidecar of a staged hourly Parquet file (staged-parquet-file.ts): an append-only log of what
 * the staged file holds, enough to finish it with its footer after a crash. Records:
 *
 *   u32 payload length | u32 CRC-32 of the payload | payload
 *
 * - first, the header: 'H', then JSON { dir, hour, columns, metadata } — where the file goes
 *   (relative to the recording root), its UTC hour, its schema and key/value metadata;
 * - then one per appended row group: 'G', f64 committed length of the staged file after the row
 *   group, f64 rows in it, then the row group's footer entry (a Thrift RowGroup struct,
 *   core/storage/parquet/parquet-writer.ts) as it goes into the footer.
 *
 * A record is written after the bytes it commits, so a crash leaves at most a torn last record
 * (short, or failing its CRC) and staged bytes past the last committed length: recovery drops both.
 */
import { CRC32_INIT, CRC32_TABLE, crc32Finish } from '../../core/book/checksum/crc32.ts';
import type { ColumnSchema } from '../../core/storage/parquet/parquet-writer.ts';

export interface SidecarHeader {
  /** The partition folder of the finished file, relative to the recording root, '/'-separated. */
  readonly dir: string;
  /** UTC hours since the epoch of the file's rows. */
  readonly hour: number;
  readonly columns: readonly ColumnSchema[];
  readonly metadata: Readonly<Record<string, string>>;
}

export interface SidecarRowGroup {
  /** The staged file's length once this row group is in it. */
  readonly committedLength: number;
  readonly rows: number;
  readonly footerEntry: Uint8Array;
}

export interface ParsedSidecar {
  /** Undefined when even the header is torn: nothing of the file was committed. */
  readonly header: SidecarHeader | undefined;
  readonly rowGroups: SidecarRowGroup[];
  /** Bytes after the last whole record (a torn record), dropped. */
  readonly tornBytes: number;
}

const HEADER = 0x48; // 'H'
const GROUP = 0x47; // 'G'
const FRAME = 8;

function crc(bytes: Uint8Array, from: number, to: number): number {
  let c = CRC32_INIT;
  for (let i = from; i < to; i++) c = CRC32_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return crc32Finish(c);
}

function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc(payload, 0, payload.length), true);
  out.set(payload, FRAME);
  return out;
}

export function sidecarHeaderRecord(header: SidecarHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const payload = new Uint8Array(1 + json.length);
  payload[0] = HEADER;
  payload.set(json, 1);
  return frame(payload);
}

export function sidecarRowGroupRecord(group: SidecarRowGroup): Uint8Array {
  const payload = new Uint8Array(17 + group.footerEntry.length);
  const view = new DataView(payload.buffer);
  payload[0] = GROUP;
  view.setFloat64(1, group.committedLength, true);
  view.setFloat64(9, group.rows, true);
  payload.set(group.footerEntry, 17);
  return frame(payload);
}

/** Every whole record of a sidecar; parsing stops at the first torn one. */
export function parseSidecar(bytes: Uint8Array): ParsedSidecar {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: SidecarHeader | undefined;
  const rowGroups: SidecarRowGroup[] = [];
  let at = 0;
  while (at + FRAME <= bytes.length) {
    const length = view.getUint32(at, true);
    const start = at + FRAME;
    const end = start + length;
    if (length === 0 || end > bytes.length || crc(bytes, start, end) !== view.getUint32(at + 4, true)) break;
    const type = bytes[start];
    if (header === undefined) {
      if (type !== HEADER) break;
      try {
        header = JSON.parse(new TextDecoder().decode(bytes.subarray(start + 1, end))) as SidecarHeader;
      } catch {
        break;
      }
    } else {
      if (type !== GROUP || length < 17) break;
      rowGroups.push({
        committedLength: view.getFloat64(start + 1, true),
        rows: view.getFloat64(start + 9, true),
        footerEntry: bytes.slice(start + 17, end),
      });
    }
    at = end;
  }
  return { header, rowGroups, tornBytes: bytes.length - at };
}
