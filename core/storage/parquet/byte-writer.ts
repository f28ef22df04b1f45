/**
 * A growable little-endian byte buffer: the one place Parquet bytes are assembled. Numbers are JS
 * doubles holding integers (|v| < 2^53); 64-bit values are written as two 32-bit halves, so nothing
 * here needs BigInt (which would allocate per value).
 */

const TWO_32 = 4294967296;

export class ByteWriter {
  buf: Buffer;
  private view: DataView;
  pos = 0;

  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialBytes));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Make room for `bytes` more bytes. */
  ensure(bytes: number): void {
    const need = this.pos + bytes;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  reset(): void {
    this.pos = 0;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }

  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }

  /** A two's complement int64 from an integer double. */
  i64(v: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, v >>> 0, true); // ToUint32 is v mod 2^32, exact for |v| < 2^53
    this.view.setInt32(this.pos + 4, Math.floor(v / TWO_32), true);
    this.pos += 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Unsigned LEB128 varint of a non-negative integer double (< 2^53). */
  varint(v: number): void {
    this.ensure(8);
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** Zigzag varint (thrift i16/i32/i64, Parquet delta headers); exact for |v| ≤ 2^52. */
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** UTF-8 bytes of `s`, returning their count. */
  utf8(s: string): number {
    this.ensure(s.length * 3);
    const n = this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
    return n;
  }

  /** Overwrite 4 bytes at `at` (a length written after its content). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }

  /** A copy of what was written (the buffer itself is reused). */
  copy(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}
